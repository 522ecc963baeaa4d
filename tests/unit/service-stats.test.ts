// Step-duration statistics of the service-time dashboard, checked against values computed by hand.
import { describe, expect, it } from 'vitest';
import { median, percentile, stepStats } from '../../schema/service-stats';

describe('percentile (nearest rank) and median', () => {
  it('ten values 1…10: p90 is 9, median 5.5', () => {
    const v = [7, 1, 10, 3, 5, 2, 9, 4, 8, 6];
    expect(percentile(v, 90)).toBe(9);
    expect(percentile(v, 100)).toBe(10);
    expect(percentile(v, 1)).toBe(1);
    expect(median(v)).toBe(5.5);
  });
  it('odd counts take the middle; a single value is every percentile; none is null', () => {
    expect(median([15, 3, 9])).toBe(9);
    expect(percentile([42], 90)).toBe(42);
    expect(median([])).toBeNull();
    expect(percentile([], 50)).toBeNull();
  });
});

describe('stepStats', () => {
  it('counts overruns against the standard (strictly longer)', () => {
    // Standard 15 min; 12, 15, 16, 30 → two of four over.
    expect(stepStats([12, 15, 16, 30], 15)).toEqual({ count: 4, medianMinutes: 15.5, p90Minutes: 30, standardMinutes: 15, overrunShare: 0.5 });
  });
  it('without a standard there is no overrun share', () => {
    expect(stepStats([5, 6], null).overrunShare).toBeNull();
    expect(stepStats([], 10)).toEqual({ count: 0, medianMinutes: null, p90Minutes: null, standardMinutes: 10, overrunShare: null });
  });
});
