/**
 * The notification outbox as the rest of the worker sees it: statements that queue a message in the same
 * D1 batch as the change it reports (the cron delivers it later, see deliver.ts).
 * @example
 * await env.DB.batch([
 *   guardedCaseUpdate, // stamps cases.last_command_id = command.id
 *   notificationStatementIf(env.DB, { channel: 'whatsapp', recipient: phone, subject, body, caseId }, now,
 *     { caseId, commandId: command.id }),
 * ]);
 */
import { notificationStatementIf } from '../db/notifications';

export {
  notificationStatement,
  notificationStatementIf,
  type Channel,
  type NewNotification,
  type NotificationRow,
} from '../db/notifications';

/**
 * One message to a resident by email and by WhatsApp, each only where the contact is known, guarded like the
 * change it reports.
 */
export function notifyResidentIf(
  db: D1Database,
  to: { email?: string | null; phone?: string | null },
  message: { subject: string; body: string },
  caseId: string,
  now: number,
  guard: { caseId: string; commandId: string },
): D1PreparedStatement[] {
  const out: D1PreparedStatement[] = [];
  if (to.email) out.push(notificationStatementIf(db, { channel: 'email', recipient: to.email, ...message, caseId }, now, guard));
  if (to.phone) out.push(notificationStatementIf(db, { channel: 'whatsapp', recipient: to.phone, ...message, caseId }, now, guard));
  return out;
}
