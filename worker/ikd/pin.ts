/**
 * Checking a resident's own PIN (sign-in, lepas perangkat, change PIN) with NIST 800-63B throttling: the 3rd wrong
 * PIN for a NIK locks PIN entry for 1 minute, each further one doubles the wait (to at most 1 hour). Every caller
 * has proven the bound device first (its signature, or a full-assurance session), so only the resident's own
 * device can move the NIK's counter (issue 8).
 */
import { PIN_TRIES_BEFORE_LOCK } from '../../schema/ikd-rules';
import { DECOY_PASSWORD_HASH, verifyPassword } from '../auth/password';
import { IP_POLICY, type Limit, Throttle, type ThrottlePolicy } from '../auth/throttle';
import { getAccount } from '../db/ikd';
import { readThrottles } from '../db/throttles';
import type { Env } from '../env';
import { ApiError } from '../errors';

const MINUTE = 60_000;

export const PIN_POLICY: ThrottlePolicy = {
  limit: PIN_TRIES_BEFORE_LOCK,
  windowMs: 24 * 60 * MINUTE,
  lockedUntil: (failures, _windowStart, now) => now + Math.min(MINUTE * 2 ** (failures - PIN_TRIES_BEFORE_LOCK), 60 * MINUTE),
};

/** Counters a PIN entry is charged to: the NIK's and the client IP's (kept apart from staff sign-in). */
export function pinLimits(nik: string, ip: string): Limit[] {
  return [
    { key: `pin:${nik}`, policy: PIN_POLICY },
    { key: `pin:ip:${ip}`, policy: IP_POLICY },
  ];
}

export function pinLocked(retryAfterSeconds: number): ApiError {
  const minutes = Math.ceil(retryAfterSeconds / 60);
  return new ApiError(
    'pin_locked',
    `PIN salah beberapa kali; coba lagi dalam ${minutes} menit. / Too many wrong PINs; try again in ${minutes} minute(s).`,
    { retryAfterSeconds },
  );
}

/** 429 pin_locked while either counter is locked. */
export async function assertPinAllowed(throttle: Throttle, limits: Limit[]): Promise<void> {
  const wait = await throttle.retryAfterSeconds(limits);
  if (wait > 0) throw pinLocked(wait);
}

/** Counts a wrong PIN and answers pin_wrong (with the tries left before a lock) or pin_locked. */
export async function wrongPin(db: D1Database, throttle: Throttle, limits: Limit[]): Promise<ApiError> {
  const lockedFor = await throttle.fail(limits);
  if (lockedFor > 0) return pinLocked(lockedFor);
  const [row] = await readThrottles(db, [limits[0]!.key]);
  const left = Math.max(1, PIN_TRIES_BEFORE_LOCK - (row?.failures ?? 0));
  return new ApiError('pin_wrong', `PIN salah; ${left} kali lagi sebelum dikunci sementara. / Wrong PIN; ${left} more before a temporary lock.`, { attemptsLeft: left });
}

/**
 * Verifies the resident's own PIN, throttled; resets the NIK counter when right.
 * Throws pin_locked, pin_wrong or ikd_not_active.
 */
export async function checkResidentPin(env: Pick<Env, 'PEPPER'>, db: D1Database, nik: string, pin: string, ip: string, throttle = new Throttle(db)): Promise<void> {
  const limits = pinLimits(nik, ip);
  await assertPinAllowed(throttle, limits);
  const account = await getAccount(db, nik);
  // A missing PIN costs the same PBKDF2 run, so timing does not tell which accounts are active.
  const right = await verifyPassword(pin, account?.pin_hash ?? DECOY_PASSWORD_HASH, env.PEPPER);
  if (!account || account.status !== 'active' || !account.pin_hash) throw new ApiError('ikd_not_active', 'IKD belum/tidak aktif. / The IKD account is not active.');
  if (!right) throw await wrongPin(db, throttle, limits);
  await throttle.reset(limits[0]!.key);
}
