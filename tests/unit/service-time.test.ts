// Service-time arithmetic: standard times counted only in open hours, per office zone and holidays.
import { describe, expect, it } from 'vitest';
import { HOLIDAYS_2026, KOTA_JAMBI, TABALONG } from '../../schema/offices';
import {
  dueAt,
  isOpenAt,
  isOverrun,
  localToMs,
  msToLocal,
  nextOpening,
  serviceHoursFromRow,
  ServiceHoursSchema,
  serviceMinutesBetween,
  type ServiceHours,
} from '../../schema/service-time';

const tabalong: ServiceHours = { ...TABALONG.hours, holidays: [] };
const wita = (local: string) => localToMs('Asia/Makassar', local);
const wib = (local: string) => localToMs('Asia/Jakarta', local);
const dueWita = (hours: ServiceHours, start: string, minutes: number) => {
  const due = dueAt(hours, wita(start), minutes);
  return due === null ? null : msToLocal('Asia/Makassar', due);
};

describe('dueAt (Tabalong, WITA, seed 004 hours)', () => {
  it.each([
    ['Friday 10:25 + 15 min runs out Monday 08:40 (the seed 004 case)', '2026-11-20T10:25', 15, '2026-11-23T08:40'],
    ['inside hours', '2026-11-23T09:00', 15, '2026-11-23T09:15'],
    ['ends exactly at closing', '2026-11-20T10:15', 15, '2026-11-20T10:30'],
    ['started before opening counts from 08:30', '2026-11-23T07:10', 15, '2026-11-23T08:45'],
    ['started after closing counts from next opening', '2026-11-23T17:45', 15, '2026-11-24T08:45'],
    ['started Thursday after closing → Friday 08:00 opening', '2026-11-26T16:00', 30, '2026-11-27T08:30'],
    ['started Saturday → Monday', '2026-11-21T11:00', 40, '2026-11-23T09:10'],
    ['multi-day: 40 minutes of a 450-minute day left run into the next', '2026-11-23T15:50', 40, '2026-11-24T09:00'],
    ['multi-day: two full days and more', '2026-11-23T08:30', 450 * 2 + 10, '2026-11-25T08:40'],
    ['a whole week of service time (4 × 450 + 150)', '2026-11-23T08:30', 1950, '2026-11-27T10:30'],
    ['zero standard inside hours is due at once', '2026-11-23T09:00', 0, '2026-11-23T09:00'],
    ['zero standard outside hours is due at the next opening', '2026-11-22T09:00', 0, '2026-11-23T08:30'],
  ] as const)('%s', (_label, start, minutes, expected) => {
    expect(dueWita(tabalong, start, minutes)).toBe(expected);
  });

  it('skips holidays: Christmas Eve joint leave and Christmas Day', () => {
    const withHolidays: ServiceHours = { ...tabalong, holidays: HOLIDAYS_2026 };
    // Wednesday 23 Dec 15:50: 10 min that day, Thu 24 and Fri 25 closed, weekend, so Monday 28 Dec 08:35.
    expect(dueWita(withHolidays, '2026-12-23T15:50', 15)).toBe('2026-12-28T08:35');
    expect(dueWita(tabalong, '2026-12-23T15:50', 15)).toBe('2026-12-24T08:35');
  });

  it('started on a holiday morning counts from the next working day', () => {
    const h: ServiceHours = { ...tabalong, holidays: [{ date: '2026-11-23', name: 'test' }] };
    expect(dueWita(h, '2026-11-23T09:00', 15)).toBe('2026-11-24T08:45');
  });

  it('never comes due for an office without hours', () => {
    expect(dueAt({ timeZone: 'Asia/Makassar', weekly: {}, holidays: [] }, wita('2026-11-23T09:00'), 15)).toBeNull();
  });
});

describe('serviceMinutesBetween', () => {
  it('counts only open hours across a weekend (Tabalong Fri 10:25 → Mon 08:40 = 15)', () => {
    expect(serviceMinutesBetween(tabalong, wita('2026-11-20T10:25'), wita('2026-11-23T08:40'))).toBe(15);
  });
  it('a full week is 1950 minutes', () => {
    expect(serviceMinutesBetween(tabalong, wita('2026-11-23T00:00'), wita('2026-11-30T00:00'))).toBe(1950);
  });
  it('nothing outside hours, nothing backwards', () => {
    expect(serviceMinutesBetween(tabalong, wita('2026-11-23T16:00'), wita('2026-11-24T08:30'))).toBe(0);
    expect(serviceMinutesBetween(tabalong, wita('2026-11-24T09:00'), wita('2026-11-23T09:00'))).toBe(0);
  });
  it('counts fractions of a minute', () => {
    expect(serviceMinutesBetween(tabalong, wita('2026-11-23T09:00'), wita('2026-11-23T09:00') + 30_000)).toBe(0.5);
  });
  it('skips a holiday', () => {
    const h: ServiceHours = { ...tabalong, holidays: HOLIDAYS_2026 };
    expect(serviceMinutesBetween(h, wita('2026-12-23T00:00'), wita('2026-12-29T00:00'))).toBe(450 + 450); // Wed 23 and Mon 28; Thu 24, Fri 25 and the weekend closed
  });
  it('agrees with dueAt: the service time from start to due is the standard', () => {
    for (const [start, minutes] of [['2026-11-20T10:25', 15], ['2026-11-21T03:00', 700], ['2026-11-26T15:59', 1]] as const) {
      const due = dueAt(tabalong, wita(start), minutes)!;
      expect(serviceMinutesBetween(tabalong, wita(start), due)).toBe(minutes);
    }
  });
  it('uses the office zone: the same instant is inside Jambi hours (WIB) but before Tabalong opening (WITA)', () => {
    // 00:20 UTC = 07:20 WIB (closed) = 08:20 WITA (closed); 01:10 UTC = 08:10 WIB (open) = 09:10 WITA (open).
    const t = Date.parse('2026-11-23T01:10:00Z');
    expect(isOpenAt(KOTA_JAMBI.hours, t)).toBe(true);
    expect(serviceMinutesBetween(KOTA_JAMBI.hours, Date.parse('2026-11-23T00:20:00Z'), t)).toBe(10);
    expect(serviceMinutesBetween(TABALONG.hours, Date.parse('2026-11-23T00:20:00Z'), t)).toBe(40);
  });
  it('Jambi lunch break is not service time', () => {
    expect(serviceMinutesBetween(KOTA_JAMBI.hours, wib('2026-11-23T11:50'), wib('2026-11-23T13:10'))).toBe(20);
    expect(msToLocal('Asia/Jakarta', dueAt(KOTA_JAMBI.hours, wib('2026-11-27T11:20'), 15)!)).toBe('2026-11-27T13:35');
  });
});

describe('isOverrun / isOpenAt / nextOpening', () => {
  it('overrun only once the standard has passed in service time', () => {
    const start = wita('2026-11-20T10:25');
    expect(isOverrun(tabalong, start, 15, wita('2026-11-22T12:00'))).toBe(false); // Sunday: clock stopped
    expect(isOverrun(tabalong, start, 15, wita('2026-11-23T08:40'))).toBe(false);
    expect(isOverrun(tabalong, start, 15, wita('2026-11-23T08:41'))).toBe(true);
  });
  it('open at opening, closed at closing', () => {
    expect(isOpenAt(tabalong, wita('2026-11-20T08:00'))).toBe(true);
    expect(isOpenAt(tabalong, wita('2026-11-20T10:30'))).toBe(false);
    expect(msToLocal('Asia/Makassar', nextOpening(tabalong, wita('2026-11-20T10:30'))!)).toBe('2026-11-23T08:30');
  });
});

describe('validation of stored hours', () => {
  it('reads an offices row', () => {
    const h = serviceHoursFromRow({
      time_zone: 'Asia/Makassar',
      service_hours_json: JSON.stringify(TABALONG.hours.weekly),
      holidays_json: JSON.stringify([{ date: '2026-12-25', name: 'Natal' }]),
    });
    expect(dueAt(h, wita('2026-12-24T15:50'), 15)).toBe(wita('2026-12-28T08:35'));
  });
  it.each([
    ['unknown zone', { timeZone: 'Asia/Singapore', weekly: {}, holidays: [] }],
    ['bad time', { timeZone: 'Asia/Jakarta', weekly: { mon: [['8:00', '12:00']] }, holidays: [] }],
    ['close before open', { timeZone: 'Asia/Jakarta', weekly: { mon: [['12:00', '08:00']] }, holidays: [] }],
    ['overlap', { timeZone: 'Asia/Jakarta', weekly: { mon: [['08:00', '12:00'], ['11:00', '13:00']] }, holidays: [] }],
    ['unknown weekday', { timeZone: 'Asia/Jakarta', weekly: { monday: [['08:00', '12:00']] }, holidays: [] }],
    ['bad holiday', { timeZone: 'Asia/Jakarta', weekly: {}, holidays: [{ date: '2026-13-01' }] }],
  ])('refuses %s', (_l, input) => {
    expect(ServiceHoursSchema.safeParse(input).success).toBe(false);
  });
  it('accepts the demo offices', () => {
    expect(ServiceHoursSchema.safeParse(KOTA_JAMBI.hours).success).toBe(true);
    expect(ServiceHoursSchema.safeParse(TABALONG.hours).success).toBe(true);
    expect(ServiceHoursSchema.safeParse({ timeZone: 'Asia/Jayapura', weekly: { sat: [['20:00', '24:00']] }, holidays: [] }).success).toBe(true);
  });
});
