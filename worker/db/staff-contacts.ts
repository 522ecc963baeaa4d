/** SQL of staff work contacts (staff_contacts): the admin sets them; hand-over notices to handlers are sent to them. */
import type { Guard } from './cases';

/** A staff member's work channels; null where the admin set none. */
export interface WorkContact {
  email: string | null;
  phone: string | null;
}

export async function workContactsOfOffice(db: D1Database, officeCode: string): Promise<Map<string, WorkContact>> {
  const { results } = await db
    .prepare('SELECT s.user_id, s.email, s.phone FROM staff_contacts s JOIN users u ON u.id = s.user_id WHERE u.office_code = ?')
    .bind(officeCode)
    .all<{ user_id: string; email: string | null; phone: string | null }>();
  return new Map(results.map((r) => [r.user_id, { email: r.email, phone: r.phone }]));
}

export async function workContactOf(db: D1Database, userId: string): Promise<WorkContact> {
  const row = await db.prepare('SELECT email, phone FROM staff_contacts WHERE user_id = ?').bind(userId).first<WorkContact>();
  return { email: row?.email ?? null, phone: row?.phone ?? null };
}

/** Sets the channels given (undefined leaves one as it is, null removes it). */
export function setWorkContact(db: D1Database, userId: string, contact: { email?: string | null; phone?: string | null }, now: number): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO staff_contacts (user_id, email, phone, updated_at) VALUES (?1, ?2, ?3, ?4)
       ON CONFLICT (user_id) DO UPDATE SET email = CASE WHEN ?5 THEN excluded.email ELSE email END,
         phone = CASE WHEN ?6 THEN excluded.phone ELSE phone END, updated_at = excluded.updated_at`,
    )
    .bind(userId, contact.email ?? null, contact.phone ?? null, now, contact.email !== undefined ? 1 : 0, contact.phone !== undefined ? 1 : 0);
}

/**
 * A notice to a staff member on each work channel they have (email and/or WhatsApp), queued in the outbox only for
 * channels set, guarded like the change it reports (the engine's command on `g.caseId`).
 */
export function staffNoticeIf(db: D1Database, g: Guard, userId: string, subject: string, body: string, caseId: string, now: number): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO notifications (id, channel, recipient, subject, body, case_id, status, attempts, next_attempt_at, created_at)
       SELECT lower(hex(randomblob(16))), ch.channel, ch.recipient, ?1, ?2, ?3, 'pending', 0, ?4, ?4
       FROM (SELECT 'email' AS channel, email AS recipient FROM staff_contacts WHERE user_id = ?5
             UNION ALL SELECT 'whatsapp', phone FROM staff_contacts WHERE user_id = ?5) ch
       WHERE ch.recipient IS NOT NULL AND ch.recipient <> '' AND EXISTS (SELECT 1 FROM cases WHERE id = ?6 AND last_command_id = ?7)`,
    )
    .bind(subject, body, caseId, now, userId, g.caseId, g.commandId);
}
