/**
 * The RETAS roster's pure rules, shared by the tablet (offline) and the Worker: who is eligible on the recording
 * day, a student's stable key (two tablets that imported the same school list name a student alike), and the
 * school list's CSV rows turned into students.
 */
import { z } from 'zod';
import { ageOn } from '../ikd-rules';

/** Card age (UU 24/2013 art. 63): cards are printed at 17. */
export const RETAS_CARD_AGE = 17;
/** The longest period before the 17th birthday an office may record in (some offices record from 16). */
export const RETAS_MAX_EARLY_MONTHS = 12;

export const MARK_STATUSES = ['recorded', 'absent', 'refused', 'problem'] as const;
export type MarkStatus = (typeof MARK_STATUSES)[number];

const isoDay = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A real calendar day as YYYY-MM-DD (2026-02-30 is not). */
export function isCalendarDay(s: string): boolean {
  const m = isoDay.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

/**
 * The day a person born on `birthDate` turns `years`; a 29 February birthday falls on 1 March in common years
 * (as `ageOn` counts it).
 * @example birthdayAt('2009-02-28', 17) // '2026-02-28'
 */
export function birthdayAt(birthDate: string, years: number): string {
  const [y, m, d] = birthDate.split('-').map(Number) as [number, number, number];
  const t = new Date(Date.UTC(y + years, m - 1, d));
  // Date.UTC rolls 29 Feb of a common year over to 1 March: exactly the rule wanted.
  return t.toISOString().slice(0, 10);
}

/** `day` plus `months` calendar months, clamped to the month's last day (31 Jan + 1 month = 28/29 Feb). */
export function addMonths(day: string, months: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const last = new Date(Date.UTC(y, m - 1 + months + 1, 0)).getUTCDate();
  return new Date(Date.UTC(y, m - 1 + months, Math.min(d, last))).toISOString().slice(0, 10);
}

export type RetasEligibility =
  | { eligible: true; basis: 'seventeen' | 'turning_seventeen'; turns17On: string }
  | { eligible: false; basis: 'too_young' | 'bad_birth_date'; turns17On?: string };

/**
 * Seed 001 RETAS / SPEC D: a student is recorded when 17 by the recording date, or turning 17 within the period
 * the office sets (`earlyMonths`, 0 = only those already 17).
 * @example retasEligibility('2009-12-20', '2026-12-14', 1) // { eligible: true, basis: 'turning_seventeen', turns17On: '2026-12-20' }
 */
export function retasEligibility(birthDate: string, recordingDate: string, earlyMonths = 0): RetasEligibility {
  if (!isCalendarDay(birthDate) || !isCalendarDay(recordingDate) || birthDate > recordingDate) return { eligible: false, basis: 'bad_birth_date' };
  const turns17On = birthdayAt(birthDate, RETAS_CARD_AGE);
  if (ageOn(birthDate, recordingDate) >= RETAS_CARD_AGE) return { eligible: true, basis: 'seventeen', turns17On };
  const months = Math.max(0, Math.min(RETAS_MAX_EARLY_MONTHS, Math.trunc(earlyMonths)));
  if (months > 0 && turns17On <= addMonths(recordingDate, months)) return { eligible: true, basis: 'turning_seventeen', turns17On };
  return { eligible: false, basis: 'too_young', turns17On };
}

/** Upper-case letters and single spaces only: "Nur'aini  Śiti" and "NURAINI SITI" are the same student. */
export function normalName(name: string): string {
  return name.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toUpperCase().replace(/[^A-Z ]+/g, '').replace(/\s+/g, ' ').trim();
}

/**
 * The key a student is known by within one RETAS event: the national student number (NISN) when the school gave
 * one, else the normalised name with the birth date. Both tablets compute the same key from the same list.
 */
export function studentKey(s: { nisn?: string | null; name: string; birthDate: string }): string {
  return s.nisn ? `nisn:${s.nisn}` : `nb:${normalName(s.name)}|${s.birthDate}`;
}

export const Student = z.strictObject({
  name: z.string().trim().min(2).max(120),
  birthDate: z.string().refine(isCalendarDay, 'Tanggal lahir YYYY-MM-DD / birth date as YYYY-MM-DD'),
  /** NISN: 10 digits. */
  nisn: z.string().regex(/^\d{10}$/, 'NISN 10 digit / NISN must be 10 digits').optional(),
  className: z.string().trim().max(40).optional(),
  sex: z.enum(['L', 'P']).optional(),
  /** The student's NIK when the school's list has it or the officer typed it: matched against the registry. */
  nik: z.string().regex(/^\d{16}$/, 'NIK 16 digit / NIK must be 16 digits').optional(),
});
export type Student = z.infer<typeof Student>;

/** Column names a school's export may use, lower-cased without spaces, dots or underscores. */
const COLUMNS: Record<keyof Student, string[]> = {
  name: ['nama', 'namasiswa', 'namalengkap', 'name'],
  birthDate: ['tanggallahir', 'tgllahir', 'tgllhr', 'birthdate', 'dateofbirth'],
  nisn: ['nisn'],
  className: ['kelas', 'rombel', 'class', 'classname'],
  sex: ['jk', 'jeniskelamin', 'lp', 'sex'],
  nik: ['nik', 'noinduk', 'nomorindukkependudukan'],
};
const squash = (h: string) => h.toLowerCase().replace(/[\s._-]+/g, '');

/** A birth date as schools write it: 2009-12-20, 20-12-2009, 20/12/2009 or 20.12.2009. */
export function parseSchoolDate(raw: string): string | undefined {
  const s = raw.trim();
  if (isCalendarDay(s)) return s;
  const m = /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$/.exec(s);
  if (!m) return undefined;
  const iso = `${m[3]}-${m[2]!.padStart(2, '0')}-${m[1]!.padStart(2, '0')}`;
  return isCalendarDay(iso) ? iso : undefined;
}

export interface RowProblem {
  /** 1-based data row (the header is row 0). */
  row: number;
  field: keyof Student | 'columns' | 'duplicate';
  value?: string;
}

/**
 * The rows of a parsed school list (header → value) as students; rows that cannot be read are named, never dropped
 * silently. The same student twice (by key) is kept once and reported.
 */
export function rowsToStudents(rows: Record<string, string | undefined>[]): { students: Student[]; problems: RowProblem[] } {
  const students: Student[] = [];
  const problems: RowProblem[] = [];
  if (!rows.length) return { students, problems };
  const headers = Object.keys(rows[0]!);
  const column = (field: keyof Student) => headers.find((h) => COLUMNS[field].includes(squash(h)));
  const cols = { name: column('name'), birthDate: column('birthDate'), nisn: column('nisn'), className: column('className'), sex: column('sex'), nik: column('nik') };
  if (!cols.name || !cols.birthDate) return { students, problems: [{ row: 0, field: 'columns', value: headers.join(', ') }] };
  const seen = new Set<string>();
  rows.forEach((r, i) => {
    const row = i + 1;
    const name = (r[cols.name!] ?? '').trim();
    if (!name && !Object.values(r).some((v) => v?.trim())) return; // an empty line
    const birthDate = parseSchoolDate(r[cols.birthDate!] ?? '');
    if (!birthDate) return void problems.push({ row, field: 'birthDate', value: r[cols.birthDate!] ?? '' });
    const nisnRaw = cols.nisn ? (r[cols.nisn] ?? '').replace(/\D/g, '') : '';
    const sexRaw = cols.sex ? (r[cols.sex] ?? '').trim().toUpperCase() : '';
    // Spreadsheets show a NIK with spaces or dots, or as 6.309E+15 (unreadable: reported, not guessed).
    const nikRaw = cols.nik ? (r[cols.nik] ?? '').trim() : '';
    const nik = /^[\d\s.'-]+$/.test(nikRaw) ? nikRaw.replace(/\D/g, '') : nikRaw;
    const candidate = {
      name,
      birthDate,
      ...(nisnRaw ? { nisn: nisnRaw.padStart(10, '0') } : {}),
      ...(cols.className && r[cols.className]?.trim() ? { className: r[cols.className]!.trim() } : {}),
      ...(sexRaw === 'L' || sexRaw === 'P' ? { sex: sexRaw as 'L' | 'P' } : {}),
      ...(nik ? { nik } : {}),
    };
    const parsed = Student.safeParse(candidate);
    if (!parsed.success) return void problems.push({ row, field: (parsed.error.issues[0]?.path[0] as keyof Student) ?? 'name', value: String((candidate as Record<string, unknown>)[String(parsed.error.issues[0]?.path[0])] ?? '') });
    const key = studentKey(parsed.data);
    if (seen.has(key)) return void problems.push({ row, field: 'duplicate', value: name });
    seen.add(key);
    students.push(parsed.data);
  });
  return { students, problems };
}

/**
 * A student against the population registry (by NIK): `matched` when the NIK is known with the same name and birth
 * date, `differs` when the NIK is known under another name or birth date, `not_found` when it is unknown, `no_nik`
 * when the school gave none. Anything but `matched` is followed up by the office (the report lists it).
 * @example registryMatch({ name: 'Siti Aminah', birthDate: '2009-12-20', nik }, { name: 'SITI AMINAH', birthDate: '2009-12-20' }) // 'matched'
 */
export const REGISTRY_MATCHES = ['matched', 'differs', 'not_found', 'no_nik'] as const;
export type RegistryMatch = (typeof REGISTRY_MATCHES)[number];

export function registryMatch(student: { name: string; birthDate: string; nik?: string | null }, resident: { name: string; birthDate: string } | undefined): RegistryMatch {
  if (!student.nik) return 'no_nik';
  if (!resident) return 'not_found';
  return normalName(student.name) === normalName(resident.name) && student.birthDate === resident.birthDate ? 'matched' : 'differs';
}

/** At most this many students in one registry match request (one JSON parameter, however many). */
export const MATCHES_PER_REQUEST = 200;

/** One status change of one student on one tablet: the unit the tablet stores, uploads and the server judges. */
export const RosterMark = z.strictObject({
  /** UUIDv7 made on the tablet: the idempotency key. */
  id: z.string().uuid(),
  studentKey: z.string().min(3).max(200),
  student: Student,
  status: z.enum(MARK_STATUSES),
  note: z.string().trim().max(500).optional(),
  /** When the officer set the status, on the tablet's clock (ms). */
  at: z.number().int().min(0),
  /** The mark this one changes (the latest the tablet knew), null for the student's first. */
  replaces: z.string().uuid().nullable(),
  deviceId: z.string().min(8).max(64),
}).refine((m) => m.status !== 'problem' || (m.note ?? '').length >= 3, { message: 'Masalah perlu catatan / a problem needs a note', path: ['note'] })
  .refine((m) => m.studentKey === studentKey(m.student), { message: 'Kunci siswa tidak cocok / student key does not match', path: ['studentKey'] });
export type RosterMark = z.infer<typeof RosterMark>;

/** At most this many marks in one upload; the tablet sends a school day in a few. */
export const MARKS_PER_UPLOAD = 200;
