/** SQL of the IKM survey: invitations, kiosks, answers and the per-element sums the score is computed from. */
import type { Guard } from './cases';

const DAY = 86_400_000;
/** A complaint's survey invitation stays open this long after the resolution. */
export const COMPLAINT_INVITATION_DAYS = 30;

async function sha256hex(s: string): Promise<string> {
  const d = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(s));
  return [...new Uint8Array(d)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** The invitation hash of a complaint, from its tracking hash (see migration 0051). */
export function complaintInvitationHash(trackingHashHex: string): Promise<string> {
  return sha256hex(`${trackingHashHex}:ikm`);
}

/**
 * The survey invitation a resolved complaint gets (the complaint-handling service), guarded by the case stamp;
 * a second resolution (after a reopen) keeps the first invitation.
 */
export function ikmInvitationForComplaintIf(db: D1Database, g: Guard, inv: { codeHash: string; officeCode: string; caseId: string }, now: number): D1PreparedStatement {
  return db
    .prepare(
      `INSERT OR IGNORE INTO ikm_invitations (code_hash, office_code, service, case_id, created_at, expires_at)
       SELECT ?, ?, 'aduan', ?, ?, ? WHERE EXISTS (SELECT 1 FROM cases WHERE id = ? AND last_command_id = ?)`,
    )
    .bind(inv.codeHash, inv.officeCode, inv.caseId, now, now + COMPLAINT_INVITATION_DAYS * DAY, g.caseId, g.commandId);
}

export interface IkmResponseRow {
  id: string;
  office_code: string;
  service: string;
  source: 'invitation' | 'kiosk';
  invitation_hash: string | null;
  kiosk_hash: string | null;
  answers: number[];
  sex: string | null;
  age_group: string | null;
  education: string | null;
  occupation: string | null;
  answered_at: number;
}

export interface InvitationRow {
  code_hash: string;
  office_code: string;
  service: string;
  case_id: string | null;
  expires_at: number;
  used_at: number | null;
}

export function getInvitation(db: D1Database, codeHash: string): Promise<InvitationRow | null> {
  return db.prepare('SELECT code_hash, office_code, service, case_id, expires_at, used_at FROM ikm_invitations WHERE code_hash = ?').bind(codeHash).first<InvitationRow>();
}

export function insertInvitation(db: D1Database, inv: { codeHash: string; officeCode: string; service: string; now: number; expiresAt: number }): D1PreparedStatement {
  return db
    .prepare('INSERT INTO ikm_invitations (code_hash, office_code, service, case_id, created_at, expires_at) VALUES (?, ?, ?, NULL, ?, ?)')
    .bind(inv.codeHash, inv.officeCode, inv.service, inv.now, inv.expiresAt);
}

export function getResponse(db: D1Database, id: string): Promise<{ id: string; invitation_hash: string | null; kiosk_hash: string | null } | null> {
  return db.prepare('SELECT id, invitation_hash, kiosk_hash FROM ikm_responses WHERE id = ?').bind(id).first();
}

/** The answer row; for an invitation, written only while the invitation is unused (and marked used in the same batch). */
export function insertResponse(db: D1Database, r: IkmResponseRow): D1PreparedStatement {
  const [u1, u2, u3, u4, u5, u6, u7, u8, u9] = r.answers;
  return db
    .prepare(
      `INSERT INTO ikm_responses (id, office_code, service, source, invitation_hash, kiosk_hash, u1, u2, u3, u4, u5, u6, u7, u8, u9, sex, age_group, education, occupation, answered_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .bind(r.id, r.office_code, r.service, r.source, r.invitation_hash, r.kiosk_hash, u1, u2, u3, u4, u5, u6, u7, u8, u9, r.sex, r.age_group, r.education, r.occupation, r.answered_at);
}

export function markInvitationUsed(db: D1Database, codeHash: string, at: number): D1PreparedStatement {
  return db.prepare('UPDATE ikm_invitations SET used_at = ? WHERE code_hash = ? AND used_at IS NULL').bind(at, codeHash);
}

export interface KioskRow {
  token_hash: string;
  office_code: string;
  service: string;
  label: string;
  closed_at: number | null;
}

export function getKiosk(db: D1Database, tokenHash: string): Promise<KioskRow | null> {
  return db.prepare('SELECT token_hash, office_code, service, label, closed_at FROM ikm_kiosks WHERE token_hash = ?').bind(tokenHash).first<KioskRow>();
}

export function insertKiosk(db: D1Database, k: { tokenHash: string; officeCode: string; service: string; label: string; createdBy: string; now: number }): D1PreparedStatement {
  return db
    .prepare('INSERT INTO ikm_kiosks (token_hash, office_code, service, label, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?)')
    .bind(k.tokenHash, k.officeCode, k.service, k.label, k.createdBy, k.now);
}

export function closeKiosk(db: D1Database, tokenHash: string, officeCode: string, at: number): D1PreparedStatement {
  return db.prepare('UPDATE ikm_kiosks SET closed_at = ? WHERE token_hash = ? AND office_code = ? AND closed_at IS NULL').bind(at, tokenHash, officeCode);
}

/** Answers of one kiosk since `since`, and the time of its latest. */
export async function kioskActivity(db: D1Database, tokenHash: string, since: number): Promise<{ n: number; last: number | null }> {
  return (await db
    .prepare('SELECT count(*) AS n, max(answered_at) AS last FROM ikm_responses WHERE kiosk_hash = ? AND answered_at >= ?')
    .bind(tokenHash, since)
    .first<{ n: number; last: number | null }>())!;
}

export interface ElementSums {
  n: number;
  s: number[];
}

/** Per-element sums and respondents of an office's service in [from, to), the score's whole input. */
export async function elementSums(db: D1Database, officeCode: string, service: string, from: number, to: number): Promise<ElementSums> {
  const row = await db
    .prepare(
      `SELECT count(*) AS n, sum(u1) AS s1, sum(u2) AS s2, sum(u3) AS s3, sum(u4) AS s4, sum(u5) AS s5, sum(u6) AS s6, sum(u7) AS s7, sum(u8) AS s8, sum(u9) AS s9
       FROM ikm_responses WHERE office_code = ? AND service = ? AND answered_at >= ? AND answered_at < ?`,
    )
    .bind(officeCode, service, from, to)
    .first<Record<string, number | null>>();
  return { n: row?.n ?? 0, s: [1, 2, 3, 4, 5, 6, 7, 8, 9].map((i) => row?.[`s${i}`] ?? 0) };
}

/** Respondents per local month (YYYY-MM, by the office's UTC offset) with their sums, for the trend. */
export async function monthlySums(db: D1Database, officeCode: string, service: string, from: number, to: number, offsetMs: number): Promise<(ElementSums & { month: string })[]> {
  const { results } = await db
    .prepare(
      `SELECT strftime('%Y-%m', (answered_at + ?) / 1000, 'unixepoch') AS month, count(*) AS n,
              sum(u1) AS s1, sum(u2) AS s2, sum(u3) AS s3, sum(u4) AS s4, sum(u5) AS s5, sum(u6) AS s6, sum(u7) AS s7, sum(u8) AS s8, sum(u9) AS s9
       FROM ikm_responses WHERE office_code = ? AND service = ? AND answered_at >= ? AND answered_at < ? GROUP BY month ORDER BY month`,
    )
    .bind(offsetMs, officeCode, service, from, to)
    .all<Record<string, number | string>>();
  return results.map((r) => ({ month: String(r.month), n: Number(r.n), s: [1, 2, 3, 4, 5, 6, 7, 8, 9].map((i) => Number(r[`s${i}`] ?? 0)) }));
}

/** Service users in the period: cases of the service opened then (the population of the sample-size rule). */
export async function serviceUsers(db: D1Database, officeCode: string, service: string, from: number, to: number): Promise<number> {
  const row = await db
    .prepare('SELECT count(*) AS n FROM cases WHERE office_code = ? AND service = ? AND created_at >= ? AND created_at < ?')
    .bind(officeCode, service, from, to)
    .first<{ n: number }>();
  return row?.n ?? 0;
}

export async function listResponses(db: D1Database, officeCode: string, service: string, from: number, to: number, limit: number): Promise<Record<string, unknown>[]> {
  const { results } = await db
    .prepare(
      `SELECT answered_at, source, u1, u2, u3, u4, u5, u6, u7, u8, u9, sex, age_group, education, occupation
       FROM ikm_responses WHERE office_code = ? AND service = ? AND answered_at >= ? AND answered_at < ? ORDER BY answered_at LIMIT ?`,
    )
    .bind(officeCode, service, from, to, limit)
    .all();
  return results;
}

/** A complaint's IKM invitation: whether it was used and until when it can be. */
export function invitationOfCase(db: D1Database, caseId: string): Promise<{ used_at: number | null; expires_at: number } | null> {
  return db.prepare('SELECT used_at, expires_at FROM ikm_invitations WHERE case_id = ?').bind(caseId).first<{ used_at: number | null; expires_at: number }>();
}
