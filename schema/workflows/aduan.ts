/**
 * Complaint handling (aduan, seed 004 + SPEC.md F / SP4N-LAPOR! practice): intake from every channel, verification
 * within 3 working days, routing, the four handling stages in order, resolution and reopening, as one SOP table.
 */
import { z } from 'zod';
import type { WorkflowDef } from './types';

/** Where a complaint came in (seed 004 "Penanganan Aduan": box, website, WhatsApp, email, E-Lapor, plus phone and walk-in). */
export const ADUAN_CHANNELS = ['web', 'whatsapp', 'email', 'box', 'phone', 'walk_in', 'lapor'] as const;
export type AduanChannel = (typeof ADUAN_CHANNELS)[number];
/** Channels a handler transcribes by hand (the others arrive by themselves). */
export const TRANSCRIBED_CHANNELS = ['box', 'phone', 'walk_in'] as const;

/** SP4N-LAPOR!'s three kinds of report. */
export const ADUAN_KINDS = ['pengaduan', 'aspirasi', 'permintaan_informasi'] as const;
/** biasa: identity visible to the office's handlers; rahasia (confidential): to the assigned handler only; anonim: none kept. */
export const ADUAN_PRIVACY = ['biasa', 'rahasia', 'anonim'] as const;
export type AduanPrivacy = (typeof ADUAN_PRIVACY)[number];
/** The service a complaint is about. */
export const ADUAN_SUBJECTS = ['ikd', 'ktp_digital', 'ktpel', 'retas', 'akta_lahir', 'aduan', 'lainnya'] as const;
export const ADUAN_PRIORITIES = ['rendah', 'sedang', 'tinggi'] as const;
/** The published resolution times' classes (SPEC.md F: light 2, normative 5, needs investigation up to 60 working days). */
export const ADUAN_RESOLUTION_CLASSES = ['ringan', 'normatif', 'investigasi'] as const;
export type AduanResolutionClass = (typeof ADUAN_RESOLUTION_CLASSES)[number];
/** The national defaults, used where an office has not published its own (aduan_settings.resolution_days_json). */
export const ADUAN_RESOLUTION_DAYS_DEFAULT: Record<AduanResolutionClass, number> = { ringan: 2, normatif: 5, investigasi: 60 };

/** A complaint's description: long enough for a real account, short enough to read (a clear limit, not the body cap). */
export const DESCRIPTION_MAX = 10_000;
/** Files a handler may attach to one answer (images or PDF, worker/aduan/photos.ts). */
export const ADUAN_REPLY_FILES_MAX = 5;
/** Bytes per answer file (the server refuses more; the PWA says so before keeping it): a scanned letter or a few photos in a PDF. */
export const ADUAN_REPLY_FILE_MAX_BYTES = 2 * 1024 * 1024;
/** The tracking code: ≥ 128 bits of randomness, base64url (22 chars = 132 bits). Made by the client so it works offline. */
export const TRACKING_CODE = /^[A-Za-z0-9_-]{22,64}$/;

const text = (min: number, max: number, what: string) =>
  z.string().trim().min(min, `${what}: minimal ${min} karakter / at least ${min} characters`).max(max, `${what}: maksimal ${max} karakter / at most ${max} characters`);
const phone = z.string().trim().regex(/^(\+62|62|0)8\d{7,12}$/, 'Nomor HP tidak valid / invalid phone number');

export const AduanSubmitInput = z
  .strictObject({
    channel: z.enum(ADUAN_CHANNELS),
    kind: z.enum(ADUAN_KINDS).default('pengaduan'),
    subjectService: z.enum(ADUAN_SUBJECTS),
    /** The receipt or case number the complaint is about, if the resident has one. */
    caseRef: z.string().trim().max(64).optional(),
    title: text(3, 200, 'Judul / Title').optional(),
    description: text(10, DESCRIPTION_MAX, 'Uraian / Description'),
    privacy: z.enum(ADUAN_PRIVACY),
    /** Never stored in the case: hashed into the complaint row. */
    trackingCode: z.string().regex(TRACKING_CODE, 'Kode lacak tidak valid / invalid tracking code'),
    /** Contact, kept apart from the case (complaint_contacts) and never for an anonymous complaint. */
    name: text(2, 120, 'Nama / Name').optional(),
    email: z.email('Email tidak valid / invalid email').max(254).optional(),
    phone: phone.optional(),
    /** The channel's own id (LAPOR! tracking id, email Message-ID, WhatsApp message id): a repeat creates nothing. */
    sourceRef: z.string().trim().min(1).max(200).optional(),
    /** Files already stored (R2 keys under aduan/), see worker/aduan/attachments.ts. */
    attachments: z.array(z.strictObject({ key: z.string().max(200), name: z.string().max(200), type: z.string().max(100), size: z.number().int().min(0) })).max(10).optional(),
  })
  .superRefine((v, ctx) => {
    if (v.privacy === 'anonim' && (v.name || v.email || v.phone)) {
      ctx.addIssue({ code: 'custom', path: ['privacy'], message: 'Aduan anonim tidak menyimpan nama atau kontak / an anonymous complaint keeps no name or contact' });
    }
  });
export type AduanSubmitInput = z.infer<typeof AduanSubmitInput>;

const none = z.strictObject({});
const note = z.strictObject({ note: text(3, 2000, 'Catatan / Note') });
const skip = z.strictObject({ skipReason: text(5, 1000, 'Alasan melewati tahap / Reason for skipping') });
const isoDate = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'YYYY-MM-DD');

export const aduanStates = [
  'received', 'postponed', 'verified', 'onsite_check', 'internal_coordination', 'external_coordination', 'follow_up',
  'resolved', 'forwarded', 'archived', 'merged',
] as const;
export type AduanState = (typeof aduanStates)[number];
/** The four handling stages of seed 004, in order. */
export const ADUAN_STAGES = ['onsite_check', 'internal_coordination', 'external_coordination', 'follow_up'] as const satisfies readonly AduanState[];
export const ADUAN_OPEN_STATES: readonly AduanState[] = ['received', 'postponed', 'verified', ...ADUAN_STAGES];

type AduanAction =
  | 'submit' | 'verify' | 'postpone' | 'resume' | 'not_our_authority' | 'archive' | 'merge' | 'assign'
  | 'finish_onsite_check' | 'skip_onsite_check' | 'finish_internal_coordination' | 'skip_internal_coordination'
  | 'finish_external_coordination' | 'skip_external_coordination' | 'resolve' | 'reopen'
  | 'reassign_onsite_check' | 'reassign_internal_coordination' | 'reassign_external_coordination' | 'reassign_follow_up';

/**
 * SLA clocks in the office's working days (SP4N-LAPOR!): verification within 3 of arrival; after routing, the
 * follow-up within 5 of the routing (one clock across the four stages); a postponed complaint is due on its date.
 */
export const ADUAN_SLA = {
  verifyWorkingDays: 3,
  followUpWorkingDays: 5,
  /** Waiting for assignment after verification. */
  assignWorkingDays: 1,
  /** Default period to reopen a resolved complaint; each office sets its own (aduan_settings). */
  reopenWorkingDaysDefault: 10,
} as const;

const handlers = ['complaint_handler', 'head_of_division'] as const;
const msg = (id: string, en: string) => ({ subject: { id: 'Status aduan {ticketNo}', en: 'Complaint {ticketNo} status' }, body: { id, en } });

/** Messages to the complainant by stage; sent by the aduan hooks to the contact of the channel it came from. */
export const ADUAN_MESSAGES: Partial<Record<AduanAction, { subject: { id: string; en: string }; body: { id: string; en: string } }>> = {
  submit: msg('Aduan Anda diterima dengan nomor {ticketNo}. Ikuti statusnya di {trackUrl}', 'Your complaint was received as {ticketNo}. Follow it at {trackUrl}'),
  verify: msg('Aduan {ticketNo} telah diverifikasi dan akan ditangani.', 'Complaint {ticketNo} was verified and will be handled.'),
  postpone: msg('Penanganan aduan {ticketNo} ditunda sampai {postponeUntil}: {postponeReason}', 'Handling of complaint {ticketNo} is postponed until {postponeUntil}: {postponeReason}'),
  not_our_authority: msg('Aduan {ticketNo} bukan wewenang Disdukcapil dan diteruskan ke {forwardTo}. {forwardNote}', 'Complaint {ticketNo} is outside our authority and was forwarded to {forwardTo}. {forwardNote}'),
  assign: msg('Aduan {ticketNo} sedang ditangani: cek di tempat.', 'Complaint {ticketNo} is being handled: on-site check.'),
  finish_onsite_check: msg('Aduan {ticketNo}: tahap koordinasi internal.', 'Complaint {ticketNo}: internal coordination.'),
  skip_onsite_check: msg('Aduan {ticketNo}: tahap koordinasi internal.', 'Complaint {ticketNo}: internal coordination.'),
  finish_internal_coordination: msg('Aduan {ticketNo}: tahap koordinasi eksternal.', 'Complaint {ticketNo}: external coordination.'),
  skip_internal_coordination: msg('Aduan {ticketNo}: tahap koordinasi eksternal.', 'Complaint {ticketNo}: external coordination.'),
  finish_external_coordination: msg('Aduan {ticketNo}: tahap tindak lanjut dan solusi.', 'Complaint {ticketNo}: follow-up and solution.'),
  skip_external_coordination: msg('Aduan {ticketNo}: tahap tindak lanjut dan solusi.', 'Complaint {ticketNo}: follow-up and solution.'),
  resolve: msg('Aduan {ticketNo} selesai: {resolution} Bila belum tuntas, Anda dapat membukanya kembali sampai {reopenUntil} di {trackUrl}. Mohon isi survei kepuasan di halaman yang sama.', 'Complaint {ticketNo} is resolved: {resolution} If it is not, you may reopen it until {reopenUntil} at {trackUrl}. Please answer the satisfaction survey on the same page.'),
  reopen: msg('Aduan {ticketNo} dibuka kembali dan ditindaklanjuti.', 'Complaint {ticketNo} was reopened and is being followed up.'),
};

/**
 * Handing a complaint to another handler within a stage: the stage and its clock stay (routing time unchanged);
 * only the assignee (handing over) or the head of division may (worker/aduan/hooks.ts), and the engine audits it.
 */
const reassign = (stageName: (typeof ADUAN_STAGES)[number]) => ({
  label: { id: 'Alihkan ke penangan lain', en: 'Reassign to another handler' },
  from: [stageName], to: stageName, roles: handlers,
  input: z.strictObject({ assigneeId: z.string().min(1).max(64), reassignReason: text(5, 1000, 'Alasan pengalihan / Reason to reassign') }),
});

const stage = (id: string, en: string, actorRoles = [...handlers]) => ({ label: { id, en }, actor: actorRoles });

export const aduan: WorkflowDef<AduanState, AduanAction> = {
  service: 'aduan',
  title: { id: 'Pengaduan, saran dan masukan', en: 'Complaints and suggestions' },
  source: 'seed 004 "Penanganan Aduan, Saran dan Masukan" (Disdukcapil Tabalong) and SP4N-LAPOR! practice (SPEC.md F)',
  initial: 'received',
  states: {
    received: stage('Diterima, menunggu verifikasi', 'Received, awaiting verification'),
    postponed: stage('Ditunda', 'Postponed'),
    verified: stage('Terverifikasi, menunggu penugasan', 'Verified, awaiting assignment'),
    onsite_check: stage('Cek di tempat', 'On-site check'),
    internal_coordination: stage('Koordinasi internal', 'Internal coordination'),
    external_coordination: stage('Koordinasi eksternal', 'External coordination'),
    follow_up: stage('Tindak lanjut dan solusi', 'Follow-up and solution'),
    resolved: { label: { id: 'Selesai', en: 'Resolved' }, actor: ['resident'] },
    forwarded: { label: { id: 'Bukan wewenang, diteruskan', en: 'Not our authority, forwarded' }, actor: [...handlers] },
    archived: { label: { id: 'Diarsipkan', en: 'Archived' }, final: true },
    merged: { label: { id: 'Digabung dengan aduan lain', en: 'Merged into another complaint' }, final: true },
  },
  actions: {
    submit: {
      label: { id: 'Sampaikan aduan', en: 'File a complaint' },
      from: null, to: 'received', roles: ['complaint_handler', 'resident'], input: AduanSubmitInput,
      sopStep: 'seed 004 Penanganan Aduan: intake (kotak saran, website, WhatsApp, email, E-Lapor)',
    },
    verify: {
      label: { id: 'Verifikasi: kategori dan prioritas', en: 'Verify: category and priority' },
      from: ['received'], to: 'verified', roles: handlers,
      input: z.strictObject({
        category: text(3, 80, 'Kategori / Category'), priority: z.enum(ADUAN_PRIORITIES), kind: z.enum(ADUAN_KINDS).optional(),
        // Sets the handling clock after routing: the office's published resolution time for this class.
        resolutionClass: z.enum(ADUAN_RESOLUTION_CLASSES).optional(),
      }),
      sopStep: 'SP4N-LAPOR!: verification within 3 working days',
    },
    postpone: {
      label: { id: 'Tunda', en: 'Postpone' },
      from: ['received'], to: 'postponed', roles: handlers,
      input: z.strictObject({ postponeReason: text(5, 1000, 'Alasan / Reason'), postponeUntil: isoDate }),
    },
    resume: { label: { id: 'Lanjutkan', en: 'Resume' }, from: ['postponed'], to: 'received', roles: handlers, input: none },
    not_our_authority: {
      label: { id: 'Bukan wewenang: teruskan', en: 'Not our authority: forward' },
      from: ['received', 'verified'], to: 'forwarded', roles: handlers,
      input: z.strictObject({ forwardTo: text(3, 200, 'Instansi tujuan / Agency'), forwardNote: text(3, 2000, 'Catatan / Note') }),
    },
    archive: {
      label: { id: 'Arsipkan', en: 'Archive' },
      from: ['received', 'postponed', 'resolved', 'forwarded'], to: 'archived', roles: handlers,
      input: z.strictObject({ archiveReason: text(5, 1000, 'Alasan / Reason') }),
    },
    merge: {
      label: { id: 'Gabungkan dengan aduan yang sama', en: 'Merge into a duplicate' },
      from: ['received', 'verified'], to: 'merged', roles: handlers,
      input: z.strictObject({ intoTicket: z.string().trim().min(3).max(40) }),
    },
    assign: {
      label: { id: 'Tugaskan penangan', en: 'Assign a handler' },
      from: ['verified'], to: 'onsite_check', roles: handlers,
      input: z.strictObject({ assigneeId: z.string().min(1).max(64) }),
      sopStep: 'SP4N-LAPOR!: routing; follow-up within 5 working days',
    },
    finish_onsite_check: { label: { id: 'Cek di tempat selesai', en: 'On-site check done' }, from: ['onsite_check'], to: 'internal_coordination', roles: handlers, input: note, sopStep: 'seed 004 stage a: cek di tempat' },
    skip_onsite_check: { label: { id: 'Lewati cek di tempat', en: 'Skip on-site check' }, from: ['onsite_check'], to: 'internal_coordination', roles: handlers, input: skip, sopStep: 'seed 004 stage a skipped' },
    finish_internal_coordination: { label: { id: 'Koordinasi internal selesai', en: 'Internal coordination done' }, from: ['internal_coordination'], to: 'external_coordination', roles: handlers, input: note, sopStep: 'seed 004 stage b: koordinasikan internal' },
    skip_internal_coordination: { label: { id: 'Lewati koordinasi internal', en: 'Skip internal coordination' }, from: ['internal_coordination'], to: 'external_coordination', roles: handlers, input: skip, sopStep: 'seed 004 stage b skipped' },
    finish_external_coordination: { label: { id: 'Koordinasi eksternal selesai', en: 'External coordination done' }, from: ['external_coordination'], to: 'follow_up', roles: handlers, input: note, sopStep: 'seed 004 stage c: koordinasikan eksternal' },
    skip_external_coordination: { label: { id: 'Lewati koordinasi eksternal', en: 'Skip external coordination' }, from: ['external_coordination'], to: 'follow_up', roles: handlers, input: skip, sopStep: 'seed 004 stage c skipped' },
    resolve: {
      label: { id: 'Selesaikan dengan solusi', en: 'Resolve with a solution' },
      from: ['follow_up'], to: 'resolved', roles: handlers,
      input: z.strictObject({
        resolution: text(10, 4000, 'Penyelesaian / Resolution'),
        /** Files uploaded for the answer (`POST /api/aduan/cases/{id}/reply-files`), by id: sent with the message. */
        replyFiles: z.array(z.uuid('Lampiran tidak dikenal / unknown attachment')).max(ADUAN_REPLY_FILES_MAX, `Lampiran: maksimal ${ADUAN_REPLY_FILES_MAX} / at most ${ADUAN_REPLY_FILES_MAX} attachments`).optional(),
      }),
      sopStep: 'seed 004 stage d: tindak lanjut dan solusi permasalahan',
    },
    reassign_onsite_check: reassign('onsite_check'),
    reassign_internal_coordination: reassign('internal_coordination'),
    reassign_external_coordination: reassign('external_coordination'),
    reassign_follow_up: reassign('follow_up'),
    reopen: {
      label: { id: 'Buka kembali', en: 'Reopen' },
      from: ['resolved'], to: 'follow_up', roles: ['resident', ...handlers],
      input: z.strictObject({ reopenReason: text(5, 2000, 'Alasan / Reason') }),
    },
  },
};

/** The stage actions that only the assigned handler (or the head of division) may take. */
export const ASSIGNEE_ACTIONS: ReadonlySet<string> = new Set([
  'finish_onsite_check', 'skip_onsite_check', 'finish_internal_coordination', 'skip_internal_coordination',
  'finish_external_coordination', 'skip_external_coordination', 'resolve',
  'reassign_onsite_check', 'reassign_internal_coordination', 'reassign_external_coordination', 'reassign_follow_up',
]);

/** What the public tracking page says about a state (no internal notes, no names). */
export function publicStatus(state: string): { id: string; en: string } {
  const def = (aduan.states as Record<string, { label: { id: string; en: string } }>)[state];
  return def ? def.label : { id: state, en: state };
}
