/**
 * Contracts of an office's settings (`/api/offices`): weekly service hours and holidays, which every standard
 * time, slot and overrun is counted against. Shared by the worker and the PWA's admin screen.
 */
import { z } from 'zod';
import { TIME_ZONES, type TimeZone, WeeklyHoursSchema } from '../service-time';
import { OfficeCode } from './auth';

/** A real calendar date "YYYY-MM-DD" (no 30 February). */
export const CalendarDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD')
  .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
  }, 'not a calendar date (bukan tanggal yang ada)');

/** Enough for several years of national holidays, joint leave and local days. */
export const MAX_HOLIDAYS = 200;
/** Split shifts and prayer breaks need a few intervals a day, not dozens. */
export const MAX_INTERVALS_PER_DAY = 4;

export const HolidayInput = z.strictObject({
  date: CalendarDate,
  name: z.string().trim().min(1, 'name the day (beri nama hari libur)').max(120),
});

export const HolidayList = z
  .array(HolidayInput)
  .max(MAX_HOLIDAYS)
  .refine((list) => new Set(list.map((h) => h.date)).size === list.length, 'a date appears twice (tanggal ganda)');

export const WeeklyHoursInput = WeeklyHoursSchema.refine(
  (week) => Object.values(week).every((day) => (day?.length ?? 0) <= MAX_INTERVALS_PER_DAY),
  `at most ${MAX_INTERVALS_PER_DAY} intervals a day (paling banyak ${MAX_INTERVALS_PER_DAY} rentang per hari)`,
);

/**
 * Where overdue complaints are escalated to (issue 11): the head of division's email and/or WhatsApp number. Either
 * may be null (none); with both null an overdue complaint is only flagged in the inbox. Shared by the office screen
 * (`PATCH /api/offices/{code}`) and the complaint settings, so both accept exactly the same.
 */
export const EscalationEmail = z.email('email tidak valid (invalid email address)').max(254, 'paling banyak 254 karakter (at most 254 characters)');
/** An Indonesian mobile number as WhatsApp knows it: 08…, 628… or +628…. */
export const EscalationPhone = z.string().trim().regex(/^(\+62|62|0)8\d{7,12}$/, 'nomor WhatsApp tidak valid, mis. 081234567890 (invalid WhatsApp number, e.g. 081234567890)');
export const EscalationContact = z.strictObject({ email: EscalationEmail.nullable(), phone: EscalationPhone.nullable() });
export type EscalationContact = z.infer<typeof EscalationContact>;

export const OfficeSettings = z.object({
  code: OfficeCode,
  name: z.string(),
  timeZone: z.enum(Object.keys(TIME_ZONES) as [TimeZone, ...TimeZone[]]),
  hours: WeeklyHoursSchema,
  holidays: z.array(z.object({ date: z.string(), name: z.string().optional() })),
  /** ISO time of the last change by an admin; null while the seeded values stand. */
  updatedAt: z.string().nullable(),
  escalation: z.object({ email: z.string().nullable(), phone: z.string().nullable() }),
  /** RETAS: months before the 17th birthday a proposal's event records students in (0 = only those already 17). */
  retasEarlyMonths: z.number().int(),
});
export type OfficeSettings = z.infer<typeof OfficeSettings>;

export const OfficeSettingsResponse = z.object({ office: OfficeSettings });

/**
 * Replaces the hours, the holiday list, the escalation contact, the RETAS early period, or several; what is left out
 * stays as it is. The period's range (0–12 whole months, RETAS_MAX_EARLY_MONTHS) is checked by the route:
 * `retas_early_months_invalid`.
 */
export const UpdateOfficeRequest = z
  .strictObject({ hours: WeeklyHoursInput.optional(), holidays: HolidayList.optional(), escalation: EscalationContact.optional(), retasEarlyMonths: z.number().optional() })
  .refine(
    (b) => b.hours !== undefined || b.holidays !== undefined || b.escalation !== undefined || b.retasEarlyMonths !== undefined,
    'send hours, holidays, the escalation contact or the RETAS period (kirim jam layanan, hari libur, kontak eskalasi dan/atau periode RETAS)',
  );
export type UpdateOfficeRequest = z.infer<typeof UpdateOfficeRequest>;
