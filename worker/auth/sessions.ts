/**
 * Server-side sessions: a random token in the `loket_session` cookie, its SHA-256 in D1, idle and absolute
 * timeouts, revocation. The one place that knows how each subject type (staff now, residents later) is loaded.
 */
import type { Context } from 'hono';
import { deleteCookie, setCookie } from 'hono/cookie';
import type { AppEnv } from '../env';
import type { Session } from '../middleware/session';
import { findSessionAndStaff, insertSession, touchSession, type SubjectType } from '../db/sessions';
import { findUserById, type StaffUser } from '../db/users';
import { loadResidentSubject } from '../ikd/subject';
import { toBase64Url } from './password';

export const SESSION_COOKIE = 'loket_session';
/** Idle limit: a tablet left at the counter signs out after 30 minutes without a request. */
export const IDLE_TIMEOUT_MS = 30 * 60_000;
/** Absolute limit: one working shift, whatever the activity. */
export const ABSOLUTE_TIMEOUT_MS = 12 * 60 * 60_000;
/** last_seen_at is written at most this often per session, to spare D1 a write on every request. */
export const TOUCH_INTERVAL_MS = 60_000;

const TOKEN_BYTES = 32;
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export type SessionEndReason = 'idle' | 'absolute' | 'revoked';
export type SessionLookup =
  | { status: 'active'; session: Session }
  | { status: 'ended'; reason: SessionEndReason }
  | { status: 'none' };

/** Hex SHA-256 of a cookie token: what D1 keeps, so a leaked table cannot be replayed as cookies. */
export async function hashToken(token: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(token));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * Makes a new session; the caller runs `statement` (in its batch, with the audit entry) and then sets the cookie.
 * @example const s = await newSession(db, { type: 'staff', id: user.id }, { now, ip, userAgent });
 */
export async function newSession(
  db: D1Database,
  subject: { type: SubjectType; id: string },
  meta: { now: number; ip: string | null; userAgent: string | null },
): Promise<{ token: string; tokenHash: string; expiresAt: number; statement: D1PreparedStatement }> {
  const token = toBase64Url(crypto.getRandomValues(new Uint8Array(TOKEN_BYTES)));
  const tokenHash = await hashToken(token);
  const expiresAt = meta.now + ABSOLUTE_TIMEOUT_MS;
  const statement = insertSession(db, {
    tokenHash,
    subjectType: subject.type,
    subjectId: subject.id,
    now: meta.now,
    expiresAt,
    ip: meta.ip,
    userAgent: meta.userAgent?.slice(0, 256) ?? null,
  });
  return { token, tokenHash, expiresAt, statement };
}

/** Looks up the session of a cookie token at time `now`, refreshing its idle timer when due. */
export async function resolveSession(db: D1Database, token: string, now: number): Promise<SessionLookup> {
  if (!TOKEN_PATTERN.test(token)) return { status: 'none' };
  const tokenHash = await hashToken(token);
  const { session: row, staff } = await findSessionAndStaff(db, tokenHash);
  if (!row) return { status: 'none' };
  if (row.revoked_at !== null) return { status: 'ended', reason: 'revoked' };
  if (now >= row.expires_at) return { status: 'ended', reason: 'absolute' };
  if (now - row.last_seen_at >= IDLE_TIMEOUT_MS) return { status: 'ended', reason: 'idle' };
  const subject = row.subject_type === 'staff' ? staffSubject(staff ?? null) : await loadSubject(db, row.subject_type, row.subject_id);
  // A subject that is gone or disabled ends the session even if revocation was missed.
  if (!subject) return { status: 'ended', reason: 'revoked' };
  if (now - row.last_seen_at >= TOUCH_INTERVAL_MS) await touchSession(db, tokenHash, now).run();
  return { status: 'active', session: { tokenHash, subjectType: row.subject_type, subjectId: row.subject_id, ...subject } };
}

/** A staff member as a session subject; gone or disabled is no subject. */
function staffSubject(user: StaffUser | null): Pick<Session, 'displayName' | 'officeCode' | 'roles' | 'partnerId'> | null {
  if (!user || user.disabled) return null;
  return { displayName: user.displayName, officeCode: user.officeCode, roles: user.roles, ...(user.partnerId ? { partnerId: user.partnerId } : {}) };
}

/**
 * What a session's subject currently is (roles are read fresh on every request, so a change applies at once).
 * The only switch on subject_type: resident sign-in (IKD: NIK + PIN + device signature) adds its case here.
 */
async function loadSubject(db: D1Database, type: SubjectType, id: string): Promise<Pick<Session, 'displayName' | 'officeCode' | 'roles' | 'partnerId'> | null> {
  switch (type) {
    case 'staff':
      return staffSubject(await findUserById(db, id));
    case 'resident':
      // Subject id is the NIK (IKD sign-in or registration); the registry names the resident and their office.
      return loadResidentSubject(db, id);
    default: {
      const unknown: never = type;
      throw new Error(`unknown session subject type ${String(unknown)}`);
    }
  }
}

/** HttpOnly, SameSite=Strict, Path=/, Secure on https; lives as long as the session's absolute limit. */
export function setSessionCookie(c: Context<AppEnv>, token: string): void {
  setCookie(c, SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'Strict',
    path: '/',
    secure: new URL(c.req.url).protocol === 'https:',
    maxAge: ABSOLUTE_TIMEOUT_MS / 1000,
  });
}

export function clearSessionCookie(c: Context<AppEnv>): void {
  deleteCookie(c, SESSION_COOKIE, { httpOnly: true, sameSite: 'Strict', path: '/', secure: new URL(c.req.url).protocol === 'https:' });
}
