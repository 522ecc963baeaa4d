/** The resident's PIN rules on the phone: the server's own check (schema/ikd-rules.ts) with the birth date the NIK carries. */
import { type PinCheck, checkPin } from '../../../../schema/ikd-rules';

/**
 * The birth date a NIK carries (digits 7–12, DDMMYY, day + 40 for women), for the PIN check on the phone. The
 * century is a guess (a year not yet reached this century is 19xx); the server checks the registry's real date.
 * @example birthDateFromNik('1571014507990003') // '1999-07-05'
 */
export function birthDateFromNik(nik: string | undefined, now = new Date()): string | undefined {
  if (!nik || !/^\d{16}$/.test(nik)) return undefined;
  let dd = Number(nik.slice(6, 8));
  if (dd > 40) dd -= 40;
  const mm = Number(nik.slice(8, 10));
  const yy = Number(nik.slice(10, 12));
  if (dd < 1 || dd > 31 || mm < 1 || mm > 12) return undefined;
  const century = yy > now.getFullYear() % 100 ? 1900 : 2000;
  return `${century + yy}-${String(mm).padStart(2, '0')}-${String(dd).padStart(2, '0')}`;
}

export interface PinContext {
  nik?: string;
  activationPin?: string;
  currentPin?: string;
}

/** The same verdict the server gives (`pin_weak` with a reason), computed here so a weak PIN never costs a try. */
export function pinVerdict(pin: string, ctx: PinContext): PinCheck {
  return checkPin(pin, { nik: ctx.nik, birthDate: birthDateFromNik(ctx.nik), activationPin: ctx.activationPin, currentPin: ctx.currentPin });
}
