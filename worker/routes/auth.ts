/** Staff sign-in, sign-out, the signed-in user and changing one's own password (`/api/auth/*`). */
import { createRoute } from '@hono/zod-openapi';
import type { Context, MiddlewareHandler } from 'hono';
import { ChangePasswordRequest, LoginRequest, SessionUserResponse, type SessionUser } from '../../schema/contracts/auth';
import { type AuditEntry, withAudit } from '../audit';
import { DECOY_PASSWORD_HASH, hashPassword, verifyPassword } from '../auth/password';
import { assertAcceptablePassword, weakPassword } from '../auth/password-policy';
import { clearSessionCookie, newSession, setSessionCookie } from '../auth/sessions';
import { ensureDeviceCookie, knownDeviceOf } from '../auth/known-device';
import { clientIp, staffSignInLimits, Throttle, throttleSource } from '../auth/throttle';
import { jsonBody, newApi, ok, problems } from '../api';
import { revokeSession, revokeSubjectSessions } from '../db/sessions';
import { rememberDevice } from '../db/known-devices';
import { clearThrottle } from '../db/throttles';
import { findUserById, findUserByUsername, type StaffUser, updateUser } from '../db/users';
import type { AppEnv } from '../env';
import { ApiError } from '../errors';
import { requireSession } from '../middleware/session';

export const authRoutes = newApi();

function sessionUser(u: StaffUser): SessionUser {
  return { id: u.id, username: u.username, displayName: u.displayName, officeCode: u.officeCode, roles: u.roles };
}

/** The signed-in staff member, read fresh; 401 when there is none (a resident session has no staff account). */
async function currentStaff(c: Context<AppEnv>): Promise<StaffUser> {
  const s = requireSession(c);
  if (s.subjectType !== 'staff') throw new ApiError('forbidden_role', 'Hanya untuk petugas. / Staff only.');
  const user = await findUserById(c.env.DB, s.subjectId);
  if (!user || user.disabled) throw new ApiError('session_expired');
  return user;
}

/** Route middleware: runs before body validation, so a caller without a session learns 401, not the contract. */
const signedIn: MiddlewareHandler<AppEnv> = async (c, next) => {
  requireSession(c);
  await next();
};

authRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/api/auth/login',
    tags: ['auth'],
    summary: 'Staff sign-in (masuk); sets the loket_session cookie',
    request: { body: jsonBody(LoginRequest) },
    responses: { 200: ok(SessionUserResponse, 'Signed in'), ...problems(400, 401, 403, 422, 429) },
  }),
  async (c) => {
    const { username, password } = c.req.valid('json');
    const db = c.env.DB;
    const ip = clientIp(c.req);
    const user = await findUserByUsername(db, username.trim());
    // A browser this account signed in from before has its own counter; others share the (account, IP) pair's,
    // the account-wide cap and the IP's (NIST SP 800-63B 5.2.2; worker/auth/throttle.ts).
    const limits = staffSignInLimits(username, throttleSource(c), await knownDeviceOf(c, user?.id));
    const throttle = new Throttle(db);
    await throttle.assertAllowed(limits.check);

    // Unknown usernames cost the same PBKDF2 run as known ones, so response time does not reveal which exist.
    const passwordOk = await verifyPassword(password, user?.passwordHash ?? DECOY_PASSWORD_HASH, c.env.PEPPER);
    if (!user || !passwordOk || user.disabled) {
      await throttle.fail(limits.charge);
      const lockedFor = await throttle.retryAfterSeconds(limits.check);
      // The typed name is not logged for unknown accounts: people type passwords into the username field.
      const reason = !user ? 'unknown_user' : !passwordOk ? 'wrong_password' : 'disabled';
      await withAudit(db, [{ actor: 'anonymous', action: 'auth.login_failed', object: user ? `user:${user.id}` : 'user:unknown', ip, detail: { reason, lockedForSeconds: lockedFor } }], () => []);
      throw new ApiError('invalid_credentials', 'Nama pengguna atau kata sandi salah. / Wrong username or password.');
    }

    const now = Date.now();
    const session = await newSession(db, { type: 'staff', id: user.id }, { now, ip, userAgent: c.req.header('user-agent') ?? null });
    const device = await ensureDeviceCookie(c);
    const previous = c.get('session');
    const entry: AuditEntry = { actor: `staff:${user.id}`, action: 'auth.login', object: `user:${user.id}`, ip };
    await withAudit(db, [entry], () => [
      session.statement,
      clearThrottle(db, limits.resetKey),
      rememberDevice(db, user.id, device, now),
      // Signing in over a live session replaces it rather than leaving two.
      ...(previous ? [revokeSession(db, previous.tokenHash, now)] : []),
    ]);
    setSessionCookie(c, session.token);
    return c.json({ user: sessionUser(user) }, 200);
  },
);

authRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/api/auth/logout',
    tags: ['auth'],
    summary: 'Sign out (keluar): revokes the session server-side and clears the cookie',
    responses: { 204: { description: 'Signed out (also when there was no live session)' }, ...problems(403) },
  }),
  async (c) => {
    const s = c.get('session');
    if (s) {
      const db = c.env.DB;
      const entry: AuditEntry = { actor: `${s.subjectType}:${s.subjectId}`, action: 'auth.logout', object: `${s.subjectType === 'staff' ? 'user' : 'resident'}:${s.subjectId}`, ip: clientIp(c.req) };
      await withAudit(db, [entry], () => [revokeSession(db, s.tokenHash, Date.now())]);
    }
    clearSessionCookie(c);
    return c.body(null, 204);
  },
);

authRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/api/auth/me',
    tags: ['auth'],
    summary: 'The signed-in staff member',
    responses: { 200: ok(SessionUserResponse), ...problems(401) },
  }),
  async (c) => c.json({ user: sessionUser(await currentStaff(c)) }, 200),
);

authRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/api/auth/change-password',
    tags: ['auth'],
    middleware: [signedIn],
    summary: 'Change one’s own password (ganti kata sandi); ends every session and starts a fresh one',
    request: { body: jsonBody(ChangePasswordRequest) },
    responses: { 204: { description: 'Changed; a new session cookie is set' }, ...problems(400, 401, 403, 422, 429) },
  }),
  async (c) => {
    const { currentPassword, newPassword } = c.req.valid('json');
    const user = await currentStaff(c);
    const db = c.env.DB;
    const ip = clientIp(c.req);
    // Same counters as sign-in: a borrowed session must not become a way to guess the password.
    const limits = staffSignInLimits(user.username, throttleSource(c), await knownDeviceOf(c, user.id));
    const throttle = new Throttle(db);
    await throttle.assertAllowed(limits.check);
    if (!(await verifyPassword(currentPassword, user.passwordHash, c.env.PEPPER))) {
      await throttle.fail(limits.charge);
      throw new ApiError('current_password_wrong', 'Kata sandi saat ini salah. / The current password is wrong.');
    }
    if (newPassword === currentPassword) throw weakPassword('unchanged');
    assertAcceptablePassword(newPassword, user.username);

    const now = Date.now();
    const passwordHash = await hashPassword(newPassword, c.env.PEPPER);
    const session = await newSession(db, { type: 'staff', id: user.id }, { now, ip, userAgent: c.req.header('user-agent') ?? null });
    const entry: AuditEntry = { actor: `staff:${user.id}`, action: 'auth.password_changed', object: `user:${user.id}`, ip };
    await withAudit(db, [entry], () => [
      updateUser(db, user.id, { passwordHash }, new Date(now).toISOString()),
      // Every other device must sign in again with the new password; this one gets a fresh session.
      revokeSubjectSessions(db, 'staff', user.id, now),
      session.statement,
      clearThrottle(db, limits.resetKey),
    ]);
    setSessionCookie(c, session.token);
    return c.body(null, 204);
  },
);
