import { describe, expect, it } from 'vitest';
import { BACKOFF_BASE_MS, BACKOFF_CAP_MS, backoffDelay } from './backoff';

describe('backoffDelay (full jitter)', () => {
  it('stays within [0, min(cap, base·2^n)]', () => {
    for (let n = 0; n < 40; n++) {
      const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** n);
      expect(backoffDelay(n, undefined, () => 0)).toBe(0);
      expect(backoffDelay(n, undefined, () => 0.999999)).toBeLessThan(ceiling);
      expect(backoffDelay(n, undefined, () => 0.999999)).toBeGreaterThanOrEqual(ceiling - 1);
    }
  });

  it('never waits less than the server asked with Retry-After', () => {
    expect(backoffDelay(0, 90, () => 0)).toBe(90_000);
    expect(backoffDelay(10, 1, () => 0.5)).toBe(Math.floor(0.5 * BACKOFF_CAP_MS));
  });
});
