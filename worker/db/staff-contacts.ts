/** SQL of staff work contacts (staff_contacts): the admin sets them; hand-over notices to handlers are sent to them. */
import type { Guard } from './cases';

export async function workEmailsOfOffice(db: D1Database, officeCode: string): Promise<Map<string, string>> {
  const { results } = await db
    .prepare('SELECT s.user_id, s.email FROM staff_contacts s JOIN users u ON u.id = s.user_id WHERE u.office_code = ? AND s.email IS NOT NULL')
    .bind(officeCode)
    .all<{ user_id: string; email: string }>();
  return new Map(results.map((r) => [r.user_id, r.email]));
}

export async function workEmailOf(db: D1Database, userId: string): Promise<string | null> {
  return (await db.prepare('SELECT email FROM staff_contacts WHERE user_id = ?').bind(userId).first<{ email: string | null }>())?.email ?? null;
}

export function setWorkEmail(db: D1Database, userId: string, email: string | null, now: number): D1PreparedStatement {
  return db
    .prepare('INSERT INTO staff_contacts (user_id, email, updated_at) VALUES (?, ?, ?) ON CONFLICT (user_id) DO UPDATE SET email = excluded.email, updated_at = excluded.updated_at')
    .bind(userId, email, now);
}

/**
 * An email to a staff member at their work address, queued in the outbox only if they have one, guarded like the
 * change it reports (the engine's command on `g.caseId`).
 */
export function staffNoticeIf(db: D1Database, g: Guard, userId: string, subject: string, body: string, caseId: string, now: number): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO notifications (id, channel, recipient, subject, body, case_id, status, attempts, next_attempt_at, created_at)
       SELECT lower(hex(randomblob(16))), 'email', s.email, ?, ?, ?, 'pending', 0, ?, ?
       FROM staff_contacts s
       WHERE s.user_id = ? AND s.email IS NOT NULL AND s.email <> '' AND EXISTS (SELECT 1 FROM cases WHERE id = ? AND last_command_id = ?)`,
    )
    .bind(subject, body, caseId, now, now, userId, g.caseId, g.commandId);
}
