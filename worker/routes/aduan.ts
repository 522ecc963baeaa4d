/** Complaint routes: public filing and tracking without an account (rate-limited), the handlers' inbox, detail, export and settings. */
import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { EscalationEmail, EscalationPhone } from '../../schema/contracts/offices';
import { Uuid7 } from '../../schema/contracts/sync';
import { ADUAN_CHANNELS, ADUAN_RESOLUTION_DAYS_DEFAULT, ADUAN_SUBJECTS, aduanStates } from '../../schema/workflows/aduan';
import { jsonBody, newApi, ok, problems } from '../api';
import { trackingHash } from '../../schema/aduan/tracking';
import { clientIp, Throttle, type Limit, type ThrottlePolicy } from '../auth/throttle';
import { withAudit } from '../audit';
import { getAduanSettings, getAttachment, getComplaint, insertReplyDraft, replyFilesOf, upsertAduanSettings } from '../db/aduan';
import { getCase } from '../db/cases';
import { findOffice } from '../db/offices';
import { listUsersOfOffice } from '../db/users';
import { registryFor } from '../db/registry';
import { applyCommand } from '../engine';
import type { AppEnv } from '../env';
import type { ProblemCode } from '../../schema/problems';
import { ApiError } from '../errors';
import { requireRole, requireSession } from '../middleware/session';
import { importLapor, parseLaporFile } from '../aduan/lapor';
import { MAX_REPLY_FILE_BYTES, replyFilePrefix, storeComplaintFile, storePhoto } from '../aduan/photos';
import { readLimited } from './birth-files';
import { monthlyReport, monthlyReportPdf } from '../aduan/report';
import { handleWebhook, sameSecret, verifySignature } from '../aduan/whatsapp';
import { complaintDetail, complaintForCode, complainantSession, exportCsv, fileComplaint, inbox, requireInbox, trackingView } from '../aduan/service';

export const aduanRoutes = newApi();

const MINUTE = 60_000;
/** Filing without an account: 10 complaints per IP per hour, then wait out the hour. */
const SUBMIT_POLICY: ThrottlePolicy = { limit: 10, windowMs: 60 * MINUTE, lockedUntil: (_f, start) => start + 60 * MINUTE };
/** Tracking: 20 unknown codes per IP in 15 minutes lock that IP for the rest of the window (guessing 128 bits is hopeless anyway). */
const TRACK_POLICY: ThrottlePolicy = { limit: 20, windowMs: 15 * MINUTE, lockedUntil: (_f, start) => start + 15 * MINUTE };

const submitLimit = (c: Context<AppEnv>): Limit[] => [{ key: `aduan:submit:ip:${clientIp(c.req)}`, policy: SUBMIT_POLICY }];
const trackLimit = (c: Context<AppEnv>): Limit[] => [{ key: `aduan:track:ip:${clientIp(c.req)}`, policy: TRACK_POLICY }];

const base = (c: Context<AppEnv>) => ({ db: c.env.DB, registry: registryFor(c.env), ip: clientIp(c.req), now: Date.now() });

/** Looks up a tracking code, charging the caller's IP for every miss. */
async function lookup(c: Context<AppEnv>, code: string) {
  const throttle = new Throttle(c.env.DB);
  await throttle.assertAllowed(trackLimit(c));
  try {
    return await complaintForCode(c.env.DB, code);
  } catch (err) {
    if (err instanceof ApiError && err.code === 'aduan_tracking_unknown') await throttle.fail(trackLimit(c));
    throw err;
  }
}

const Filed = z.object({ caseId: z.string(), ticketNo: z.string(), status: z.enum(['applied', 'duplicate']) });

aduanRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/api/aduan/public',
    tags: ['aduan'],
    summary: 'File a complaint without an account (the PWA form); the client makes the ids and the tracking code, so it works offline',
    request: {
      body: jsonBody(z.strictObject({ office: z.string().regex(/^\d{2}\.\d{2}$/), commandId: Uuid7, caseId: Uuid7, input: z.record(z.string(), z.unknown()) })),
    },
    responses: { 200: ok(Filed), ...problems(404, 409, 413, 422, 429) },
  }),
  async (c) => {
    const body = c.req.valid('json');
    if (!(await findOffice(c.env.DB, body.office))) throw new ApiError('not_found', 'Kantor tidak dikenal. / Unknown office.');
    const throttle = new Throttle(c.env.DB);
    await throttle.assertAllowed(submitLimit(c));
    const code = typeof body.input.trackingCode === 'string' ? body.input.trackingCode : '';
    const session = complainantSession(body.office, await trackingHash(code));
    const filed = await fileComplaint(base(c), session, { ...body.input, channel: 'web' } as never, { commandId: body.commandId, caseId: body.caseId });
    // Every new filing counts against the IP's hourly allowance; a resend of the same command does not.
    if (filed.status === 'applied') await throttle.fail(submitLimit(c));
    return c.json(filed, 200);
  },
);

const TrackView = z.object({
  ticketNo: z.string(), mergedInto: z.string().nullable(), state: z.string(), status: z.object({ id: z.string(), en: z.string() }),
  subjectService: z.string(), title: z.string().nullable(), description: z.string(), channel: z.string(), receivedAt: z.number(), timeZone: z.string(), officeCode: z.string(),
  history: z.array(z.object({ state: z.string(), status: z.object({ id: z.string(), en: z.string() }), at: z.number() })),
  resolution: z.string().nullable(), forwardedTo: z.string().nullable(), reopenUntil: z.number().nullable(), canReopen: z.boolean(),
  survey: z.object({ open: z.boolean(), answered: z.boolean() }).nullable(),
  /** The answer's files; fetched with POST /api/aduan/track/files/{id} and the code. */
  files: z.array(z.object({ id: z.string(), name: z.string(), type: z.string(), size: z.number() })),
});

aduanRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/api/aduan/track',
    tags: ['aduan'],
    summary: 'A complaint by its tracking code (in the body, never in a URL); the same 404 for every unknown or malformed code',
    request: { body: jsonBody(z.strictObject({ code: z.string().max(100) })) },
    responses: { 200: ok(TrackView), ...problems(404, 422, 429) },
  }),
  async (c) => {
    const complaint = await lookup(c, c.req.valid('json').code);
    return c.json(await trackingView(c.env.DB, complaint), 200);
  },
);

aduanRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/api/aduan/track/reopen',
    tags: ['aduan'],
    summary: 'The complainant reopens a resolved complaint within the office\'s period',
    request: { body: jsonBody(z.strictObject({ code: z.string().max(100), commandId: Uuid7, reopenReason: z.string().max(2000) })) },
    responses: { 200: ok(TrackView), ...problems(404, 409, 422, 429) },
  }),
  async (c) => {
    const body = c.req.valid('json');
    const complaint = await lookup(c, body.code);
    const target = complaint.merged_into ?? complaint.case_id;
    const row = await getCase(c.env.DB, target);
    if (!row) throw new ApiError('aduan_tracking_unknown');
    const session = complainantSession(row.office_code, complaint.merged_into ? (await complaintForMaster(c.env.DB, target)) : complaint.tracking_hash);
    const result = await applyCommand({ ...base(c), session }, { id: body.commandId, type: 'action', caseId: row.id, action: 'reopen', baseVersion: row.version, input: { reopenReason: body.reopenReason } });
    if (result.problem) {
      const { code, detail, type: _t, title: _ti, status: _s, ...extra } = result.problem;
      throw new ApiError(code as ProblemCode, detail, extra);
    }
    return c.json(await trackingView(c.env.DB, complaint), 200);
  },
);

/** A merged complaint's complainant reopens the master: the engine principal is the master's. */
async function complaintForMaster(db: D1Database, caseId: string): Promise<string> {
  const row = await getComplaint(db, caseId);
  if (!row) throw new ApiError('aduan_tracking_unknown');
  return row.tracking_hash;
}

const InboxQuery = z.object({
  filter: z.enum(['all', 'new', 'overdue', 'mine', 'escalated', 'open', 'closed']).default('open'),
  service: z.enum(ADUAN_SUBJECTS).optional(),
  channel: z.enum(ADUAN_CHANNELS).optional(),
  state: z.enum(aduanStates).optional(),
  q: z.string().trim().min(1).max(100).optional(),
});
const InboxItem = z.object({
  caseId: z.string(), ticketNo: z.string(), state: z.string(), version: z.number(), channel: z.string(), privacy: z.string(), kind: z.string(),
  subjectService: z.string(), title: z.string().nullable(), category: z.string().nullable(), priority: z.string().nullable(),
  resolutionClass: z.string().nullable(), assigneeId: z.string().nullable(), assigneeName: z.string().nullable(), receivedAt: z.number(), dueAt: z.number().nullable(),
  overdue: z.boolean(), escalated: z.boolean(), relatedCaseId: z.string().nullable(),
});

aduanRoutes.openapi(
  createRoute({
    method: 'get', path: '/api/aduan/inbox', tags: ['aduan'], summary: 'The office\'s complaints with filters (new, overdue, mine, escalated, by service, channel, stage) and search',
    request: { query: InboxQuery },
    responses: { 200: ok(z.object({ items: z.array(InboxItem) })), ...problems(401, 403, 422) },
  }),
  async (c) => c.json({ items: await inbox(c.env.DB, requireSession(c), c.req.valid('query')) }, 200),
);

aduanRoutes.openapi(
  createRoute({
    method: 'get', path: '/api/aduan/cases/{id}', tags: ['aduan'], summary: 'One complaint for a handler (identity only for whom it is allowed)',
    request: { params: z.object({ id: z.string().max(64) }) },
    responses: { 200: ok(z.record(z.string(), z.unknown())), ...problems(401, 403, 404) },
  }),
  async (c) => c.json(await complaintDetail(c.env.DB, requireSession(c), c.req.valid('param').id), 200),
);

aduanRoutes.openapi(
  createRoute({
    method: 'get', path: '/api/aduan/export.csv', tags: ['aduan'], summary: 'CSV of the office\'s complaints without any identity, contact or description',
    responses: { 200: { description: 'CSV', content: { 'text/csv': { schema: z.string() } } }, ...problems(401, 403) },
  }),
  async (c) => {
    const csv = await exportCsv(c.env.DB, requireSession(c));
    return c.body(csv, 200, { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': 'attachment; filename="aduan.csv"' });
  },
);

aduanRoutes.openapi(
  createRoute({
    method: 'get', path: '/api/aduan/report.pdf', tags: ['aduan'],
    summary: 'Monthly complaints report (PDF) for the coordination meeting: counts by channel and stage, resolutions within their clock',
    request: { query: z.object({ month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/) }) },
    responses: { 200: { description: 'PDF', content: { 'application/pdf': { schema: z.string() } } }, ...problems(401, 403, 422) },
  }),
  async (c) => {
    const s = requireSession(c);
    requireInbox(s);
    const { month } = c.req.valid('query');
    const pdf = await monthlyReportPdf(await monthlyReport(c.env.DB, s.officeCode, month));
    return c.body(pdf as Uint8Array<ArrayBuffer>, 200, {
      'content-type': 'application/pdf',
      'content-disposition': `attachment; filename="laporan-aduan-${month}.pdf"`,
      'cache-control': 'private, no-store',
    });
  },
);

aduanRoutes.openapi(
  createRoute({
    method: 'get', path: '/api/aduan/handlers', tags: ['aduan'], summary: 'Active complaint handlers of the office, to assign',
    responses: { 200: ok(z.object({ handlers: z.array(z.object({ id: z.string(), name: z.string() })) })), ...problems(401, 403) },
  }),
  async (c) => {
    const s = requireSession(c);
    requireInbox(s);
    const users = await listUsersOfOffice(c.env.DB, s.officeCode);
    return c.json({ handlers: users.filter((u) => !u.disabled && u.roles.includes('complaint_handler')).map((u) => ({ id: u.id, name: u.displayName })) }, 200);
  },
);

const Settings = z.strictObject({
  reopenWorkingDays: z.number().int().min(0).max(60),
  resolutionDays: z.strictObject({ ringan: z.number().int().min(1).max(60), normatif: z.number().int().min(1).max(60), investigasi: z.number().int().min(1).max(60) }),
  /** The head of division's contact for overdue complaints (worker/aduan/escalate.ts); absent or null: none. */
  escalationEmail: EscalationEmail.nullable().optional(),
  escalationPhone: EscalationPhone.nullable().optional(),
});

aduanRoutes.openapi(
  createRoute({ method: 'get', path: '/api/aduan/settings', tags: ['aduan'], summary: 'The office\'s reopen period and published resolution times', responses: { 200: ok(Settings), ...problems(401, 403) } }),
  async (c) => {
    const s = requireSession(c);
    requireInbox(s);
    const row = await getAduanSettings(c.env.DB, s.officeCode);
    return c.json({
      reopenWorkingDays: row?.reopen_working_days ?? 10,
      resolutionDays: row ? JSON.parse(row.resolution_days_json) : { ...ADUAN_RESOLUTION_DAYS_DEFAULT },
      escalationEmail: row?.escalation_email ?? null,
      escalationPhone: row?.escalation_phone ?? null,
    }, 200);
  },
);

aduanRoutes.openapi(
  createRoute({ method: 'put', path: '/api/aduan/settings', tags: ['aduan'], summary: 'Set them (office admin)', request: { body: jsonBody(Settings) }, responses: { 200: ok(Settings), ...problems(401, 403, 422) } }),
  async (c) => {
    const s = requireRole(c, 'admin');
    const body = c.req.valid('json');
    const now = Date.now();
    const current = await getAduanSettings(c.env.DB, s.officeCode);
    await withAudit(c.env.DB, [{ actor: `staff:${s.subjectId}`, action: 'aduan.settings', object: `office:${s.officeCode}`, ip: clientIp(c.req), detail: body }], () => [
      upsertAduanSettings(c.env.DB, s.officeCode, {
        reopen_working_days: body.reopenWorkingDays, resolution_days_json: JSON.stringify(body.resolutionDays),
        // Left out (an older screen): the contact stays as it was; null removes it.
        escalation_email: body.escalationEmail === undefined ? (current?.escalation_email ?? null) : body.escalationEmail,
        escalation_phone: body.escalationPhone === undefined ? (current?.escalation_phone ?? null) : body.escalationPhone,
      }, now),
    ]);
    return c.json(body, 200);
  },
);


// ---- WhatsApp Cloud API webhook (the signature is the authentication; see worker/aduan/whatsapp.ts) ----

// The webhook's query names are Meta's (`hub.mode`, …); the body is read raw for the signature, so its schema below
// documents it without a validator (a parsed and re-serialised body would no longer match the HMAC).
const WebhookQuery = z.object({
  'hub.mode': z.string().max(20).optional(),
  'hub.verify_token': z.string().max(200).optional(),
  'hub.challenge': z.string().max(200).optional(),
});
const WHATSAPP_BODY = {
  type: 'object',
  description: 'A WhatsApp Cloud API notification (`object: whatsapp_business_account`, `entry[].changes[].value.messages[]`); signed with X-Hub-Signature-256',
  properties: { object: { type: 'string' }, entry: { type: 'array', items: { type: 'object' } } },
} as const;

aduanRoutes.openapi(
  createRoute({
    method: 'get', path: '/api/aduan/whatsapp/webhook', tags: ['aduan'],
    summary: 'WhatsApp Cloud API verification handshake: echoes hub.challenge when hub.verify_token is the configured token',
    request: { query: WebhookQuery },
    responses: { 200: { description: 'The challenge, as text', content: { 'text/plain': { schema: z.string() } } }, ...problems(403, 422, 503) },
  }),
  (c) => {
    const expected = c.env.WA_VERIFY_TOKEN;
    if (!expected) throw new ApiError('webhook_not_configured');
    const q = c.req.valid('query');
    const token = q['hub.verify_token'] ?? '';
    const challenge = q['hub.challenge'] ?? '';
    if (q['hub.mode'] !== 'subscribe' || !sameSecret(token, expected) || !/^[\w-]{1,200}$/.test(challenge)) throw new ApiError('webhook_verify_failed');
    return c.text(challenge, 200);
  },
);

aduanRoutes.openapi(
  createRoute({
    method: 'post', path: '/api/aduan/whatsapp/webhook', tags: ['aduan'],
    summary: 'WhatsApp Cloud API messages (signed by Meta): each new text message becomes a complaint and the sender gets the ticket and tracking link back',
    request: {
      headers: z.object({ 'x-hub-signature-256': z.string().max(100).optional() }),
      body: { required: true, content: { 'application/json': { schema: WHATSAPP_BODY } } },
    },
    responses: { 200: ok(z.object({ filed: z.number(), skipped: z.number() })), ...problems(401, 413, 503) },
  }),
  async (c) => {
    const secret = c.env.WA_APP_SECRET;
    // Without an office to file with, refusing is better than Meta retrying a failure for days.
    if (!secret || !c.env.ADUAN_OFFICE) throw new ApiError('webhook_not_configured');
    const raw = await c.req.arrayBuffer();
    await verifySignature(secret, raw, c.req.header('x-hub-signature-256'));
    const report = await handleWebhook(c.env, raw);
    return c.json({ filed: report.filed.length, skipped: report.skipped }, 200);
  },
);

// ---- SP4N-LAPOR! import (handlers) ----

const LAPOR_ROW = {
  type: 'object',
  description: 'One LAPOR! report; column names as LAPOR! exports them (tracking_id, judul, isi_laporan, klasifikasi, anonim, rahasia, nama_pelapor, email, telepon) or their aliases',
  additionalProperties: true,
} as const;
const ImportReport = z.object({
  rows: z.number(),
  created: z.array(z.object({ row: z.number(), laporId: z.string(), ticketNo: z.string() })),
  skipped: z.array(z.object({ row: z.number(), laporId: z.string(), ticketNo: z.string() })),
  errors: z.array(z.object({ row: z.number(), code: z.string(), detail: z.string() })),
});

aduanRoutes.openapi(
  createRoute({
    method: 'post', path: '/api/aduan/import/lapor', tags: ['aduan'],
    summary: 'Import an SP4N-LAPOR! export (CSV with a header line, or JSON); the LAPOR! tracking id is the key, so a re-import creates nothing',
    request: {
      body: {
        required: true,
        content: {
          'text/csv': { schema: { type: 'string', description: 'CSV export with a header line' } },
          'application/json': { schema: { oneOf: [{ type: 'array', items: LAPOR_ROW }, { type: 'object', properties: { data: { type: 'array', items: LAPOR_ROW } }, required: ['data'] }] } },
        },
      },
    },
    responses: { 200: ok(ImportReport), ...problems(401, 403, 413, 415, 422) },
  }),
  async (c) => {
    const s = requireRole(c, 'complaint_handler', 'head_of_division', 'admin');
    const type = (c.req.header('content-type') ?? '').toLowerCase();
    const format = type.startsWith('application/json') ? 'json' : type.startsWith('text/csv') || type.startsWith('text/plain') ? 'csv' : null;
    if (!format) throw new ApiError('unsupported_media_type', 'Kirim text/csv atau application/json. / Send text/csv or application/json.');
    const rows = parseLaporFile(await c.req.text(), format);
    const report = await importLapor(base(c), s.officeCode, rows);
    await withAudit(c.env.DB, [{
      actor: `staff:${s.subjectId}`, action: 'aduan.import_lapor', object: `office:${s.officeCode}`, ip: clientIp(c.req),
      detail: { rows: report.rows, created: report.created.map((r) => r.ticketNo), skipped: report.skipped.length, errors: report.errors.length },
    }], () => []);
    return c.json(report, 200);
  },
);

// ---- attachments (handlers of the office; stored by the email channel) ----

/** Types shown inline are images and PDF; anything else downloads, and nothing is sniffed into HTML. */
const INLINE_TYPES = /^(image\/(png|jpeg|gif|webp)|application\/pdf)$/;

aduanRoutes.openapi(
  createRoute({
    method: 'get', path: '/api/aduan/attachments/{id}', tags: ['aduan'],
    summary: 'The bytes of a complaint\'s attachment (the office\'s inbox roles); one answer for "none" and "another office\'s"',
    request: { params: z.object({ id: z.string().max(64) }) },
    responses: { 200: { description: 'The file (images and PDF inline, anything else as a download)' }, ...problems(401, 403, 404, 503) },
  }),
  async (c) => {
    const s = requireSession(c);
    requireInbox(s);
    const a = await getAttachment(c.env.DB, c.req.valid('param').id);
    const complaint = a ? await getComplaint(c.env.DB, a.case_id) : null;
    // Another office's file answers like a missing one: attachment ids cannot be probed across offices.
    if (!a || !complaint || complaint.office_code !== s.officeCode) throw new ApiError('not_found');
    if (!c.env.FILES) throw new ApiError('aduan_storage_missing');
    const obj = await c.env.FILES.get(a.r2_key);
    if (!obj) throw new ApiError('not_found');
    const inline = INLINE_TYPES.test(a.content_type);
    return new Response(obj.body, {
      headers: {
        'content-type': inline ? a.content_type : 'application/octet-stream',
        'content-disposition': `${inline ? 'inline' : 'attachment'}; filename="${a.filename.replace(/["\\\r\n]/g, '')}"`,
        'x-content-type-options': 'nosniff',
        'content-security-policy': "default-src 'none'; sandbox",
        'cache-control': 'private, no-store',
      },
    });
  },
);

// ---- photos for the public form (uploaded before the complaint, no account) ----

/** 30 photos per IP an hour: three per complaint for the ten complaints an address may file. */
const PHOTO_POLICY: ThrottlePolicy = { limit: 30, windowMs: 60 * MINUTE, lockedUntil: (_f, start) => start + 60 * MINUTE };
const Photo = z.object({ key: z.string(), name: z.string(), type: z.string(), size: z.number() });

aduanRoutes.openapi(
  createRoute({
    method: 'post', path: '/api/aduan/photos', tags: ['aduan'],
    summary: 'Upload one photo for the public complaint form (no account): JPEG, PNG or WebP by content, at most 240 KiB; the complaint then names it',
    request: {
      query: z.object({ office: z.string().regex(/^\d{2}\.\d{2}$/) }),
      body: {
        required: true,
        content: {
          'image/jpeg': { schema: { type: 'string', format: 'binary' } },
          'image/png': { schema: { type: 'string', format: 'binary' } },
          'image/webp': { schema: { type: 'string', format: 'binary' } },
        },
      },
    },
    responses: { 200: ok(Photo), ...problems(404, 413, 415, 422, 429, 503) },
  }),
  async (c) => {
    const { office } = c.req.valid('query');
    if (!(await findOffice(c.env.DB, office))) throw new ApiError('not_found', 'Kantor tidak dikenal. / Unknown office.');
    const limits: Limit[] = [{ key: `aduan:photo:ip:${clientIp(c.req)}`, policy: PHOTO_POLICY }];
    const throttle = new Throttle(c.env.DB);
    await throttle.assertAllowed(limits);
    const stored = await storePhoto(c.env.FILES, office, new Uint8Array(await c.req.arrayBuffer()));
    await throttle.fail(limits);
    return c.json(stored, 200);
  },
);

// ---- files of the handler's answer (sent with the resolution; offered to the holder of the tracking code) ----

const ReplyFile = z.object({ id: z.string(), name: z.string(), type: z.string(), size: z.number() });

/**
 * The answer file `fileId` if it was already stored for this complaint; a 422 if that id is another complaint's or
 * not an answer file (an id made on one device never names someone else's file).
 */
async function storedReplyFile(db: D1Database, caseId: string, fileId: string): Promise<z.infer<typeof ReplyFile> | null> {
  const row = await getAttachment(db, fileId);
  if (!row) return null;
  if (row.case_id !== caseId || row.purpose === 'intake') {
    throw new ApiError('validation_failed', 'Pengenal lampiran sudah dipakai. / This attachment id is taken.', { errors: [{ path: 'id', message: 'taken' }] });
  }
  return { id: row.id, name: row.filename, type: row.content_type, size: row.size };
}

aduanRoutes.openapi(
  createRoute({
    method: 'post', path: '/api/aduan/cases/{id}/reply-files', tags: ['aduan'],
    // Before the body is read: a caller without the role learns 403 and uploads nothing.
    middleware: [async (c, next) => { requireRole(c, 'complaint_handler', 'head_of_division'); await next(); }],
    summary: 'Upload one file for the answer to a complaint (the assigned handler or the head of division, during follow-up): JPEG, PNG, WebP or PDF by content, at most 2 MB; the resolution then names it in replyFiles. With `id` (made on the device) a repeat of the same upload answers the file already stored',
    request: {
      params: z.object({ id: z.string().max(64) }),
      query: z.object({ name: z.string().max(200).optional(), id: z.uuid().optional() }),
      body: {
        required: true,
        content: {
          'application/pdf': { schema: { type: 'string', format: 'binary' } },
          'image/jpeg': { schema: { type: 'string', format: 'binary' } },
          'image/png': { schema: { type: 'string', format: 'binary' } },
          'image/webp': { schema: { type: 'string', format: 'binary' } },
        },
      },
    },
    responses: { 200: ok(ReplyFile), ...problems(401, 403, 404, 409, 413, 415, 422, 503) },
  }),
  async (c) => {
    const s = requireRole(c, 'complaint_handler', 'head_of_division');
    const { id } = c.req.valid('param');
    const complaint = await getComplaint(c.env.DB, id);
    if (!complaint) throw new ApiError('case_not_found');
    if (complaint.office_code !== s.officeCode) throw new ApiError('forbidden_object', 'Aduan kantor lain. / Another office\'s complaint.');
    const row = await getCase(c.env.DB, id);
    if (row?.state !== 'follow_up') throw new ApiError('illegal_action', 'Lampiran jawaban hanya saat tahap tindak lanjut. / Answer files only during follow-up.');
    // The answer is the assignee's to write (like the resolution itself), or the head of division's.
    if (complaint.assignee_id !== s.subjectId && !s.roles.includes('head_of_division')) throw new ApiError('aduan_not_assignee');
    // A device that lost the answer to an upload sends it again with the same id: it gets the file already stored.
    const given = c.req.valid('query').id;
    const already = given ? await storedReplyFile(c.env.DB, id, given) : null;
    if (already) return c.json(already, 200);
    const bytes = await readLimited(c, MAX_REPLY_FILE_BYTES);
    const stored = await storeComplaintFile(c.env.FILES, 'jawaban', replyFilePrefix(complaint.office_code, id), bytes, c.req.valid('query').name);
    const fileId = given ?? crypto.randomUUID();
    // The file name is the handler's (it may name a person): the audit keeps its type and size only.
    try {
      await withAudit(c.env.DB, [{ actor: `staff:${s.subjectId}`, action: 'aduan.reply_file', object: `case:${id}`, ip: clientIp(c.req), detail: { file: fileId, type: stored.type, size: stored.size } }], () => [
        insertReplyDraft(c.env.DB, { id: fileId, case_id: id, r2_key: stored.key, filename: stored.name, content_type: stored.type, size: stored.size, created_at: Date.now() }),
      ]);
    } catch (err) {
      if (!given || !/UNIQUE constraint failed: complaint_attachments\.id/.test(err instanceof Error ? err.message : '')) throw err;
      // Two sends of the same upload raced: the other one's file stands; this copy goes.
      await c.env.FILES!.delete(stored.key);
      const winner = await storedReplyFile(c.env.DB, id, given);
      if (winner) return c.json(winner, 200);
      throw err;
    }
    return c.json({ id: fileId, name: stored.name, type: stored.type, size: stored.size }, 200);
  },
);

aduanRoutes.openapi(
  createRoute({
    method: 'post', path: '/api/aduan/track/files/{id}', tags: ['aduan'],
    summary: 'One file of the answer, for the holder of the tracking code (in the body, never in a URL); the same 404 for an unknown code or a file of another complaint',
    request: { params: z.object({ id: z.string().max(64) }), body: jsonBody(z.strictObject({ code: z.string().max(100) })) },
    responses: { 200: { description: 'The file (images and PDF, as a download)' }, ...problems(404, 422, 429, 503) },
  }),
  async (c) => {
    const complaint = await lookup(c, c.req.valid('json').code);
    // A merged complaint's complainant gets the answer of the one it was merged into.
    const [file] = await replyFilesOf(c.env.DB, complaint.merged_into ?? complaint.case_id, [c.req.valid('param').id]);
    if (!file || file.purpose !== 'reply') throw new ApiError('not_found');
    if (!c.env.FILES) throw new ApiError('aduan_storage_missing');
    const obj = await c.env.FILES.get(file.r2_key);
    if (!obj) throw new ApiError('not_found');
    return new Response(obj.body, {
      headers: {
        'content-type': INLINE_TYPES.test(file.content_type) ? file.content_type : 'application/octet-stream',
        'content-disposition': `attachment; filename="${file.filename.replace(/["\\\r\n]/g, '')}"`,
        'x-content-type-options': 'nosniff',
        'content-security-policy': "default-src 'none'; sandbox",
        'cache-control': 'private, no-store',
      },
    });
  },
);
