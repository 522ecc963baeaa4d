/**
 * IKD rules shared by the worker and the PWA: eligibility (seed 003), the resident's PIN policy, the binding QR
 * payloads and the limits of activation and sign-in. Pure: no I/O, no clock except what the caller passes.
 */
import { msToLocal, type TimeZone } from './service-time';

// ---- limits (seed 003/004 and DESIGN.md "Tokens, PINs and QR codes") ----

/** Wrong activation PINs a link takes; the last one closes it and an operator must issue a new one. */
export const ACTIVATION_PIN_TRIES = 5;
/** Life of an activation link and its PIN. */
export const ACTIVATION_TTL_SECONDS = 24 * 60 * 60;
/** Life of a binding QR's nonce: long enough for a counter visit or a video call, short enough to be useless later. */
export const BINDING_NONCE_TTL_SECONDS = 15 * 60;
/** Life of a sign-in challenge. */
export const CHALLENGE_TTL_SECONDS = 120;
/** Wrong PINs (sign-in, release, change) before the first temporary lock; later ones double the wait. */
export const PIN_TRIES_BEFORE_LOCK = 3;
/** Mismatched identity checks for one NIK before registration is locked for a while. */
export const MATCH_TRIES_BEFORE_LOCK = 5;
/** A slot can be booked until this long before it starts. */
export const BOOKING_LEAD_MINUTES = 10;

// ---- eligibility (seed 003 "kualifikasi pelaksana": 17 or older, or married; e-KTP recorded) ----

export const IKD_MIN_AGE = 17;
export type MaritalStatus = 'BELUM_KAWIN' | 'KAWIN' | 'CERAI_HIDUP' | 'CERAI_MATI';
/** Why a resident may not apply yet; clients branch on these. */
export type IneligibleReason = 'under_17' | 'ektp_not_recorded';

export const INELIGIBLE_MESSAGES: Record<IneligibleReason, { id: string; en: string }> = {
  under_17: {
    id: 'Belum berusia 17 tahun dan belum/tidak pernah menikah.',
    en: 'Not yet 17 years old and never married.',
  },
  ektp_not_recorded: {
    id: 'Data KTP-el belum direkam. Silakan lakukan perekaman KTP-el terlebih dahulu.',
    en: 'No e-KTP recording on file. Please have your e-KTP recorded first.',
  },
};

export type Eligibility = { eligible: true } | { eligible: false; reasons: IneligibleReason[] };

/**
 * Whole years from `birthDate` to `today` (both YYYY-MM-DD). A 29 February birthday is reached on 1 March in common
 * years (the person has not completed the year on 28 February), as in the demo population.
 * @example ageOn('2009-11-23', '2026-11-23') // 17
 */
export function ageOn(birthDate: string, today: string): number {
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number];
  const [ty, tm, td] = today.split('-').map(Number) as [number, number, number];
  let age = ty - by;
  // Compare month-day; 02-29 against a common year's 02-28 counts as not reached yet.
  if (tm < bm || (tm === bm && td < bd)) age -= 1;
  return age;
}

/**
 * Seed 003: 17 or older, or married (also divorced or widowed: "telah kawin atau pernah kawin", UU 24/2013 art. 63),
 * and the e-KTP recorded. Every failed condition is listed, first the age.
 * @example eligibility({ birthDate: '2010-05-01', maritalStatus: 'KAWIN', ektpRecorded: true }, '2026-11-23') // { eligible: true }
 */
export function eligibility(
  r: { birthDate: string; maritalStatus: MaritalStatus; ektpRecorded: boolean },
  today: string,
): Eligibility {
  const reasons: IneligibleReason[] = [];
  if (ageOn(r.birthDate, today) < IKD_MIN_AGE && r.maritalStatus === 'BELUM_KAWIN') reasons.push('under_17');
  if (!r.ektpRecorded) reasons.push('ektp_not_recorded');
  return reasons.length === 0 ? { eligible: true } : { eligible: false, reasons };
}

/** The office's calendar date (YYYY-MM-DD) at an instant: eligibility is judged on the office's "today". */
export function officeToday(timeZone: TimeZone, nowMs: number): string {
  return msToLocal(timeZone, nowMs).slice(0, 10);
}

// ---- the resident's own PIN ----

export const PIN_PATTERN = /^\d{6}$/;

/** Why a new PIN is refused; clients explain these in the user's language (problem `pin_weak`, member `reason`). */
export type PinWeakReason =
  | 'not_6_digits'
  | 'repeated'
  | 'sequential'
  | 'pattern'
  | 'common'
  | 'birth_date'
  | 'personal_data'
  | 'same_as_activation_pin'
  | 'unchanged';

export const PIN_WEAK_MESSAGES: Record<PinWeakReason, { id: string; en: string }> = {
  not_6_digits: { id: 'PIN harus 6 angka.', en: 'The PIN must be 6 digits.' },
  repeated: { id: 'PIN tidak boleh satu angka berulang (mis. 111111).', en: 'The PIN cannot be one digit repeated (e.g. 111111).' },
  sequential: { id: 'PIN tidak boleh angka berurutan (mis. 123456, 654321).', en: 'The PIN cannot be a run of digits (e.g. 123456, 654321).' },
  pattern: { id: 'PIN tidak boleh berpola (mis. 121212, 112233, 123123).', en: 'The PIN cannot be a pattern (e.g. 121212, 112233, 123123).' },
  common: { id: 'PIN ini terlalu umum dan mudah ditebak.', en: 'This PIN is too common and easy to guess.' },
  birth_date: { id: 'PIN tidak boleh tanggal lahir Anda.', en: 'The PIN cannot be your date of birth.' },
  personal_data: { id: 'PIN tidak boleh bagian dari NIK atau nomor HP Anda.', en: 'The PIN cannot be part of your NIK or phone number.' },
  same_as_activation_pin: { id: 'PIN tidak boleh sama dengan PIN aktivasi dari email.', en: 'The PIN cannot be the activation PIN from the email.' },
  unchanged: { id: 'PIN baru harus berbeda dari PIN lama.', en: 'The new PIN must differ from the current one.' },
};

/**
 * Frequently chosen 6-digit PINs that the rules below do not already catch (keypad shapes, dates-like and
 * culturally popular numbers such as 520520 "I love you"); the repeated, sequential and patterned ones are refused
 * by rule, so this list stays short.
 */
const COMMON_PINS = new Set([
  '000000', '123456', '654321', '111111', '112233', '121212', '123123', '123321', '159753', '147258', '258369',
  '147852', '753951', '159357', '852456', '123654', '789456', '456123', '321654', '741852', '852963', '963852',
  '147369', '369258', '101010', '202020', '102030', '010203', '112358', '246810', '135790', '131313', '696969',
  '520520', '520131', '521521', '100200', '110110', '119119', '007007', '123789', '789123', '142536', '159951',
  '753159', '951753', '357159', '258258', '741741', '852852', '963963', '147147', '369369', '121314', '232323',
  '098765', '567890', '102938', '123098', '111222', '222333', '777888', '999000', '001122', '998877', '332211',
]);

function isRepeated(pin: string): boolean {
  return /^(\d)\1{5}$/.test(pin);
}

function isSequential(pin: string): boolean {
  const d = [...pin].map(Number);
  // Modulo 10, so the keypad's wrap-around runs (567890, 901234, 098765) count too.
  const steps = d.slice(1).map((x, i) => (x - d[i]! + 10) % 10);
  return steps.every((s) => s === 1) || steps.every((s) => s === 9);
}

function isPattern(pin: string): boolean {
  // ababab, abcabc, aabbcc, abccba, aaabbb
  return /^(\d\d)\1\1$/.test(pin) || /^(\d{3})\1$/.test(pin) || /^(\d)\1(\d)\2(\d)\3$/.test(pin) || /^(\d)(\d)(\d)\3\2\1$/.test(pin) || /^(\d)\1\1(\d)\2\2$/.test(pin);
}

/**
 * Six-digit forms of a birth date (YYYY-MM-DD) people pick as PINs: DDMMYY, MMDDYY, YYMMDD, YYYYMM, MMYYYY and the
 * first six digits of DDMMYYYY; also the NIK's own date field (day + 40 for women) when `nik` is given.
 * @example birthDatePins('2000-01-31') // includes '310100', '000131', '200001', '012000', '310120'
 */
export function birthDatePins(birthDate: string, nik?: string): Set<string> {
  const [yyyy, mm, dd] = birthDate.split('-') as [string, string, string];
  const yy = yyyy.slice(2);
  const forms = [dd + mm + yy, mm + dd + yy, yy + mm + dd, yyyy + mm, mm + yyyy, (dd + mm + yyyy).slice(0, 6)];
  if (nik && /^\d{16}$/.test(nik)) forms.push(nik.slice(6, 12));
  return new Set(forms);
}

export type PinCheck = { ok: true } | { ok: false; reason: PinWeakReason; message: { id: string; en: string } };

/**
 * Checks a resident's new PIN: 6 digits, not repeated/sequential/patterned/common, not the birth date in its usual
 * forms, not the NIK's or phone's last six digits, not the activation PIN, not the current PIN.
 * @example checkPin('123456', {}) // { ok: false, reason: 'sequential', … }
 */
export function checkPin(
  pin: string,
  ctx: { birthDate?: string; nik?: string; phone?: string; activationPin?: string; currentPin?: string },
): PinCheck {
  const refuse = (reason: PinWeakReason): PinCheck => ({ ok: false, reason, message: PIN_WEAK_MESSAGES[reason] });
  if (!PIN_PATTERN.test(pin)) return refuse('not_6_digits');
  if (ctx.currentPin !== undefined && pin === ctx.currentPin) return refuse('unchanged');
  if (isRepeated(pin)) return refuse('repeated');
  if (isSequential(pin)) return refuse('sequential');
  if (isPattern(pin)) return refuse('pattern');
  if (COMMON_PINS.has(pin)) return refuse('common');
  if (ctx.birthDate && birthDatePins(ctx.birthDate, ctx.nik).has(pin)) return refuse('birth_date');
  const phoneDigits = ctx.phone?.replace(/\D/g, '') ?? '';
  if ((ctx.nik && ctx.nik.slice(-6) === pin) || (phoneDigits.length >= 6 && phoneDigits.slice(-6) === pin)) return refuse('personal_data');
  if (ctx.activationPin !== undefined && pin === ctx.activationPin) return refuse('same_as_activation_pin');
  return { ok: true };
}

// ---- binding QR payloads (IKD.md; short text, QR version ≤ 10) ----

const B64URL = /^[A-Za-z0-9_-]+$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** What a binding QR says: the phone's key for the operator to scan, or the operator's session for the phone to scan. */
export type BindingQr =
  | { kind: 'phone'; caseId: string; nonce: string; thumbprint: string }
  | { kind: 'operator'; caseId: string; nonce: string };

/** Phone → operator: `LOKETB1.<caseId>.<nonce>.<thumbprint>`. */
export function phoneBindingQr(p: { caseId: string; nonce: string; thumbprint: string }): string {
  return `LOKETB1.${p.caseId}.${p.nonce}.${p.thumbprint}`;
}

/** Operator → phone: `LOKETB2.<caseId>.<nonce>`; the phone signs exactly this text with its device key. */
export function operatorBindingQr(p: { caseId: string; nonce: string }): string {
  return `LOKETB2.${p.caseId}.${p.nonce}`;
}

/**
 * Reads a scanned binding QR; null for anything else (the scanner may see any QR code).
 * @example parseBindingQr('LOKETB2.0190…-….abc') // { kind: 'operator', caseId, nonce }
 */
export function parseBindingQr(text: string): BindingQr | null {
  const parts = text.trim().split('.');
  const [tag, caseId, nonce, thumbprint] = parts;
  if (!caseId || !UUID.test(caseId) || !nonce || !B64URL.test(nonce) || nonce.length < 16 || nonce.length > 64) return null;
  if (tag === 'LOKETB1' && parts.length === 4 && thumbprint && B64URL.test(thumbprint) && thumbprint.length === 43) {
    return { kind: 'phone', caseId, nonce, thumbprint };
  }
  if (tag === 'LOKETB2' && parts.length === 3) return { kind: 'operator', caseId, nonce };
  return null;
}
