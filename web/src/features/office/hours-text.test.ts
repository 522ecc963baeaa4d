import { describe, expect, it } from 'vitest';
import { formatDay, parseDay } from './hours-text';

describe('a day of opening hours as typed', () => {
  it.each([
    ['08.00-12.00, 13.00-15.30', [['08:00', '12:00'], ['13:00', '15:30']]],
    ['8:30 – 16:00', [['08:30', '16:00']]],
    ['07.30 s/d 24.00', [['07:30', '24:00']]],
    ['', []],
    ['  tutup ', []],
    ['Closed', []],
  ])('reads %j', (text, intervals) => {
    expect(parseDay(text)).toEqual(intervals);
  });

  it.each(['08.00', '08.00-', '8-12', '08.60-12.00', '25.00-26.00', '24.30-24.45', '08.00-12.00 13.00-15.00', 'pagi'])('refuses %j', (text) => {
    expect(parseDay(text)).toBeNull();
  });

  it('writes what it reads', () => {
    const text = '08.00-12.00, 13.00-15.30';
    expect(formatDay(parseDay(text)!)).toBe(text);
    expect(formatDay(undefined)).toBe('');
  });
});
