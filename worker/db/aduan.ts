/** SQL of complaints (aduan): the complaint row, contacts, attachments, settings, the inbox, messages to complainants. */
import type { Guard } from './cases';
import type { NotificationAttachment } from './notifications';

const GUARD = 'EXISTS (SELECT 1 FROM cases WHERE id = ? AND last_command_id = ?)';

export interface ComplaintRow {
  case_id: string;
  office_code: string;
  ticket_no: string;
  tracking_hash: string;
  channel: string;
  privacy: 'biasa' | 'rahasia' | 'anonim';
  subject_service: string;
  related_case_id: string | null;
  source_ref: string | null;
  assignee_id: string | null;
  merged_into: string | null;
  received_at: number;
  routed_at: number | null;
  resolved_at: number | null;
  reopen_until: number | null;
  escalated_at: number | null;
}

export interface ContactRow {
  name: string | null;
  email: string | null;
  phone: string | null;
}

/**
 * Inserts the complaint row with the office's next ticket number of the year, computed inside the statement:
 * D1 runs one writer at a time, so two intakes never get the same number.
 */
export function insertComplaintIf(
  db: D1Database,
  g: Guard,
  c: Omit<ComplaintRow, 'ticket_no' | 'assignee_id' | 'merged_into' | 'routed_at' | 'resolved_at' | 'reopen_until' | 'escalated_at'> & { year: number },
): D1PreparedStatement {
  const officeDigits = c.office_code.replace(/\D/g, '');
  return db
    .prepare(
      `INSERT INTO complaints (case_id, office_code, ticket_year, ticket_seq, ticket_no, tracking_hash, channel, privacy, subject_service, related_case_id, source_ref, received_at)
       SELECT ?, ?, ?, n.seq, printf('ADU-%s-%d-%06d', ?, ?, n.seq), ?, ?, ?, ?, ?, ?, ?
       FROM (SELECT coalesce(max(ticket_seq), 0) + 1 AS seq FROM complaints WHERE office_code = ? AND ticket_year = ?) n
       WHERE ${GUARD}`,
    )
    .bind(
      c.case_id, c.office_code, c.year, officeDigits, c.year, c.tracking_hash, c.channel, c.privacy, c.subject_service, c.related_case_id, c.source_ref, c.received_at,
      c.office_code, c.year, g.caseId, g.commandId,
    );
}

export function insertContactIf(db: D1Database, g: Guard, caseId: string, c: ContactRow): D1PreparedStatement {
  return db
    .prepare(`INSERT INTO complaint_contacts (case_id, name, email, phone) SELECT ?, ?, ?, ? WHERE ${GUARD}`)
    .bind(caseId, c.name, c.email, c.phone, g.caseId, g.commandId);
}

export interface AttachmentRow {
  id: string;
  case_id: string;
  r2_key: string;
  filename: string;
  content_type: string;
  size: number;
  created_at: number;
  /** Migration 0110: intake (came with the complaint), reply_draft (uploaded for the answer), reply (sent with it). */
  purpose?: 'intake' | 'reply_draft' | 'reply';
}

export function insertAttachmentIf(db: D1Database, g: Guard, a: AttachmentRow): D1PreparedStatement {
  return db
    .prepare(`INSERT INTO complaint_attachments (id, case_id, r2_key, filename, content_type, size, created_at) SELECT ?, ?, ?, ?, ?, ?, ? WHERE ${GUARD}`)
    .bind(a.id, a.case_id, a.r2_key, a.filename, a.content_type, a.size, a.created_at, g.caseId, g.commandId);
}

export async function listAttachments(db: D1Database, caseId: string, purpose?: AttachmentRow['purpose']): Promise<AttachmentRow[]> {
  const sql = `SELECT * FROM complaint_attachments WHERE case_id = ?${purpose ? ' AND purpose = ?' : ''} ORDER BY created_at, id`;
  return (await db.prepare(sql).bind(...(purpose ? [caseId, purpose] : [caseId])).all<AttachmentRow>()).results;
}

/** A file a handler uploaded for the answer of `caseId`; it joins the answer when the resolution names it. */
export function insertReplyDraft(db: D1Database, a: Omit<AttachmentRow, 'purpose'>): D1PreparedStatement {
  return db
    .prepare(`INSERT INTO complaint_attachments (id, case_id, r2_key, filename, content_type, size, created_at, purpose) VALUES (?, ?, ?, ?, ?, ?, ?, 'reply_draft')`)
    .bind(a.id, a.case_id, a.r2_key, a.filename, a.content_type, a.size, a.created_at);
}

/** The answer files of `caseId` among `ids` (drafts, or files of an earlier answer before a reopening). */
export async function replyFilesOf(db: D1Database, caseId: string, ids: readonly string[]): Promise<AttachmentRow[]> {
  const { results } = await db
    .prepare("SELECT * FROM complaint_attachments WHERE case_id = ? AND purpose IN ('reply_draft', 'reply') AND id IN (SELECT value FROM json_each(?)) ORDER BY created_at, id")
    .bind(caseId, JSON.stringify(ids))
    .all<AttachmentRow>();
  return results;
}

/** The drafts named by the answer become its files, guarded like the resolution itself. */
export function markReplyFilesIf(db: D1Database, g: Guard, caseId: string, ids: readonly string[]): D1PreparedStatement {
  return db
    .prepare(`UPDATE complaint_attachments SET purpose = 'reply' WHERE case_id = ? AND id IN (SELECT value FROM json_each(?)) AND ${GUARD}`)
    .bind(caseId, JSON.stringify(ids), g.caseId, g.commandId);
}

/**
 * Deletes up to `limit` answer files uploaded before `before` and never sent, of complaints no longer in follow-up
 * (no answer can name them any more), and returns what R2 must drop. The state check and the purpose are read in the
 * same statement as the delete, so a resolution that just named a file (it becomes 'reply') keeps it.
 */
export async function deleteUnsentReplyDrafts(db: D1Database, before: number, limit: number): Promise<{ id: string; case_id: string; r2_key: string }[]> {
  const { results } = await db
    .prepare(
      `DELETE FROM complaint_attachments WHERE rowid IN (
         SELECT a.rowid FROM complaint_attachments a JOIN cases c ON c.id = a.case_id
         WHERE a.purpose = 'reply_draft' AND a.created_at < ? AND c.state <> 'follow_up' ORDER BY a.created_at LIMIT ?)
       RETURNING id, case_id, r2_key`,
    )
    .bind(before, limit)
    .all<{ id: string; case_id: string; r2_key: string }>();
  return results;
}

export function getAttachment(db: D1Database, id: string): Promise<AttachmentRow | null> {
  return db.prepare('SELECT * FROM complaint_attachments WHERE id = ?').bind(id).first<AttachmentRow>();
}

/** The columns an action may change; anything else stays. */
export type ComplaintPatch = Partial<Pick<ComplaintRow, 'assignee_id' | 'merged_into' | 'routed_at' | 'resolved_at' | 'reopen_until' | 'escalated_at'>>;
const PATCHABLE = ['assignee_id', 'merged_into', 'routed_at', 'resolved_at', 'reopen_until', 'escalated_at'] as const;

export function updateComplaintIf(db: D1Database, g: Guard, caseId: string, patch: ComplaintPatch): D1PreparedStatement {
  const cols = PATCHABLE.filter((k) => k in patch);
  if (cols.length === 0) throw new Error('empty complaint patch');
  return db
    .prepare(`UPDATE complaints SET ${cols.map((k) => `${k} = ?`).join(', ')} WHERE case_id = ? AND ${GUARD}`)
    .bind(...cols.map((k) => patch[k] ?? null), caseId, g.caseId, g.commandId);
}

export function getComplaint(db: D1Database, caseId: string): Promise<ComplaintRow | null> {
  return db.prepare('SELECT * FROM complaints WHERE case_id = ?').bind(caseId).first<ComplaintRow>();
}

export function complaintByTicket(db: D1Database, officeCode: string, ticketNo: string): Promise<ComplaintRow | null> {
  return db.prepare('SELECT * FROM complaints WHERE office_code = ? AND ticket_no = ?').bind(officeCode, ticketNo.toUpperCase()).first<ComplaintRow>();
}

export function complaintByTracking(db: D1Database, trackingHash: string): Promise<ComplaintRow | null> {
  return db.prepare('SELECT * FROM complaints WHERE tracking_hash = ?').bind(trackingHash).first<ComplaintRow>();
}

export function complaintBySource(db: D1Database, officeCode: string, channel: string, sourceRef: string): Promise<ComplaintRow | null> {
  return db.prepare('SELECT * FROM complaints WHERE office_code = ? AND channel = ? AND source_ref = ?').bind(officeCode, channel, sourceRef).first<ComplaintRow>();
}

/** The outbox recipient that stands for a complaint's contact (confidential complaints); see notifyComplainantsIf. */
export const CONTACT_REF_PREFIX = 'aduan-kontak:';

export function getContact(db: D1Database, caseId: string): Promise<ContactRow | null> {
  return db.prepare('SELECT name, email, phone FROM complaint_contacts WHERE case_id = ?').bind(caseId).first<ContactRow>();
}

/**
 * Queues a message to the complainant of `caseId` and to those of every complaint merged into it, each by the
 * channel it came from (email → email, WhatsApp → WhatsApp, web and transcribed → whatever contact they left;
 * LAPOR! answers go back through LAPOR! itself, not from here). `{ticketNo}` becomes each complaint's own number.
 * Guarded like the change it reports; `scrub` empties the body once sent (it holds the tracking code).
 * A confidential complaint's row names its contact only by reference (`aduan-kontak:<case id>`): the address is
 * looked up at sending time (worker/notify/recipients.ts), so the outbox never holds it.
 */
export function notifyComplainantsIf(
  db: D1Database, g: Guard, caseId: string, subject: string, body: string, now: number,
  opts: { scrub?: boolean; attachments?: NotificationAttachment[] } = {},
): D1PreparedStatement[] {
  // Files go by email only (read from R2 at sending time); a WhatsApp text points to the tracking page instead.
  const files = opts.attachments?.length ? JSON.stringify(opts.attachments) : null;
  const sql = (channel: 'email' | 'whatsapp', column: 'email' | 'phone', channels: string) =>
    db
      .prepare(
        `INSERT INTO notifications (id, channel, recipient, subject, body, case_id, status, attempts, next_attempt_at, created_at, scrub_after_send, attachments_json)
         SELECT lower(hex(randomblob(16))), '${channel}',
                CASE WHEN c.privacy = 'rahasia' THEN '${CONTACT_REF_PREFIX}' || c.case_id ELSE cc.${column} END,
                replace(?, '{ticketNo}', c.ticket_no), replace(?, '{ticketNo}', c.ticket_no),
                c.case_id, 'pending', 0, ?, ?, ${opts.scrub ? 1 : 0}, ?
         FROM complaints c JOIN complaint_contacts cc ON cc.case_id = c.case_id
         WHERE (c.case_id = ? OR c.merged_into = ?) AND cc.${column} IS NOT NULL AND c.channel IN (${channels}) AND ${GUARD}`,
      )
      .bind(subject, body, now, now, channel === 'email' ? files : null, caseId, caseId, g.caseId, g.commandId);
  return [
    sql('email', 'email', "'email','web','box','phone','walk_in'"),
    sql('whatsapp', 'phone', "'whatsapp','web','box','phone','walk_in'"),
  ];
}

export interface AduanSettingsRow {
  reopen_working_days: number;
  resolution_days_json: string;
  /** Migration 0091: where overdue complaints are escalated to (the head of division). */
  escalation_email?: string | null;
  escalation_phone?: string | null;
}

export function getAduanSettings(db: D1Database, officeCode: string): Promise<AduanSettingsRow | null> {
  return db
    .prepare('SELECT reopen_working_days, resolution_days_json, escalation_email, escalation_phone FROM aduan_settings WHERE office_code = ?')
    .bind(officeCode)
    .first<AduanSettingsRow>();
}

export function upsertAduanSettings(db: D1Database, officeCode: string, s: AduanSettingsRow, now: number): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO aduan_settings (office_code, reopen_working_days, resolution_days_json, escalation_email, escalation_phone, updated_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (office_code) DO UPDATE SET reopen_working_days = excluded.reopen_working_days, resolution_days_json = excluded.resolution_days_json,
         escalation_email = excluded.escalation_email, escalation_phone = excluded.escalation_phone, updated_at = excluded.updated_at`,
    )
    .bind(officeCode, s.reopen_working_days, s.resolution_days_json, s.escalation_email ?? null, s.escalation_phone ?? null, now);
}

/** Sets only the escalation contact (the office screen); an office without settings yet gets the defaults beside it. */
export function setEscalationContact(db: D1Database, officeCode: string, contact: { email: string | null; phone: string | null }, now: number): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO aduan_settings (office_code, escalation_email, escalation_phone, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (office_code) DO UPDATE SET escalation_email = excluded.escalation_email, escalation_phone = excluded.escalation_phone, updated_at = excluded.updated_at`,
    )
    .bind(officeCode, contact.email, contact.phone, now);
}

/**
 * The escalation message of one flagged complaint to the office's head of division, written only if this run's
 * flag is the one on the row (`escalated_at = at`): two overlapping runs never send it twice.
 */
export function escalationNoticeIf(db: D1Database, caseId: string, at: number, channel: 'email' | 'whatsapp', subject: string, body: string): D1PreparedStatement {
  const column = channel === 'email' ? 'escalation_email' : 'escalation_phone';
  return db
    .prepare(
      `INSERT INTO notifications (id, channel, recipient, subject, body, case_id, status, attempts, next_attempt_at, created_at)
       SELECT lower(hex(randomblob(16))), ?, s.${column}, ?, ?, c.case_id, 'pending', 0, ?, ?
       FROM complaints c JOIN aduan_settings s ON s.office_code = c.office_code
       WHERE c.case_id = ? AND c.escalated_at = ? AND s.${column} IS NOT NULL AND s.${column} <> ''`,
    )
    .bind(channel, subject, body, at, at, caseId, at);
}

/** A complaint with its case, as the inbox lists it. */
export interface InboxRow extends ComplaintRow {
  state: string;
  version: number;
  data_json: string;
  step_started_at: number;
  updated_at: number;
  assignee_name: string | null;
}

/** The office's complaints, newest first; filters the SQL can do (the SLA ones are applied by the caller). */
export async function listComplaints(
  db: D1Database,
  officeCode: string,
  f: { states?: string[]; service?: string; channel?: string; assigneeId?: string; q?: string; limit: number },
): Promise<InboxRow[]> {
  const where = ['c.office_code = ?'];
  const args: unknown[] = [officeCode];
  if (f.states?.length) {
    where.push('k.state IN (SELECT value FROM json_each(?))');
    args.push(JSON.stringify(f.states));
  }
  if (f.service) (where.push('c.subject_service = ?'), args.push(f.service));
  if (f.channel) (where.push('c.channel = ?'), args.push(f.channel));
  if (f.assigneeId) (where.push('c.assignee_id = ?'), args.push(f.assigneeId));
  if (f.q) {
    where.push("(c.ticket_no LIKE ? ESCAPE '\\' OR json_extract(k.data_json, '$.description') LIKE ? ESCAPE '\\' OR json_extract(k.data_json, '$.title') LIKE ? ESCAPE '\\')");
    const like = `%${f.q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
    args.push(like, like, like);
  }
  const { results } = await db
    .prepare(
      `SELECT c.*, k.state, k.version, k.data_json, k.step_started_at, k.updated_at, u.display_name AS assignee_name
       FROM complaints c JOIN cases k ON k.id = c.case_id LEFT JOIN users u ON u.id = c.assignee_id
       WHERE ${where.join(' AND ')} ORDER BY c.received_at DESC LIMIT ?`,
    )
    .bind(...args, f.limit)
    .all<InboxRow>();
  return results;
}

/** Open complaints of every office whose SLA may have run out and that are not flagged yet (for the hourly check). */
export async function openUnescalated(db: D1Database, states: readonly string[], limit: number): Promise<InboxRow[]> {
  const { results } = await db
    .prepare(
      `SELECT c.*, k.state, k.version, k.data_json, k.step_started_at, k.updated_at, NULL AS assignee_name
       FROM complaints c JOIN cases k ON k.id = c.case_id
       WHERE c.escalated_at IS NULL AND k.state IN (SELECT value FROM json_each(?)) ORDER BY c.received_at LIMIT ?`,
    )
    .bind(JSON.stringify(states), limit)
    .all<InboxRow>();
  return results;
}

export function markEscalated(db: D1Database, caseIds: string[], at: number): D1PreparedStatement {
  return db.prepare('UPDATE complaints SET escalated_at = ? WHERE escalated_at IS NULL AND case_id IN (SELECT value FROM json_each(?))').bind(at, JSON.stringify(caseIds));
}

/** The office's complaints received in [from, to), with their case, for the monthly report; bounded. */
export async function complaintsReceivedBetween(db: D1Database, officeCode: string, from: number, to: number, limit = 20_000): Promise<InboxRow[]> {
  const { results } = await db
    .prepare(
      `SELECT c.*, k.state, k.version, k.data_json, k.step_started_at, k.updated_at, NULL AS assignee_name
       FROM complaints c JOIN cases k ON k.id = c.case_id
       WHERE c.office_code = ? AND c.received_at >= ? AND c.received_at < ? ORDER BY c.received_at LIMIT ?`,
    )
    .bind(officeCode, from, to, limit)
    .all<InboxRow>();
  return results;
}

/** Complaints merged into `from` earlier follow `into` too. */
export function mergeFollowersIf(db: D1Database, g: Guard, from: string, into: string): D1PreparedStatement {
  return db
    .prepare('UPDATE complaints SET merged_into = ? WHERE merged_into = ? AND EXISTS (SELECT 1 FROM cases WHERE id = ? AND last_command_id = ?)')
    .bind(into, from, g.caseId, g.commandId);
}

/** Ticket numbers of the complaints merged into `caseId`, oldest first. */
export async function mergedTickets(db: D1Database, caseId: string): Promise<string[]> {
  const { results } = await db.prepare('SELECT ticket_no FROM complaints WHERE merged_into = ? ORDER BY received_at').bind(caseId).all<{ ticket_no: string }>();
  return results.map((r) => r.ticket_no);
}
