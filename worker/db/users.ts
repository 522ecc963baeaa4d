/** SQL of staff accounts (users table). */
import { STAFF_ROLES, type StaffRole } from '../../schema/roles';

export interface StaffUser {
  id: string;
  username: string;
  displayName: string;
  officeCode: string;
  roles: StaffRole[];
  passwordHash: string;
  disabled: boolean;
  createdAt: string;
  updatedAt: string;
  /** Partner clerks (role partner_operator) belong to one partner organisation (birth service); null for office staff. */
  partnerId?: string | null;
}

interface UserRow {
  id: string;
  username: string;
  display_name: string;
  office_code: string;
  roles_json: string;
  password_hash: string;
  disabled: number;
  created_at: string;
  updated_at: string;
  partner_id: string | null;
}

const COLUMNS = 'id, username, display_name, office_code, roles_json, password_hash, disabled, created_at, updated_at, partner_id';

function toUser(r: UserRow): StaffUser {
  // A role name no longer in STAFF_ROLES grants nothing rather than failing every request of that user.
  const parsed: unknown = JSON.parse(r.roles_json);
  const roles = Array.isArray(parsed) ? parsed.filter((x): x is StaffRole => (STAFF_ROLES as readonly unknown[]).includes(x)) : [];
  return {
    id: r.id,
    username: r.username,
    displayName: r.display_name,
    officeCode: r.office_code,
    roles,
    passwordHash: r.password_hash,
    disabled: r.disabled === 1,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    partnerId: r.partner_id,
  };
}

/** Case-insensitive (the column is COLLATE NOCASE). */
export async function findUserByUsername(db: D1Database, username: string): Promise<StaffUser | null> {
  const row = await db.prepare(`SELECT ${COLUMNS} FROM users WHERE username = ?`).bind(username).first<UserRow>();
  return row ? toUser(row) : null;
}

/** The staff member a session token belongs to, read in the same round trip as the session (see findSessionAndStaff). */
export function staffOfSession(db: D1Database, tokenHash: string): D1PreparedStatement {
  return db.prepare(`SELECT ${COLUMNS} FROM users WHERE id = (SELECT subject_id FROM sessions WHERE token_hash = ? AND subject_type = 'staff')`).bind(tokenHash);
}

export function userFromRow(row: unknown): StaffUser {
  return toUser(row as UserRow);
}

export async function findUserById(db: D1Database, id: string): Promise<StaffUser | null> {
  const row = await db.prepare(`SELECT ${COLUMNS} FROM users WHERE id = ?`).bind(id).first<UserRow>();
  return row ? toUser(row) : null;
}

export async function listUsersOfOffice(db: D1Database, officeCode: string): Promise<StaffUser[]> {
  const { results } = await db.prepare(`SELECT ${COLUMNS} FROM users WHERE office_code = ? ORDER BY username`).bind(officeCode).all<UserRow>();
  return results.map(toUser);
}

export function insertUser(db: D1Database, u: StaffUser): D1PreparedStatement {
  return db
    .prepare(`INSERT INTO users (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
    .bind(u.id, u.username, u.displayName, u.officeCode, JSON.stringify(u.roles), u.passwordHash, u.disabled ? 1 : 0, u.createdAt, u.updatedAt, u.partnerId ?? null);
}

/** Writes the changed fields of an account; absent fields keep their value. */
export function updateUser(
  db: D1Database,
  id: string,
  change: { displayName?: string; roles?: StaffRole[]; disabled?: boolean; passwordHash?: string },
  updatedAt: string,
): D1PreparedStatement {
  return db
    .prepare(
      `UPDATE users SET
         display_name = coalesce(?, display_name),
         roles_json = coalesce(?, roles_json),
         disabled = coalesce(?, disabled),
         password_hash = coalesce(?, password_hash),
         updated_at = ?
       WHERE id = ?`,
    )
    .bind(
      change.displayName ?? null,
      change.roles ? JSON.stringify(change.roles) : null,
      change.disabled === undefined ? null : change.disabled ? 1 : 0,
      change.passwordHash ?? null,
      updatedAt,
      id,
    );
}

/** True for D1's error when the username is already taken (UNIQUE COLLATE NOCASE). */
export function isUsernameTaken(err: unknown): boolean {
  return err instanceof Error && /UNIQUE constraint failed: users\.username/.test(err.message);
}
