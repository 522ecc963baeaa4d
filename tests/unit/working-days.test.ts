// SLA clocks in working days (SP4N-LAPOR!: verify within 3, follow up within 5), across weekends and holidays.
import { describe, expect, it } from 'vitest';
import { TABALONG } from '../../schema/offices';
import { addWorkingDays, localToMs, msToLocal, type ServiceHours } from '../../schema/service-time';

const tabalong: ServiceHours = { ...TABALONG.hours, holidays: [{ date: '2026-12-24' }, { date: '2026-12-25' }] };
const due = (start: string, days: number) => {
  const ms = addWorkingDays(tabalong, localToMs('Asia/Makassar', start), days);
  return ms === null ? null : msToLocal('Asia/Makassar', ms);
};

describe('addWorkingDays (Tabalong, WITA)', () => {
  it.each([
    ['Monday morning + 3 → Thursday close', '2026-11-23T09:00', 3, '2026-11-26T16:00'],
    ['Friday + 3 skips the weekend → Wednesday close', '2026-11-27T09:00', 3, '2026-12-02T16:00'],
    ['Thursday + 1 → Friday, which closes at 10:30', '2026-11-26T09:00', 1, '2026-11-27T10:30'],
    ['Saturday arrival: Monday is the first working day', '2026-11-28T11:00', 1, '2026-11-30T16:00'],
    ['Wednesday 23 Dec + 3 skips Christmas Eve joint leave (Thu), Christmas (Fri) and the weekend → Wednesday 30 Dec', '2026-12-23T10:00', 3, '2026-12-30T16:00'],
    ['Monday + 5 (follow-up) → next Monday', '2026-11-23T15:59', 5, '2026-11-30T16:00'],
    ['zero days is now', '2026-11-23T09:00', 0, '2026-11-23T09:00'],
  ] as const)('%s', (_label, start, days, expected) => expect(due(start, days)).toBe(expected));

  it('an office with no hours has no due time', () => {
    expect(addWorkingDays({ timeZone: 'Asia/Makassar', weekly: {}, holidays: [] }, 0, 1)).toBeNull();
  });
});
