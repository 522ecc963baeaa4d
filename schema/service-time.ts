/** Service time: office hours, holidays and standard times ("mutu baku") counted only while the office is open; pure, no I/O. */
import { z } from 'zod';

/**
 * Indonesia's zones and their UTC offsets in hours. None observes daylight saving, so a fixed offset is exact and
 * the code needs no Intl time-zone data (which some webviews and workerd builds trim).
 */
export const TIME_ZONES = { 'Asia/Jakarta': 7, 'Asia/Makassar': 8, 'Asia/Jayapura': 9 } as const;
export type TimeZone = keyof typeof TIME_ZONES;
export const TIME_ZONE_LABELS: Record<TimeZone, string> = { 'Asia/Jakarta': 'WIB', 'Asia/Makassar': 'WITA', 'Asia/Jayapura': 'WIT' };

export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** [open, close) in local "HH:MM"; close may be "24:00". */
export type Interval = readonly [open: string, close: string];
/** Opening intervals per weekday; a missing day is closed. Stored as offices.service_hours_json. */
export type WeeklyHours = Readonly<Partial<Record<Weekday, readonly Interval[]>>>;
/** A local date the office is closed. Stored (as a list) in offices.holidays_json. */
export interface Holiday {
  date: string;
  name?: string;
}
/** Everything needed to count service time for one office. */
export interface ServiceHours {
  timeZone: TimeZone;
  weekly: WeeklyHours;
  holidays: readonly Holiday[];
}

const MINUTE = 60_000;
const DAY = 86_400_000;
/** dueAt looks this far ahead for enough open time before giving up (an office with no hours never runs out). */
const MAX_LOOKAHEAD_DAYS = 3_660;

const hhmm = /^(?:([01]\d|2[0-3]):([0-5]\d)|24:00)$/;
function minutesOf(t: string): number {
  const m = hhmm.exec(t);
  if (!m) throw new RangeError(`not a HH:MM time: ${t}`);
  return m[1] === undefined ? 24 * 60 : Number(m[1]) * 60 + Number(m[2]);
}

/** For validation: NaN instead of throwing, so a bad time fails the comparison rather than the parser. */
const safeMinutes = (t: string) => (hhmm.test(t) ? minutesOf(t) : Number.NaN);

const IntervalSchema = z
  .tuple([z.string().regex(hhmm, 'HH:MM'), z.string().regex(hhmm, 'HH:MM')])
  .refine(([o, c]) => safeMinutes(o) < safeMinutes(c), 'opening must be before closing');
const DaySchema = z
  .array(IntervalSchema)
  .refine((list) => list.every((iv, i) => i === 0 || safeMinutes(list[i - 1]![1]) <= safeMinutes(iv[0])), 'intervals must be in order and not overlap');

/** Validates weekly hours (admin input, offices.service_hours_json). */
export const WeeklyHoursSchema = z.partialRecord(z.enum(WEEKDAYS), DaySchema);
/** A calendar date that exists, written YYYY-MM-DD: month 61 or 30 February is refused here, not met as NaN later. */
export const calendarDate = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'YYYY-MM-DD')
  .refine((s) => {
    // zod runs this even when the pattern failed: an invalid Date must answer false, not throw.
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(s);
  }, 'Tanggal tidak ada / no such date');
const isoDate = calendarDate;
/** Validates the holiday list (offices.holidays_json). */
export const HolidaysSchema = z.array(z.object({ date: isoDate, name: z.string().max(120).optional() }));
export const ServiceHoursSchema = z.object({
  timeZone: z.enum(Object.keys(TIME_ZONES) as [TimeZone, ...TimeZone[]]),
  weekly: WeeklyHoursSchema,
  holidays: HolidaysSchema,
});

/** Builds ServiceHours from an offices row; throws a ZodError when the stored JSON is malformed. */
export function serviceHoursFromRow(row: { time_zone: string; service_hours_json: string; holidays_json: string }): ServiceHours {
  return ServiceHoursSchema.parse({
    timeZone: row.time_zone,
    weekly: JSON.parse(row.service_hours_json),
    holidays: JSON.parse(row.holidays_json),
  });
}

interface Compiled {
  offsetMs: number;
  /** Per weekday index (0 = Sunday): [open, close) in minutes after local midnight. */
  days: [number, number][][];
  /** Local day numbers (days since 1970-01-01) that are holidays. */
  closed: Set<number>;
}

const compiledCache = new WeakMap<ServiceHours, Compiled>();
function compile(hours: ServiceHours): Compiled {
  let c = compiledCache.get(hours);
  if (!c) {
    c = {
      offsetMs: TIME_ZONES[hours.timeZone] * 3_600_000,
      days: WEEKDAYS.map((d) => (hours.weekly[d] ?? []).map(([o, cl]) => [minutesOf(o), minutesOf(cl)] as [number, number])),
      closed: new Set(hours.holidays.map((h) => Date.parse(`${h.date}T00:00:00Z`) / DAY)),
    };
    compiledCache.set(hours, c);
  }
  return c;
}

/** Open intervals of one local day as absolute [from, to) epoch ms. */
function openOn(c: Compiled, day: number): [number, number][] {
  if (c.closed.has(day)) return [];
  const weekday = (((day + 4) % 7) + 7) % 7; // 1970-01-01 was a Thursday
  const midnight = day * DAY - c.offsetMs;
  return c.days[weekday]!.map(([o, cl]) => [midnight + o * MINUTE, midnight + cl * MINUTE]);
}

const localDay = (c: Compiled, ms: number) => Math.floor((ms + c.offsetMs) / DAY);

/**
 * Service time elapsed between two instants, in minutes, counting only open hours.
 * @example serviceMinutesBetween(tabalong, fri1025, mon0840) // → 15
 */
export function serviceMinutesBetween(hours: ServiceHours, startMs: number, endMs: number): number {
  if (!(endMs > startMs)) return 0;
  const c = compile(hours);
  let total = 0;
  for (let day = localDay(c, startMs), last = localDay(c, endMs); day <= last; day++) {
    for (const [from, to] of openOn(c, day)) total += Math.max(0, Math.min(to, endMs) - Math.max(from, startMs));
  }
  return total / MINUTE;
}

/**
 * The instant a step's standard time runs out, counting only open hours; a step started while closed starts
 * counting at the next opening. Null when the office has no open hours in the next ten years.
 * @example dueAt(tabalong, friday10h25Wita, 15) // → Monday 08:40 WITA
 */
export function dueAt(hours: ServiceHours, startMs: number, standardMinutes: number): number | null {
  const c = compile(hours);
  let remaining = Math.max(0, standardMinutes) * MINUTE;
  const first = localDay(c, startMs);
  for (let day = first; day <= first + MAX_LOOKAHEAD_DAYS; day++) {
    for (const [from, to] of openOn(c, day)) {
      if (to <= startMs) continue;
      const begin = Math.max(from, startMs);
      if (remaining <= to - begin) return begin + remaining;
      remaining -= to - begin;
    }
  }
  return null;
}

/** True when more service time than the standard has passed since the step started (an overrun, "terlambat"). */
export function isOverrun(hours: ServiceHours, startMs: number, standardMinutes: number, nowMs: number): boolean {
  const due = dueAt(hours, startMs, standardMinutes);
  return due !== null && nowMs > due;
}

/** True while the office is open at this instant. */
export function isOpenAt(hours: ServiceHours, ms: number): boolean {
  const c = compile(hours);
  return openOn(c, localDay(c, ms)).some(([from, to]) => ms >= from && ms < to);
}

/** The next instant (≥ ms) the office is open, or null when none within ten years. */
export function nextOpening(hours: ServiceHours, ms: number): number | null {
  return dueAt(hours, ms, 0);
}

/**
 * Epoch ms of a local wall-clock time in a zone.
 * @example localToMs('Asia/Makassar', '2026-11-20T10:25') // → Date.parse('2026-11-20T02:25:00Z')
 */
export function localToMs(timeZone: TimeZone, local: string): number {
  const ms = Date.parse(`${local.length === 16 ? `${local}:00` : local}Z`);
  if (Number.isNaN(ms)) throw new RangeError(`not a local date-time: ${local}`);
  return ms - TIME_ZONES[timeZone] * 3_600_000;
}

/**
 * Local wall-clock "YYYY-MM-DDTHH:MM" of an instant in a zone.
 * @example msToLocal('Asia/Makassar', Date.parse('2026-11-23T00:40:00Z')) // → '2026-11-23T08:40'
 */
export function msToLocal(timeZone: TimeZone, ms: number): string {
  return new Date(ms + TIME_ZONES[timeZone] * 3_600_000).toISOString().slice(0, 16);
}

/**
 * The close of the `workingDays`-th working day after the local day of `startMs` (the day a complaint arrives does
 * not count, whatever the hour; a working day is a day with open hours that is not a holiday). SP4N-LAPOR!'s
 * "verify within 3 working days" is `addWorkingDays(hours, receivedAt, 3)`. Null when no such day within ten years.
 * @example addWorkingDays(tabalong, friday0900Wita, 3) // → Wednesday 16:00 WITA
 */
export function addWorkingDays(hours: ServiceHours, startMs: number, workingDays: number): number | null {
  const c = compile(hours);
  const first = localDay(c, startMs);
  let left = Math.max(0, Math.floor(workingDays));
  if (left === 0) return startMs;
  for (let day = first + 1; day <= first + MAX_LOOKAHEAD_DAYS; day++) {
    const open = openOn(c, day);
    if (open.length === 0) continue;
    if (--left === 0) return open[open.length - 1]![1];
  }
  return null;
}
