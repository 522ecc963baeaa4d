/** SQL for the notification outbox: insert (plain or guarded by the case's last command), pick due rows, claim, finish, list. */

export type Channel = 'email' | 'whatsapp';
export type NotificationStatus = 'pending' | 'sent' | 'dead';
export type DeliveredVia = 'email' | 'whatsapp_cloud' | 'dev_mailbox';

/** What a caller asks to send; the outbox row gets its id, status and timing here. */
export interface NewNotification {
  channel: Channel;
  recipient: string;
  subject: string;
  body: string;
  caseId?: string | null;
  /** Files in R2 (FILES) an email carries; WhatsApp rows ignore them. */
  attachments?: NotificationAttachment[];
}

/** A file of an email notification: its R2 key and how the mail names it. */
export interface NotificationAttachment {
  key: string;
  filename: string;
  contentType: string;
}

/** One row of `notifications` as stored (0001 + 0004). */
export interface NotificationRow {
  id: string;
  channel: Channel;
  recipient: string;
  subject: string;
  body: string;
  case_id: string | null;
  status: NotificationStatus;
  attempts: number;
  next_attempt_at: number;
  last_error: string | null;
  created_at: number;
  sent_at: number | null;
  delivered_via: DeliveredVia | null;
  provider_ref: string | null;
  /** JSON array of NotificationAttachment (migration 0090), or null. */
  attachments_json?: string | null;
}

const CHANNELS: readonly Channel[] = ['email', 'whatsapp'];

function checked(n: NewNotification): NewNotification {
  // Fail at the caller's batch, not hours later in the cron: a bad row would only ever go dead.
  if (!CHANNELS.includes(n.channel)) throw new TypeError(`unknown notification channel ${String(n.channel)}`);
  if (!n.recipient.trim()) throw new TypeError('notification recipient is empty');
  return n;
}

const COLUMNS = 'id, channel, recipient, subject, body, case_id, status, attempts, next_attempt_at, created_at, attachments_json';

const attachmentsJson = (n: NewNotification) => (n.attachments?.length ? JSON.stringify(n.attachments) : null);

/**
 * A statement inserting one pending notification, due at once; put it in the same `db.batch()` as the change it reports.
 * @example await db.batch([updateCase, notificationStatement(db, { channel: 'email', recipient, subject, body, caseId }, now)]);
 */
export function notificationStatement(db: D1Database, n: NewNotification, now: number): D1PreparedStatement {
  const { channel, recipient, subject, body, caseId } = checked(n);
  return db
    .prepare(`INSERT INTO notifications (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?, ?)`)
    .bind(crypto.randomUUID(), channel, recipient.trim(), subject, body, caseId ?? null, now, now, attachmentsJson(n));
}

/**
 * Like `notificationStatement`, but the row is written only if `cases.last_command_id` of `guard.caseId` is
 * `guard.commandId` when the statement runs, i.e. only if the guarded case update earlier in the same batch happened.
 * @example db.batch([updateCaseSettingLastCommandId, notificationStatementIf(db, n, now, { caseId, commandId: cmd.id })]);
 */
export function notificationStatementIf(
  db: D1Database,
  n: NewNotification,
  now: number,
  guard: { caseId: string; commandId: string },
): D1PreparedStatement {
  const { channel, recipient, subject, body, caseId } = checked(n);
  return db
    .prepare(
      `INSERT INTO notifications (${COLUMNS})
       SELECT ?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?, ?
       WHERE EXISTS (SELECT 1 FROM cases WHERE id = ? AND last_command_id = ?)`,
    )
    .bind(crypto.randomUUID(), channel, recipient.trim(), subject, body, caseId ?? guard.caseId, now, now, attachmentsJson(n), guard.caseId, guard.commandId);
}

/** Pending rows whose time has come, oldest due first, at most `limit`. */
export async function selectDue(db: D1Database, now: number, limit: number): Promise<NotificationRow[]> {
  const { results } = await db
    .prepare(`SELECT * FROM notifications WHERE status = 'pending' AND next_attempt_at <= ? ORDER BY next_attempt_at, created_at LIMIT ?`)
    .bind(now, limit)
    .all<NotificationRow>();
  return results;
}

/**
 * Takes a row for one delivery attempt: moves its due time to `leaseUntil` and counts the attempt, but only if
 * nobody else did since we read it (`next_attempt_at` unchanged). False means another run has it.
 */
export async function claim(db: D1Database, id: string, seenNextAttemptAt: number, leaseUntil: number): Promise<boolean> {
  const r = await db
    .prepare(
      `UPDATE notifications SET next_attempt_at = ?, attempts = attempts + 1
       WHERE id = ? AND status = 'pending' AND next_attempt_at = ?`,
    )
    .bind(leaseUntil, id, seenNextAttemptAt)
    .run();
  return r.meta.changes === 1;
}

/**
 * What a row flagged `scrub_after_send` (migration 0005: an activation PIN and link) keeps as its body once it has
 * been sent or has gone dead: the secret must not stay readable in D1.
 */
export const SCRUBBED_BODY = '[Isi dihapus setelah pengiriman karena memuat PIN. / Body removed after sending: it held a PIN.]';

/** Marks our claimed attempt delivered; false if the lease ran out and another run took the row meanwhile. */
export async function markSent(
  db: D1Database,
  id: string,
  leaseUntil: number,
  at: number,
  via: DeliveredVia,
  providerRef: string | null,
): Promise<boolean> {
  const r = await db
    .prepare(
      `UPDATE notifications SET status = 'sent', sent_at = ?, delivered_via = ?, provider_ref = ?,
         body = CASE WHEN scrub_after_send = 1 THEN ? ELSE body END
       WHERE id = ? AND status = 'pending' AND next_attempt_at = ?`,
    )
    .bind(at, via, providerRef, SCRUBBED_BODY, id, leaseUntil)
    .run();
  return r.meta.changes === 1;
}

/** Records a failed attempt: due again at `retryAt`, or `dead` when `retryAt` is null. `error` must hold no body or secret. */
export async function markFailed(
  db: D1Database,
  id: string,
  leaseUntil: number,
  retryAt: number | null,
  error: string,
): Promise<boolean> {
  const r = await db
    .prepare(
      `UPDATE notifications
       SET status = CASE WHEN ? IS NULL THEN 'dead' ELSE 'pending' END,
           next_attempt_at = COALESCE(?, next_attempt_at),
           last_error = ?,
           body = CASE WHEN ? IS NULL AND scrub_after_send = 1 THEN ? ELSE body END
       WHERE id = ? AND status = 'pending' AND next_attempt_at = ?`,
    )
    .bind(retryAt, retryAt, error, retryAt, SCRUBBED_BODY, id, leaseUntil)
    .run();
  return r.meta.changes === 1;
}

/** Every notification, newest first (dev mailbox); bounded so a long-lived dev database cannot blow up a page. */
export async function listNotifications(db: D1Database, limit = 1000): Promise<NotificationRow[]> {
  const { results } = await db
    .prepare(`SELECT * FROM notifications ORDER BY created_at DESC, rowid DESC LIMIT ?`)
    .bind(limit)
    .all<NotificationRow>();
  return results;
}

/** One row by id (tests and support tooling). */
export async function getNotification(db: D1Database, id: string): Promise<NotificationRow | null> {
  return db.prepare(`SELECT * FROM notifications WHERE id = ?`).bind(id).first<NotificationRow>();
}
