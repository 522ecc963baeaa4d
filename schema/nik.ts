/** NIK and KK number rules (PP KK CC DDMMYY SSSS): parse, validate, mask and generate; pure, shared by worker and PWA. */
import { regionOfDistrict, undotted, type Region } from './regions';

export type Sex = 'L' | 'P';

/** Stable reasons a NIK or KK number is refused; clients branch on these, never on the message. */
export type IdNumberReason = 'not_16_digits' | 'unknown_region' | 'invalid_date' | 'future_date' | 'invalid_serial';

export interface Refusal {
  ok: false;
  reason: IdNumberReason;
  /** Indonesian first, English second. */
  message: { id: string; en: string };
}

export interface ParsedNik {
  ok: true;
  nik: string;
  /** Where the NIK was issued (not the current address); for a retired code also today's region. */
  region: Region;
  /** YYYY-MM-DD. */
  birthDate: string;
  sex: Sex;
  /** 1–9999. */
  serial: number;
}

export interface ParsedKk {
  ok: true;
  kk: string;
  region: Region;
  /** YYYY-MM-DD, the date of issue encoded in the number. */
  issueDate: string;
  serial: number;
}

const MESSAGES: Record<'nik' | 'kk', Record<IdNumberReason, { id: string; en: string }>> = {
  nik: {
    not_16_digits: { id: 'NIK harus terdiri dari 16 angka.', en: 'A NIK has exactly 16 digits.' },
    unknown_region: {
      id: 'Kode wilayah NIK (6 angka pertama) tidak dikenal.',
      en: 'The region code of the NIK (first 6 digits) is unknown.',
    },
    invalid_date: {
      id: 'Tanggal lahir dalam NIK bukan tanggal yang sah.',
      en: 'The birth date in the NIK is not a real calendar date.',
    },
    future_date: { id: 'Tanggal lahir dalam NIK belum terjadi.', en: 'The birth date in the NIK is in the future.' },
    invalid_serial: {
      id: 'Nomor urut NIK (4 angka terakhir) tidak boleh 0000.',
      en: 'The serial of the NIK (last 4 digits) cannot be 0000.',
    },
  },
  kk: {
    not_16_digits: { id: 'Nomor KK harus terdiri dari 16 angka.', en: 'A KK number has exactly 16 digits.' },
    unknown_region: {
      id: 'Kode wilayah nomor KK (6 angka pertama) tidak dikenal.',
      en: 'The region code of the KK number (first 6 digits) is unknown.',
    },
    invalid_date: {
      id: 'Tanggal dalam nomor KK bukan tanggal yang sah.',
      en: 'The date in the KK number is not a real calendar date.',
    },
    future_date: { id: 'Tanggal dalam nomor KK belum terjadi.', en: 'The date in the KK number is in the future.' },
    invalid_serial: {
      id: 'Nomor urut KK (4 angka terakhir) tidak boleh 0000.',
      en: 'The serial of the KK number (last 4 digits) cannot be 0000.',
    },
  },
};

function refuse(kind: 'nik' | 'kk', reason: IdNumberReason): Refusal {
  return { ok: false, reason, message: MESSAGES[kind][reason] };
}

export function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

export function daysInMonth(y: number, m: number): number {
  return m === 2 ? (isLeapYear(y) ? 29 : 28) : [4, 6, 9, 11].includes(m) ? 30 : 31;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/**
 * Today's date as YYYY-MM-DD. A Date is read in WIT (UTC+9), Indonesia's easternmost zone: a date that has begun
 * anywhere in the country is not "in the future" for a NIK issued there.
 */
function todayIso(today: Date | string | undefined): string {
  if (typeof today === 'string') return today;
  const d = new Date((today ?? new Date()).getTime() + 9 * 3_600_000);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

/**
 * Reads DDMMYY. The two-digit year gets the latest of the centuries NIKs are issued for (20YY, then 19YY) that
 * does not put the date after today — so "05" is 2005, not 1905, once 2005 has begun.
 */
function readDate(day: number, month: number, yy: number, today: string): { date: string } | { reason: IdNumberReason } {
  if (month < 1 || month > 12 || day < 1 || day > 31) return { reason: 'invalid_date' };
  const candidates = [2000 + yy, 1900 + yy].map((y) => `${y}-${pad(month)}-${pad(day)}`);
  const date = candidates.find((c) => c <= today);
  if (!date) return { reason: 'future_date' };
  const year = Number(date.slice(0, 4));
  if (day > daysInMonth(year, month)) return { reason: 'invalid_date' };
  return { date };
}

/**
 * Parses and validates a NIK. `today` (YYYY-MM-DD or a Date) defaults to now.
 * @example parseNik('6309064502050001') // → { ok: true, birthDate: '2005-02-05', sex: 'P', serial: 1, region: { district: 'Murung Pudak', … } }
 */
export function parseNik(nik: string, today?: Date | string): ParsedNik | Refusal {
  if (!/^\d{16}$/.test(nik)) return refuse('nik', 'not_16_digits');
  const region = regionOfDistrict(nik.slice(0, 6));
  if (!region) return refuse('nik', 'unknown_region');
  const rawDay = Number(nik.slice(6, 8));
  // Women's NIKs carry the day plus 40 (41–71); 32–40 and 72+ are no day at all.
  const sex: Sex = rawDay > 40 ? 'P' : 'L';
  const day = sex === 'P' ? rawDay - 40 : rawDay;
  const read = readDate(day, Number(nik.slice(8, 10)), Number(nik.slice(10, 12)), todayIso(today));
  if ('reason' in read) return refuse('nik', read.reason);
  const serial = Number(nik.slice(12));
  if (serial < 1) return refuse('nik', 'invalid_serial');
  return { ok: true, nik, region, birthDate: read.date, sex, serial };
}

/**
 * Parses and validates a KK (Kartu Keluarga) number: district code, date of issue DDMMYY, serial.
 * @example parseKk('1571020301150003') // → { ok: true, issueDate: '2015-01-03', serial: 3, … }
 */
export function parseKk(kk: string, today?: Date | string): ParsedKk | Refusal {
  if (!/^\d{16}$/.test(kk)) return refuse('kk', 'not_16_digits');
  const region = regionOfDistrict(kk.slice(0, 6));
  if (!region) return refuse('kk', 'unknown_region');
  const read = readDate(Number(kk.slice(6, 8)), Number(kk.slice(8, 10)), Number(kk.slice(10, 12)), todayIso(today));
  if ('reason' in read) return refuse('kk', read.reason);
  const serial = Number(kk.slice(12));
  if (serial < 1) return refuse('kk', 'invalid_serial');
  return { ok: true, kk, region, issueDate: read.date, serial };
}

/**
 * Masks a NIK or KK number for places that do not need the full value: first 4 and last 4 digits stay.
 * @example maskNik('1571020101900001') // → '1571••••••••0001'
 */
export function maskNik(nik: string): string {
  if (nik.length <= 8) return '•'.repeat(nik.length);
  return nik.slice(0, 4) + '•'.repeat(nik.length - 8) + nik.slice(-4);
}

function districtDigits(district: string): string {
  const code = undotted(district);
  if (!code || code.length !== 6 || !regionOfDistrict(code)) throw new RangeError(`unknown district code ${district}`);
  return code;
}

function dateDigits(iso: string, dayOffset: number): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) throw new RangeError(`not a YYYY-MM-DD date: ${iso}`);
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (y < 1900 || y > 2099 || mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) {
    throw new RangeError(`not a real date in 1900–2099: ${iso}`);
  }
  return pad(d + dayOffset) + pad(mo) + pad(y % 100);
}

function serialDigits(serial: number): string {
  if (!Number.isInteger(serial) || serial < 1 || serial > 9999) throw new RangeError(`serial must be 1–9999: ${serial}`);
  return pad(serial, 4);
}

/**
 * Builds the NIK for a district, birth date, sex and serial (demo data and tests). Throws RangeError on bad input.
 * @example makeNik({ district: '63.09.06', birthDate: '2005-02-05', sex: 'P', serial: 1 }) // → '6309064502050001'
 */
export function makeNik(p: { district: string; birthDate: string; sex: Sex; serial: number }): string {
  return districtDigits(p.district) + dateDigits(p.birthDate, p.sex === 'P' ? 40 : 0) + serialDigits(p.serial);
}

/**
 * Builds a KK number from a district, date of issue and serial. Throws RangeError on bad input.
 * @example makeKk({ district: '157102', issueDate: '2015-01-03', serial: 3 }) // → '1571020301150003'
 */
export function makeKk(p: { district: string; issueDate: string; serial: number }): string {
  return districtDigits(p.district) + dateDigits(p.issueDate, 0) + serialDigits(p.serial);
}
