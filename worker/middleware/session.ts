/** Session shape shared by every route; loading and issuing sessions lives in worker/auth/. */
import type { Context } from 'hono';
import type { Role } from '../../schema/roles';
import type { AppEnv } from '../env';
import { ApiError } from '../errors';

export interface Session {
  tokenHash: string;
  subjectType: 'staff' | 'resident';
  subjectId: string;
  displayName: string;
  officeCode: string;
  roles: Role[];
}

/** The signed-in subject, or 401. */
export function requireSession(c: Context<AppEnv>): Session {
  const s = c.get('session');
  if (!s) throw new ApiError('unauthenticated');
  return s;
}

/** The signed-in subject holding one of `roles`, or 401/403. */
export function requireRole(c: Context<AppEnv>, ...roles: Role[]): Session {
  const s = requireSession(c);
  if (!s.roles.some((r) => roles.includes(r))) throw new ApiError('forbidden_role');
  return s;
}
