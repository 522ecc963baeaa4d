/**
 * The `loket_device` cookie: a random id a browser keeps for 180 days. After a staff member signs in with it, that
 * browser is a known device of the account (worker/db/known-devices.ts) and counts failed sign-ins on its own, so a
 * guesser elsewhere cannot lock the owner out (worker/auth/throttle.ts staffSignInLimits).
 */
import type { Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import type { AppEnv } from '../env';
import { isKnownDevice } from '../db/known-devices';
import { hashToken } from './sessions';
import { toBase64Url } from './password';

export const DEVICE_COOKIE = 'loket_device';
const DEVICE_MAX_AGE_SECONDS = 180 * 24 * 60 * 60;
/** How long a browser stays known after its last sign-in (its cookie's lifetime; housekeeping forgets the row then). */
export const DEVICE_MAX_AGE_MS = DEVICE_MAX_AGE_SECONDS * 1000;
const DEVICE_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** The hash of this browser's device cookie, or null when it has none (or a malformed one). */
export async function deviceHashOf(c: Context<AppEnv>): Promise<string | null> {
  const value = getCookie(c, DEVICE_COOKIE);
  return value && DEVICE_PATTERN.test(value) ? hashToken(value) : null;
}

/** The device hash when this browser already signed in to `userId` before; null otherwise. */
export async function knownDeviceOf(c: Context<AppEnv>, userId: string | undefined): Promise<string | null> {
  if (!userId) return null;
  const hash = await deviceHashOf(c);
  return hash && (await isKnownDevice(c.env.DB, userId, hash)) ? hash : null;
}

/**
 * The hash to remember after a successful sign-in: the browser's own, or a new cookie's. The cookie is set again on
 * every sign-in, so it lives DEVICE_MAX_AGE_MS after the last one, exactly as long as housekeeping keeps its row.
 */
export async function ensureDeviceCookie(c: Context<AppEnv>): Promise<string> {
  const current = getCookie(c, DEVICE_COOKIE);
  const value = current && DEVICE_PATTERN.test(current) ? current : toBase64Url(crypto.getRandomValues(new Uint8Array(32)));
  setCookie(c, DEVICE_COOKIE, value, {
    httpOnly: true,
    sameSite: 'Strict',
    path: '/api/auth',
    secure: new URL(c.req.url).protocol === 'https:',
    maxAge: DEVICE_MAX_AGE_SECONDS,
  });
  return hashToken(value);
}
