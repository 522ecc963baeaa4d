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
export {
  notificationStatement,
  notificationStatementIf,
  type Channel,
  type NewNotification,
  type NotificationRow,
} from '../db/notifications';
