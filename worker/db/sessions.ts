/** SQL of server-side sessions (sessions table): the cookie's token is never stored, only its SHA-256. */
import { type StaffUser, staffOfSession, userFromRow } from './users';

export type SubjectType = 'staff' | 'resident';

export interface SessionRow {
  token_hash: string;
  subject_type: SubjectType;
  subject_id: string;
  created_at: number;
  last_seen_at: number;
  expires_at: number;
  revoked_at: number | null;
}

export function insertSession(
  db: D1Database,
  s: { tokenHash: string; subjectType: SubjectType; subjectId: string; now: number; expiresAt: number; ip: string | null; userAgent: string | null },
): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO sessions (token_hash, subject_type, subject_id, created_at, last_seen_at, expires_at, revoked_at, ip, user_agent)
       VALUES (?, ?, ?, ?, ?, ?, NULL, ?, ?)`,
    )
    .bind(s.tokenHash, s.subjectType, s.subjectId, s.now, s.now, s.expiresAt, s.ip, s.userAgent);
}

/**
 * The session and, for staff, its user in one round trip (every authenticated request starts here).
 * `staff` is undefined for a resident session: their subject comes from the registry.
 */
export async function findSessionAndStaff(db: D1Database, tokenHash: string): Promise<{ session: SessionRow | null; staff: StaffUser | null | undefined }> {
  const [sessions, users] = await db.batch([
    db.prepare('SELECT token_hash, subject_type, subject_id, created_at, last_seen_at, expires_at, revoked_at FROM sessions WHERE token_hash = ?').bind(tokenHash),
    staffOfSession(db, tokenHash),
  ]);
  const session = (sessions?.results[0] as SessionRow | undefined) ?? null;
  if (session?.subject_type !== 'staff') return { session, staff: undefined };
  const row = users?.results[0];
  return { session, staff: row ? userFromRow(row) : null };
}

/** Marks activity; only moves forward, and not on a revoked session. */
export function touchSession(db: D1Database, tokenHash: string, now: number): D1PreparedStatement {
  return db
    .prepare('UPDATE sessions SET last_seen_at = ? WHERE token_hash = ? AND revoked_at IS NULL AND last_seen_at < ?')
    .bind(now, tokenHash, now);
}

export function revokeSession(db: D1Database, tokenHash: string, now: number): D1PreparedStatement {
  return db.prepare('UPDATE sessions SET revoked_at = ? WHERE token_hash = ? AND revoked_at IS NULL').bind(now, tokenHash);
}

/** Ends every live session of a subject (disabled account, new roles or password), except `keepTokenHash` if given. */
export function revokeSubjectSessions(
  db: D1Database,
  subjectType: SubjectType,
  subjectId: string,
  now: number,
  keepTokenHash?: string,
): D1PreparedStatement {
  return db
    .prepare('UPDATE sessions SET revoked_at = ? WHERE subject_type = ? AND subject_id = ? AND revoked_at IS NULL AND token_hash IS NOT ?')
    .bind(now, subjectType, subjectId, keepTokenHash ?? null);
}
