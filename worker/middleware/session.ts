/** Session shape, the loader middleware and the guards every route uses; issuing and resolving sessions lives in worker/auth/. */
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import type { Role } from '../../schema/roles';
import { resolveSession, SESSION_COOKIE, type SessionEndReason } from '../auth/sessions';
import type { AppEnv } from '../env';
import { ApiError } from '../errors';

declare module 'hono' {
  interface ContextVariableMap {
    /** Set when the request carried a session cookie whose session has ended (timed out or revoked). */
    sessionEnded?: SessionEndReason;
  }
}

export interface Session {
  tokenHash: string;
  subjectType: 'staff' | 'resident';
  subjectId: string;
  displayName: string;
  officeCode: string;
  roles: Role[];
  /** A partner clerk's organisation (birth service): they see and act on its submissions only. */
  partnerId?: string;
}

/**
 * Mount on '/api/*': sets `session` for a live session cookie. An ended one lets the request go on unauthenticated
 * but remembers why, so routes that need a session answer `session_expired` instead of `unauthenticated`.
 */
export function sessionLoader(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const token = getCookie(c, SESSION_COOKIE);
    if (token) {
      const found = await resolveSession(c.env.DB, token, Date.now());
      if (found.status === 'active') c.set('session', found.session);
      else if (found.status === 'ended') c.set('sessionEnded', found.reason);
    }
    await next();
  };
}

const ENDED_DETAIL: Record<SessionEndReason, string> = {
  idle: 'Sesi berakhir karena tidak aktif 30 menit; silakan masuk lagi. / Signed out after 30 minutes idle; please sign in again.',
  absolute: 'Sesi berakhir (batas 12 jam); silakan masuk lagi. / Session reached its 12-hour limit; please sign in again.',
  revoked: 'Sesi telah diakhiri; silakan masuk lagi. / This session was ended; please sign in again.',
};

/** The signed-in subject, or 401 (`session_expired` when the cookie's session has ended, else `unauthenticated`). */
export function requireSession(c: Context<AppEnv>): Session {
  const s = c.get('session');
  if (!s) {
    const ended = c.get('sessionEnded');
    throw ended ? new ApiError('session_expired', ENDED_DETAIL[ended], { reason: ended }) : new ApiError('unauthenticated');
  }
  return s;
}

/** The signed-in subject holding one of `roles`, or 401/403. */
export function requireRole(c: Context<AppEnv>, ...roles: Role[]): Session {
  const s = requireSession(c);
  if (!s.roles.some((r) => roles.includes(r))) throw new ApiError('forbidden_role');
  return s;
}
