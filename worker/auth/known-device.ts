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

/** The hash to remember after a successful sign-in: the browser's own, or a new cookie's (set here). */
export async function ensureDeviceCookie(c: Context<AppEnv>): Promise<string> {
  const existing = await deviceHashOf(c);
  if (existing) return existing;
  const value = toBase64Url(crypto.getRandomValues(new Uint8Array(32)));
  setCookie(c, DEVICE_COOKIE, value, {
    httpOnly: true,
    sameSite: 'Strict',
    path: '/api/auth',
    secure: new URL(c.req.url).protocol === 'https:',
    maxAge: DEVICE_MAX_AGE_SECONDS,
  });
  return hashToken(value);
}
