/**
 * Complaint service glue: filing through the engine for complainants without an account and for the channels that
 * arrive by themselves, the public tracking view, the handlers' inbox and detail, and the identity-free export.
 */
import { aduanDueAt, resolutionDaysFor } from '../../schema/aduan/sla';
import { trackingHash } from '../../schema/aduan/tracking';
import type { Command } from '../../schema/contracts/sync';
import { uuid7 } from '../../schema/ids';
import type { ProblemCode } from '../../schema/problems';
import { dueAt, msToLocal, serviceHoursFromRow, type ServiceHours } from '../../schema/service-time';
import { ADUAN_OPEN_STATES, ADUAN_STAGES, aduan, publicStatus, TRACKING_CODE, type AduanSubmitInput } from '../../schema/workflows/aduan';
import { workflowOf } from '../../schema/workflows';
import { caseView } from '../case-view';
import * as sql from '../db/aduan';
import { getCase, getSteps, type CaseRow } from '../db/cases';
import { invitationOfCase } from '../db/ikm';
import { findOffice } from '../db/offices';
import type { Registry } from '../db/registry';
import { applyCommand, type EngineContext } from '../engine';
import { ApiError } from '../errors';
import type { Session } from '../middleware/session';
import { complainantSubject, SYSTEM_SUBJECTS } from './hooks';

/** Roles that work the complaint inbox; the head of office and admin read it too. */
export const INBOX_ROLES = ['complaint_handler', 'head_of_division', 'head_of_office', 'admin'] as const;

export function requireInbox(session: Session): void {
  if (session.subjectType !== 'staff' || !session.roles.some((r) => (INBOX_ROLES as readonly string[]).includes(r))) throw new ApiError('forbidden_role');
}

/** The engine principal of a complainant without an account, bound to the tracking code's hash. */
export function complainantSession(officeCode: string, hash: string): Session {
  return { tokenHash: '', subjectType: 'staff', subjectId: complainantSubject(hash), displayName: 'Pelapor', officeCode, roles: ['resident'] };
}

/** The engine principal of an automatic channel (WhatsApp webhook, inbound email, LAPOR! import). */
export function channelSession(officeCode: string, channel: keyof typeof SYSTEM_SUBJECTS): Session {
  return { tokenHash: '', subjectType: 'staff', subjectId: SYSTEM_SUBJECTS[channel], displayName: channel, officeCode, roles: ['resident'] };
}

function problemError(problem: { code: string; detail?: string; [k: string]: unknown }): ApiError {
  const { type: _t, title: _ti, status: _s, code, detail, ...extra } = problem;
  return new ApiError(code as ProblemCode, detail, extra);
}

export interface Filed {
  caseId: string;
  ticketNo: string;
  /** applied, or duplicate when the same command id came again */
  status: 'applied' | 'duplicate';
}

/** Files a complaint through the engine as `session`; returns its ticket number or throws the engine's problem. */
export async function fileComplaint(
  base: Omit<EngineContext, 'session'>,
  session: Session,
  input: AduanSubmitInput,
  ids: { commandId?: string; caseId?: string } = {},
): Promise<Filed> {
  const cmd: Command = { id: ids.commandId ?? uuid7(base.now), type: 'create', caseId: ids.caseId ?? uuid7(base.now), service: 'aduan', input: input as unknown as Record<string, unknown> };
  const result = await applyCommand({ ...base, session }, cmd);
  if (result.status === 'rejected' || result.status === 'conflict') throw problemError(result.problem ?? { code: 'illegal_action' });
  const c = await sql.getComplaint(base.db, cmd.caseId);
  if (!c) throw new Error('complaint row missing after intake');
  return { caseId: c.case_id, ticketNo: c.ticket_no, status: result.status === 'duplicate' ? 'duplicate' : 'applied' };
}

export async function hoursOf(db: D1Database, office: string): Promise<ServiceHours> {
  const row = await findOffice(db, office);
  if (!row) throw new ApiError('not_found');
  return serviceHoursFromRow(row);
}

/**
 * The complaint behind a tracking code, or the one answer for every miss (malformed or unknown alike), so the
 * answer tells nothing about which codes exist.
 */
export async function complaintForCode(db: D1Database, code: string): Promise<sql.ComplaintRow> {
  const hash = await trackingHash(code);
  const row = TRACKING_CODE.test(code) ? await sql.complaintByTracking(db, hash) : null;
  if (!row) throw new ApiError('aduan_tracking_unknown', 'Kode lacak tidak dikenal. / Unknown tracking code.');
  return row;
}

const PUBLIC_STEP_ACTIONS = new Set(Object.keys(aduan.actions));

/** What the complainant sees: ticket, status, stage history with dates, resolution, reopen period, survey. No names, no notes. */
export async function trackingView(db: D1Database, c: sql.ComplaintRow, now = Date.now()) {
  const row = await getCase(db, c.case_id);
  if (!row) throw new ApiError('aduan_tracking_unknown');
  const hours = await hoursOf(db, c.office_code);
  const data = JSON.parse(row.data_json) as Record<string, unknown>;
  // A merged complaint follows the one it was merged into.
  const master = c.merged_into ? await getCase(db, c.merged_into) : null;
  const shown = master ?? row;
  const shownData = master ? (JSON.parse(master.data_json) as Record<string, unknown>) : data;
  const steps = (await getSteps(db, shown.id)).filter((s) => PUBLIC_STEP_ACTIONS.has(s.action));
  const invitation = shown.state === 'resolved' || shown.state === 'archived' ? await invitationOfCase(db, shown.id) : null;
  const masterComplaint = master ? await sql.getComplaint(db, master.id) : null;
  const reopenUntil = (masterComplaint ?? c).reopen_until;
  // The answer's files only: never the intake's (a confidential complainant's photos are not the tracker's business).
  const files = await sql.listAttachments(db, shown.id, 'reply');
  return {
    ticketNo: c.ticket_no,
    mergedInto: masterComplaint?.ticket_no ?? null,
    state: shown.state,
    status: publicStatus(shown.state),
    subjectService: c.subject_service,
    title: typeof data.title === 'string' ? data.title : null,
    description: typeof data.description === 'string' ? data.description : '',
    channel: c.channel,
    receivedAt: c.received_at,
    timeZone: hours.timeZone,
    // The page names times in the office's zone (WIB/WITA/WIT), not the phone's.
    officeCode: c.office_code,
    history: steps.map((s) => ({ state: s.to_state, status: publicStatus(s.to_state), at: s.at })),
    resolution: shown.state === 'resolved' && typeof shownData.resolution === 'string' ? shownData.resolution : null,
    forwardedTo: shown.state === 'forwarded' && typeof shownData.forwardTo === 'string' ? shownData.forwardTo : null,
    reopenUntil: shown.state === 'resolved' ? reopenUntil : null,
    canReopen: shown.state === 'resolved' && reopenUntil !== null && now <= reopenUntil,
    survey: invitation ? { open: invitation.used_at === null && now <= invitation.expires_at, answered: invitation.used_at !== null } : null,
    files: files.map((f) => ({ id: f.id, name: f.filename, type: f.content_type, size: f.size })),
  };
}

/** Whether this staff member may see the complainant's identity: ordinary → the inbox roles; confidential → the assignee only. */
export function maySeeIdentity(session: Session, c: sql.ComplaintRow): boolean {
  if (c.privacy === 'anonim') return false;
  if (c.privacy === 'rahasia') return c.assignee_id === session.subjectId;
  return session.roles.some((r) => (INBOX_ROLES as readonly string[]).includes(r));
}

export type InboxFilter = 'all' | 'new' | 'overdue' | 'mine' | 'escalated' | 'open' | 'closed';

function inboxItem(r: sql.InboxRow, hours: ServiceHours, published: string | undefined, now: number) {
  const data = JSON.parse(r.data_json) as Record<string, unknown>;
  const due = aduanDueAt(hours, {
    state: r.state, stepStartedAt: r.step_started_at, routedAt: r.routed_at, postponeUntil: typeof data.postponeUntil === 'string' ? data.postponeUntil : undefined,
    resolutionDays: resolutionDaysFor(data.resolutionClass, published),
  });
  return {
    caseId: r.case_id,
    ticketNo: r.ticket_no,
    state: r.state,
    version: r.version,
    channel: r.channel,
    privacy: r.privacy,
    kind: typeof data.kind === 'string' ? data.kind : 'pengaduan',
    subjectService: r.subject_service,
    title: typeof data.title === 'string' ? data.title : null,
    category: typeof data.category === 'string' ? data.category : null,
    priority: typeof data.priority === 'string' ? data.priority : null,
    resolutionClass: typeof data.resolutionClass === 'string' ? data.resolutionClass : null,
    assigneeId: r.assignee_id,
    assigneeName: r.assignee_name,
    receivedAt: r.received_at,
    dueAt: due,
    overdue: due !== null && now > due,
    escalated: r.escalated_at !== null,
    relatedCaseId: r.related_case_id,
  };
}
export type InboxItem = ReturnType<typeof inboxItem>;

export async function inbox(
  db: D1Database,
  session: Session,
  q: { filter: InboxFilter; service?: string; channel?: string; state?: string; q?: string; limit?: number },
  now = Date.now(),
): Promise<InboxItem[]> {
  requireInbox(session);
  const [hours, settings] = await Promise.all([hoursOf(db, session.officeCode), sql.getAduanSettings(db, session.officeCode)]);
  const closed = ['resolved', 'forwarded', 'archived', 'merged'];
  const states = q.state ? [q.state]
    : q.filter === 'new' ? ['received']
    : q.filter === 'closed' ? closed
    : q.filter === 'open' || q.filter === 'overdue' || q.filter === 'escalated' || q.filter === 'mine' ? [...ADUAN_OPEN_STATES]
    : undefined;
  const rows = await sql.listComplaints(db, session.officeCode, {
    states, service: q.service, channel: q.channel, assigneeId: q.filter === 'mine' ? session.subjectId : undefined, q: q.q, limit: q.limit ?? 500,
  });
  const items = rows.map((r) => inboxItem(r, hours, settings?.resolution_days_json, now));
  if (q.filter === 'overdue') return items.filter((i) => i.overdue);
  if (q.filter === 'escalated') return items.filter((i) => i.escalated);
  return items;
}

/** One complaint for a handler: the case, its history, identity only where allowed, attachments, merged tickets, the linked case. */
export async function complaintDetail(db: D1Database, session: Session, caseId: string, now = Date.now()) {
  requireInbox(session);
  const c = await sql.getComplaint(db, caseId);
  if (!c) throw new ApiError('case_not_found');
  if (c.office_code !== session.officeCode) throw new ApiError('forbidden_object');
  const row = (await getCase(db, caseId))!;
  const [hours, settings] = await Promise.all([hoursOf(db, c.office_code), sql.getAduanSettings(db, c.office_code)]);
  const [view, steps, attachments, merged] = await Promise.all([
    caseView(db, row, now),
    getSteps(db, caseId),
    sql.listAttachments(db, caseId),
    sql.mergedTickets(db, caseId),
  ]);
  const contact = maySeeIdentity(session, c) ? await sql.getContact(db, caseId) : null;
  const data = view.data;
  const due = aduanDueAt(hours, {
    state: row.state, stepStartedAt: row.step_started_at, routedAt: c.routed_at, postponeUntil: typeof data.postponeUntil === 'string' ? data.postponeUntil : undefined,
    resolutionDays: resolutionDaysFor(data.resolutionClass, settings?.resolution_days_json),
  });
  return {
    case: { ...view, dueAt: due, overrun: due !== null && now > due },
    ticketNo: c.ticket_no,
    channel: c.channel,
    privacy: c.privacy,
    subjectService: c.subject_service,
    assigneeId: c.assignee_id,
    receivedAt: c.received_at,
    routedAt: c.routed_at,
    reopenUntil: c.reopen_until,
    escalated: c.escalated_at !== null,
    mergedInto: c.merged_into ? (await sql.getComplaint(db, c.merged_into))?.ticket_no ?? null : null,
    mergedTickets: merged,
    identity: c.privacy === 'anonim' ? { status: 'anonymous' as const } : contact ? { status: 'shown' as const, ...contact } : { status: 'hidden' as const },
    steps: steps.map((s) => ({ version: s.version, action: s.action, fromState: s.from_state, toState: s.to_state, actorName: s.actor_name, input: JSON.parse(s.input_json) as Record<string, unknown>, at: s.at })),
    attachments: attachments.map((a) => ({ id: a.id, name: a.filename, type: a.content_type, size: a.size, purpose: a.purpose ?? 'intake' })),
    relatedCase: c.related_case_id ? await relatedCase(db, c.related_case_id, now) : null,
  };
}

/** The case a complaint is about, with each SOP step's service time against its standard (overruns). */
async function relatedCase(db: D1Database, id: string, now: number) {
  const row = await getCase(db, id);
  if (!row) return null;
  const wf = workflowOf(row.service);
  const hours = await hoursOf(db, row.office_code);
  const steps = await getSteps(db, id);
  const view = await caseView(db, row, now);
  return {
    id: row.id, service: row.service, state: row.state, title: wf?.title ?? { id: row.service, en: row.service },
    dueAt: view.dueAt, overrun: view.overrun,
    steps: steps.map((s, i) => {
      const started = i === 0 ? null : steps[i - 1]!.at;
      const standard = s.from_state ? wf?.states[s.from_state]?.standardMinutes : undefined;
      const due = started !== null && standard !== undefined ? dueAt(hours, started, standard) : null;
      return { action: s.action, toState: s.to_state, at: s.at, standardMinutes: standard ?? null, overrun: due !== null && s.at > due };
    }),
  };
}

/** CSV of the office's complaints for reports: never a name, contact, description or tracking code. */
export async function exportCsv(db: D1Database, session: Session, now = Date.now()): Promise<string> {
  // The export is the office's whole register, not the inbox's first page.
  const items = await inbox(db, session, { filter: 'all', limit: 50_000 }, now);
  const hours = await hoursOf(db, session.officeCode);
  const local = (ms: number | null) => (ms === null ? '' : msToLocal(hours.timeZone, ms).replace('T', ' '));
  const header = ['ticket_no', 'received_at', 'channel', 'kind', 'service', 'privacy', 'category', 'priority', 'state', 'due_at', 'overdue', 'escalated'];
  const lines = items.map((i) => [i.ticketNo, local(i.receivedAt), i.channel, i.kind, i.subjectService, i.privacy, i.category ?? '', i.priority ?? '', i.state, local(i.dueAt), i.overdue ? '1' : '0', i.escalated ? '1' : '0']);
  return [header, ...lines].map((l) => l.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

/** Quotes a CSV cell and defuses spreadsheet formulas (a cell starting with = + - @ is prefixed with '). */
export function csvCell(v: string): string {
  const safe = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** For engine contexts made outside a request (email handler, cron). */
export function baseContext(db: D1Database, registry: Pick<Registry, 'findResident'>, ip: string | null, now = Date.now()): Omit<EngineContext, 'session'> {
  return { db, registry, ip, now };
}

export type { CaseRow };
export { ADUAN_STAGES };
