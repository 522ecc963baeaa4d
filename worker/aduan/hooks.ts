/**
 * What the engine cannot know about complaints: the complaint row with its ticket number and hashed tracking code,
 * contacts kept out of the case (and out of the audit log), assignee-only stages, merges, reopen periods and the
 * messages to complainants by the channel they used.
 */
import type { z } from 'zod';
import { trackingHash } from '../../schema/aduan/tracking';
import { addWorkingDays, msToLocal, serviceHoursFromRow, type ServiceHours } from '../../schema/service-time';
import { ADUAN_MESSAGES, ADUAN_SLA, ADUAN_OPEN_STATES, ASSIGNEE_ACTIONS, publicStatus, TRANSCRIBED_CHANNELS, type AduanSubmitInput } from '../../schema/workflows/aduan';
import * as sql from '../db/aduan';
import { getCase, type Guard } from '../db/cases';
import { complaintInvitationHash, ikmInvitationForComplaintIf } from '../db/ikm';
import { findOffice } from '../db/offices';
import type { NotificationAttachment } from '../db/notifications';
import { staffNoticeIf } from '../db/staff-contacts';
import { findUserById } from '../db/users';
import type { EngineContext } from '../engine';
import { ApiError } from '../errors';
import type { ActionHook, HookResult } from '../hooks';
import { appOrigin, trackUrl } from './config';

/** Engine principals of the channels that arrive by themselves; only they may file with those channels. */
export const SYSTEM_SUBJECTS = { whatsapp: 'system:whatsapp', email: 'system:email', lapor: 'system:lapor' } as const;
/** The subject of a public (no account) complainant: tied to the tracking code, so a repeat needs the same code. */
export const complainantSubject = (hash: string) => `pelapor:${hash.slice(0, 32)}`;

async function officeHours(db: D1Database, code: string): Promise<ServiceHours> {
  const row = await findOffice(db, code);
  if (!row) throw new ApiError('forbidden_object', 'Unknown office');
  return serviceHoursFromRow(row);
}

function allowedChannel(ctx: EngineContext, channel: string): boolean {
  const s = ctx.session;
  if ((Object.values(SYSTEM_SUBJECTS) as string[]).includes(s.subjectId)) return SYSTEM_SUBJECTS[channel as keyof typeof SYSTEM_SUBJECTS] === s.subjectId;
  if (s.roles.includes('complaint_handler')) return (TRANSCRIBED_CHANNELS as readonly string[]).includes(channel);
  return channel === 'web';
}

function fill(template: string, values: Record<string, unknown>): string {
  // {ticketNo} is left for the SQL that knows each complainant's own ticket.
  return template.replace(/\{(\w+)\}/g, (all, k: string) => (k === 'ticketNo' ? all : String(values[k] ?? '')));
}

function messages(
  ctx: EngineContext, guard: Guard, caseId: string, action: string, values: Record<string, unknown>,
  opts: { scrub?: boolean; attachments?: NotificationAttachment[] } = {},
): D1PreparedStatement[] {
  const tpl = ADUAN_MESSAGES[action as keyof typeof ADUAN_MESSAGES];
  if (!tpl) return [];
  let body = fill(tpl.body.id, values);
  if (opts.attachments?.length) body += ` Lampiran jawaban (${opts.attachments.length} berkas) ada di email ini dan di halaman lacak.`;
  return sql.notifyComplainantsIf(ctx.db, guard, caseId, fill(tpl.subject.id, values), body, ctx.now, opts);
}

const submit: ActionHook = async ({ ctx, next, input, guard }) => {
  const i = input as z.infer<typeof AduanSubmitInput>;
  if (!allowedChannel(ctx, i.channel)) throw new ApiError('forbidden_role', `Kanal "${i.channel}" tidak untuk Anda. / Channel "${i.channel}" is not yours to use.`);
  const hash = await trackingHash(i.trackingCode);
  if (ctx.session.subjectId.startsWith('pelapor:') && ctx.session.subjectId !== complainantSubject(hash)) throw new ApiError('forbidden_object');
  if (i.sourceRef) {
    const seen = await sql.complaintBySource(ctx.db, next.office_code, i.channel, i.sourceRef);
    if (seen) throw new ApiError('aduan_duplicate_source', `Sudah tercatat sebagai ${seen.ticket_no}. / Already filed as ${seen.ticket_no}.`, { ticketNo: seen.ticket_no });
  }
  const hours = await officeHours(ctx.db, next.office_code);
  // A receipt or case number links the complaint to that case, only within the same office.
  const related = i.caseRef ? await getCase(ctx.db, i.caseRef) : null;
  const statements: D1PreparedStatement[] = [
    sql.insertComplaintIf(ctx.db, guard, {
      case_id: next.id, office_code: next.office_code, year: Number(msToLocal(hours.timeZone, ctx.now).slice(0, 4)),
      tracking_hash: hash, channel: i.channel, privacy: i.privacy, subject_service: i.subjectService,
      related_case_id: related && related.office_code === next.office_code && related.service !== 'aduan' ? related.id : null,
      source_ref: i.sourceRef ?? null, received_at: ctx.now,
    }),
  ];
  if (i.privacy !== 'anonim' && (i.name || i.email || i.phone)) {
    statements.push(sql.insertContactIf(ctx.db, guard, next.id, { name: i.name ?? null, email: i.email ?? null, phone: i.phone ?? null }));
  }
  for (const a of i.attachments ?? []) {
    // A complainant without an account may only name photos uploaded through the public form.
    const prefix = ctx.session.subjectId.startsWith('pelapor:') ? `aduan/${next.office_code}/foto/` : `aduan/${next.office_code}/`;
    if (!a.key.startsWith(prefix) || a.key.includes('..')) throw new ApiError('forbidden_object', 'Attachment key outside this office');
    statements.push(sql.insertAttachmentIf(ctx.db, guard, { id: crypto.randomUUID(), case_id: next.id, r2_key: a.key, filename: a.name, content_type: a.type, size: a.size, created_at: ctx.now }));
  }
  // The first reply carries the code (in the link's fragment); its body is scrubbed once sent.
  statements.push(...messages(ctx, guard, next.id, 'submit', { trackUrl: trackUrl(i.trackingCode) }, { scrub: true }));
  const { trackingCode: _code, name: _n, email: _e, phone: _p, ...recorded } = i;
  return { statements, recordedInput: recorded };
};

/** Every action after intake: the assignee rule, then the action's own effects and the complainant's message. */
const act: ActionHook = async (args) => {
  const { ctx, action, previous, input, guard } = args;
  const c = await sql.getComplaint(ctx.db, guard.caseId);
  if (!c || !previous) throw new ApiError('case_not_found');
  const s = ctx.session;
  if (ASSIGNEE_ACTIONS.has(action) && c.assignee_id !== s.subjectId && !s.roles.includes('head_of_division')) {
    throw new ApiError('aduan_not_assignee', 'Tahap ini dikerjakan oleh penangan yang ditugaskan. / This stage belongs to the assigned handler.');
  }
  const hours = await officeHours(ctx.db, c.office_code);
  const out: HookResult = { statements: [] };
  const values: Record<string, unknown> = { ...input, trackUrl: trackUrl() };
  let attachments: NotificationAttachment[] | undefined;

  switch (action) {
    case 'postpone': {
      const today = msToLocal(hours.timeZone, ctx.now).slice(0, 10);
      if (String(input.postponeUntil) <= today) throw new ApiError('validation_failed', 'Tanggal tunda harus setelah hari ini. / The postponement date must be after today.', { errors: [{ path: 'postponeUntil', message: 'after today' }] });
      break;
    }
    case 'merge': {
      const target = await sql.complaintByTicket(ctx.db, c.office_code, String(input.intoTicket));
      const targetCase = target ? await getCase(ctx.db, target.case_id) : null;
      if (!target || !targetCase || target.case_id === c.case_id || !ADUAN_OPEN_STATES.includes(targetCase.state as never)) {
        throw new ApiError('aduan_merge_target', 'Nomor tiket tujuan tidak ada atau sudah ditutup. / The target ticket does not exist or is closed.');
      }
      out.statements!.push(sql.updateComplaintIf(ctx.db, guard, c.case_id, { merged_into: target.case_id }));
      out.data = { mergedInto: target.ticket_no };
      // The complainants of this ticket (and of any merged into it before) now follow the target.
      out.statements!.push(sql.mergeFollowersIf(ctx.db, guard, c.case_id, target.case_id));
      out.statements!.push(
        ...sql.notifyComplainantsIf(ctx.db, guard, c.case_id, 'Status aduan {ticketNo}',
          `Aduan {ticketNo} digabung dengan aduan yang sama (${target.ticket_no}); jawaban atas aduan tersebut juga dikirim kepada Anda.`, ctx.now),
      );
      return out;
    }
    case 'assign': {
      const user = await findUserById(ctx.db, String(input.assigneeId));
      if (!user || user.officeCode !== c.office_code || user.disabled || !user.roles.includes('complaint_handler')) {
        throw new ApiError('aduan_assignee_invalid', 'Penangan tidak ditemukan di kantor ini. / No such complaint handler in this office.');
      }
      out.statements!.push(sql.updateComplaintIf(ctx.db, guard, c.case_id, { assignee_id: user.id, routed_at: ctx.now }));
      out.statements!.push(handOverNotice(ctx, guard, user.id, c, 'onsite_check'));
      out.data = { assigneeName: user.displayName };
      break;
    }
    case 'reassign_onsite_check':
    case 'reassign_internal_coordination':
    case 'reassign_external_coordination':
    case 'reassign_follow_up': {
      const user = await findUserById(ctx.db, String(input.assigneeId));
      if (!user || user.officeCode !== c.office_code || user.disabled || !user.roles.includes('complaint_handler')) {
        throw new ApiError('aduan_assignee_invalid', 'Penangan tidak ditemukan di kantor ini. / No such complaint handler in this office.');
      }
      if (user.id === c.assignee_id) throw new ApiError('aduan_assignee_invalid', 'Aduan ini sudah ditangani oleh penangan tersebut. / This handler already has the complaint.');
      // The routing time stays: the clock keeps running across a hand-over, so reassigning cannot buy time.
      out.statements!.push(sql.updateComplaintIf(ctx.db, guard, c.case_id, { assignee_id: user.id }));
      out.statements!.push(handOverNotice(ctx, guard, user.id, c, previous.state));
      out.data = { assigneeName: user.displayName, previousAssigneeId: c.assignee_id };
      return out;
    }
    case 'resolve': {
      const settings = await sql.getAduanSettings(ctx.db, c.office_code);
      const days = settings?.reopen_working_days ?? ADUAN_SLA.reopenWorkingDaysDefault;
      const until = addWorkingDays(hours, ctx.now, days) ?? ctx.now;
      out.statements!.push(sql.updateComplaintIf(ctx.db, guard, c.case_id, { resolved_at: ctx.now, reopen_until: until }));
      out.statements!.push(ikmInvitationForComplaintIf(ctx.db, guard, { codeHash: await complaintInvitationHash(c.tracking_hash), officeCode: c.office_code, caseId: c.case_id }, ctx.now));
      values.reopenUntil = msToLocal(hours.timeZone, until).replace('T', ' ');
      const ids = [...new Set((input.replyFiles as string[] | undefined) ?? [])];
      if (ids.length) {
        // Only files uploaded for this complaint's answer (their type checked by their bytes on upload).
        const files = await sql.replyFilesOf(ctx.db, c.case_id, ids);
        if (files.length !== ids.length) {
          throw new ApiError('validation_failed', 'Lampiran tidak ditemukan pada aduan ini. / An attachment is not one of this complaint\'s.', { errors: [{ path: 'replyFiles', message: 'unknown attachment' }] });
        }
        out.statements!.push(sql.markReplyFilesIf(ctx.db, guard, c.case_id, ids));
        attachments = files.map((f) => ({ key: f.r2_key, filename: f.filename, contentType: f.content_type }));
      }
      break;
    }
    case 'reopen': {
      if (c.reopen_until === null || ctx.now > c.reopen_until) {
        throw new ApiError('aduan_reopen_closed', 'Batas waktu membuka kembali aduan sudah lewat. / The period to reopen this complaint is over.');
      }
      if (s.subjectId.startsWith('pelapor:') && s.subjectId !== complainantSubject(c.tracking_hash)) throw new ApiError('forbidden_object');
      // A fresh follow-up clock of five working days from the reopening.
      out.statements!.push(sql.updateComplaintIf(ctx.db, guard, c.case_id, { resolved_at: null, reopen_until: null, routed_at: ctx.now, escalated_at: null }));
      break;
    }
    default:
      break;
  }
  if (['verify', 'assign', 'resume'].includes(action) || action.startsWith('finish_') || action.startsWith('skip_')) {
    // A new clock starts: the escalation flag belongs to the old one.
    out.statements!.push(sql.updateComplaintIf(ctx.db, guard, c.case_id, { escalated_at: null }));
  }
  out.statements!.push(...messages(ctx, guard, c.case_id, action, values, { attachments }));
  return out;
};

/**
 * Tells the handler a complaint now belongs to (assigned, or handed over within a stage) at each work channel the
 * admin set for them (email, WhatsApp): the ticket, the stage and a link to it in the inbox. Never the complainant's name, contact or
 * account of events (a confidential identity is for the app's detail screen, after sign-in, only).
 */
function handOverNotice(ctx: EngineContext, guard: Guard, userId: string, c: sql.ComplaintRow, stage: string): D1PreparedStatement {
  const label = publicStatus(stage);
  const link = `${appOrigin()}/aduan/kotak/${c.case_id}`;
  return staffNoticeIf(
    ctx.db, guard, userId,
    `Aduan ${c.ticket_no} ditugaskan kepada Anda / assigned to you`,
    `Aduan ${c.ticket_no} (tahap: ${label.id}) kini ditangani oleh Anda. Buka di Kotak Aduan: ${link}\n` +
      `Complaint ${c.ticket_no} (stage: ${label.en}) is now yours to handle. Open it in the complaints inbox: ${link}`,
    c.case_id, ctx.now,
  );
}

const ACTIONS = [
  'verify', 'postpone', 'resume', 'not_our_authority', 'archive', 'merge', 'assign', 'finish_onsite_check', 'skip_onsite_check',
  'finish_internal_coordination', 'skip_internal_coordination', 'finish_external_coordination', 'skip_external_coordination', 'resolve', 'reopen',
  'reassign_onsite_check', 'reassign_internal_coordination', 'reassign_external_coordination', 'reassign_follow_up',
];

export const ADUAN_HOOKS: Record<string, ActionHook> = { submit, ...Object.fromEntries(ACTIONS.map((a) => [a, act])) };

/** A racing intake with the same channel id or tracking code trips a UNIQUE index: say what happened. */
export function aduanConstraintProblem(message: string): ApiError | undefined {
  if (/UNIQUE constraint failed: complaints\.office_code, complaints\.channel, complaints\.source_ref/.test(message)) return new ApiError('aduan_duplicate_source');
  if (/UNIQUE constraint failed: complaints\.tracking_hash/.test(message)) return new ApiError('validation_failed', 'Kode lacak sudah dipakai; buat kode baru. / Tracking code already used; make a new one.');
  return undefined;
}
