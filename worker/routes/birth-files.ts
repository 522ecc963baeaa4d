/**
 * Attachments of birth cases in R2: a partner clerk uploads the bytes of a file its case declared, whole (PUT) or in
 * parts that survive a cut connection (PUT …/parts/{n}, then POST …/complete; GET …/parts says which parts the
 * server has), checked by content (JPEG, PNG, WebP or PDF by magic bytes: on the first part and on the whole file),
 * size and SHA-256; a repeat after success answers the same; office staff and the owning partner read it back.
 */
import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { sniffType } from '../../schema/files';
import { ATTACHMENT_MAX_BYTES, ATTACHMENT_PART_BYTES, partCount, partLength } from '../../schema/workflows/birth';
import { newApi, ok, problems } from '../api';
import { withAudit } from '../audit';
import { partnerMayAccess } from '../birth/access';
import { sha256Hex } from '../birth/hash';
import { clientIp } from '../auth/throttle';
import * as bdb from '../db/birth';
import { getCase } from '../db/cases';
import type { AppEnv } from '../env';
import { ApiError } from '../errors';
import { requireSession, type Session } from '../middleware/session';

export const birthFileRoutes = newApi();

/** Paths whose bodies are files (also the complaint answer files, routes/aduan.ts): the app's 256 KiB JSON limit does not apply, readLimited below does. */
export const FILE_UPLOAD_PATHS = /^\/api\/(birth\/(attachments\/[^/]+(\/parts\/[^/]+)?|verify-pdf)|aduan\/cases\/[^/]+\/reply-files)$/;

const tooLargeError = (max: number) => new ApiError('attachment_too_large', `Maksimal ${+(max / 1024 / 1024).toFixed(2)} MB / at most ${+(max / 1024 / 1024).toFixed(2)} MB`, { maxBytes: max });

/** Reads the body up to `max` bytes; more is `attachment_too_large`, whatever Content-Length claimed. */
export async function readLimited(c: Context<AppEnv>, max: number): Promise<Uint8Array> {
  const declared = Number(c.req.header('content-length') ?? NaN);
  const tooLarge = () => tooLargeError(max);
  if (Number.isFinite(declared) && declared > max) throw tooLarge();
  const body = c.req.raw.body;
  if (!body) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > max) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const ch of chunks) {
    out.set(ch, at);
    at += ch.byteLength;
  }
  return out;
}

/** The attachment if the caller may see it: office staff of the case's office, or the clerk of its partner. */
async function attachmentFor(db: D1Database, session: Session, id: string): Promise<{ att: bdb.AttachmentRow; officeCode: string }> {
  if (session.subjectType !== 'staff') throw new ApiError('forbidden_role');
  const att = await bdb.getAttachment(db, id);
  const row = att ? await getCase(db, att.case_id) : null;
  // One answer for "no such file" and "not yours", so ids of other partners' files cannot be probed.
  if (!att || !row || row.office_code !== session.officeCode || !partnerMayAccess(session, row)) throw new ApiError('attachment_not_found');
  return { att, officeCode: row.office_code };
}

const Uploaded = z.object({ id: z.string(), uploadedAt: z.number(), sha256: z.string(), contentType: z.string(), size: z.number() });

type Uploaded = z.infer<typeof Uploaded>;
const uploadedView = (a: bdb.AttachmentRow): Uploaded => ({ id: a.id, uploadedAt: a.uploaded_at!, sha256: a.sha256, contentType: a.content_type, size: a.size });

/** Only the clerk of the submitting partner sends a file's bytes (staff read, never write). */
async function uploaderFor(c: Context<AppEnv>, id: string): Promise<{ session: Session; att: bdb.AttachmentRow; officeCode: string }> {
  const session = requireSession(c);
  if (!session.roles.includes('partner_operator')) throw new ApiError('forbidden_role');
  return { session, ...(await attachmentFor(c.env.DB, session, id)) };
}

/** The whole file, checked against what the case declared (content type by magic bytes, size, SHA-256), into R2 once. */
async function storeChecked(c: Context<AppEnv>, session: Session, att: bdb.AttachmentRow, officeCode: string, bytes: Uint8Array): Promise<Uploaded> {
  const type = sniffType(bytes);
  if (!type) throw new ApiError('attachment_type_refused', 'Hanya foto JPEG, PNG, WebP atau PDF / only JPEG, PNG, WebP or PDF');
  if (bytes.byteLength > ATTACHMENT_MAX_BYTES) throw tooLargeError(ATTACHMENT_MAX_BYTES);
  const sha = await sha256Hex(bytes);
  if (type !== att.content_type || bytes.byteLength !== att.size || sha !== att.sha256) {
    throw new ApiError('attachment_mismatch', 'Berkas berbeda dari yang dikirim bersama permohonan / file differs from the one declared', {
      declared: { contentType: att.content_type, size: att.size }, received: { contentType: type, size: bytes.byteLength },
    });
  }
  const key = `birth/${officeCode}/${att.case_id}/${att.id}`;
  await c.env.FILES.put(key, bytes, { httpMetadata: { contentType: type }, customMetadata: { sha256: sha } });
  const now = Date.now();
  await withAudit(
    c.env.DB,
    [{ actor: `staff:${session.subjectId}`, action: 'birth.attachment.upload', object: `case:${att.case_id}`, ip: clientIp(c.req), detail: { attachment: att.id, requirement: att.requirement, size: att.size, sha256: sha } }],
    () => [bdb.markUploaded(c.env.DB, att.id, key, now)],
  );
  return uploadedView({ ...att, uploaded_at: now, r2_key: key });
}

birthFileRoutes.openapi(
  createRoute({
    method: 'put',
    path: '/api/birth/attachments/{id}',
    tags: ['birth'],
    summary: 'Upload the bytes of a declared attachment whole (partner clerk); JPEG, PNG, WebP or PDF by content, at most 5 MB',
    request: { params: z.object({ id: z.string().max(64) }) },
    responses: { 200: ok(Uploaded), ...problems(401, 403, 404, 413, 415, 422) },
  }),
  async (c) => {
    const { session, att, officeCode } = await uploaderFor(c, c.req.valid('param').id);
    const bytes = await readLimited(c, ATTACHMENT_MAX_BYTES);
    // A retry after a lost answer: the file is already there.
    if (att.uploaded_at !== null) return c.json(uploadedView(att), 200);
    const stored = await storeChecked(c, session, att, officeCode, bytes);
    await dropParts(c.env, att.id);
    return c.json(stored, 200);
  },
);

// ---- in parts: resumable after a cut connection ----

const PartsState = z.object({
  id: z.string(),
  partBytes: z.number(),
  partCount: z.number(),
  /** Part numbers the server holds (0-based); the client sends the others, in any order, then completes. */
  received: z.array(z.number()),
  uploaded: z.boolean(),
});

async function partsState(db: D1Database, att: bdb.AttachmentRow): Promise<z.infer<typeof PartsState>> {
  const received = att.uploaded_at === null ? (await bdb.listUploadParts(db, att.id)).map((p) => p.part_no) : [];
  return { id: att.id, partBytes: ATTACHMENT_PART_BYTES, partCount: partCount(att.size), received, uploaded: att.uploaded_at !== null };
}

const partKey = (attachmentId: string, n: number) => `birth-parts/${attachmentId}/${n}`;

/** Forgets the parts of a file (stored whole, or refused as a whole): rows first, so no one reads a deleted object. */
async function dropParts(env: AppEnv['Bindings'], attachmentId: string): Promise<void> {
  const parts = await bdb.listUploadParts(env.DB, attachmentId);
  if (!parts.length) return;
  await bdb.deleteUploadParts(env.DB, attachmentId).run();
  await env.FILES.delete(parts.map((p) => p.r2_key));
}

const PartParams = z.object({ id: z.string().max(64), n: z.string().regex(/^\d{1,5}$/) });

birthFileRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/api/birth/attachments/{id}/parts',
    tags: ['birth'],
    summary: 'Which parts of a declared attachment the server already holds (partner clerk), to resume a cut upload',
    request: { params: z.object({ id: z.string().max(64) }) },
    responses: { 200: ok(PartsState), ...problems(401, 403, 404) },
  }),
  async (c) => {
    const { att } = await uploaderFor(c, c.req.valid('param').id);
    return c.json(await partsState(c.env.DB, att), 200);
  },
);

birthFileRoutes.openapi(
  createRoute({
    method: 'put',
    path: '/api/birth/attachments/{id}/parts/{n}',
    tags: ['birth'],
    summary: 'One part of a declared attachment (partner clerk): bytes [n×256 KiB, …) of the file; the first part is checked by content',
    request: { params: PartParams },
    responses: { 200: ok(PartsState), ...problems(401, 403, 404, 413, 415, 422) },
  }),
  async (c) => {
    const params = c.req.valid('param');
    const { att } = await uploaderFor(c, params.id);
    const n = Number(params.n);
    const count = partCount(att.size);
    if (n >= count) throw new ApiError('upload_part_invalid', `Berkas ini punya ${count} bagian (0–${count - 1}) / this file has ${count} parts (0–${count - 1})`, { partCount: count });
    const expected = partLength(att.size, n);
    const bytes = await readLimited(c, expected);
    if (att.uploaded_at !== null) return c.json(await partsState(c.env.DB, att), 200);
    if (bytes.byteLength !== expected) {
      throw new ApiError('upload_part_invalid', `Bagian ${n} harus ${expected} byte / part ${n} must be ${expected} bytes`, { part: n, expectedBytes: expected, receivedBytes: bytes.byteLength });
    }
    if (n === 0) {
      // The magic bytes are in the first part: an .exe renamed .jpg stops here, before the rest is sent.
      const type = sniffType(bytes);
      if (!type) throw new ApiError('attachment_type_refused', 'Hanya foto JPEG, PNG, WebP atau PDF / only JPEG, PNG, WebP or PDF');
      if (type !== att.content_type) {
        throw new ApiError('attachment_mismatch', 'Berkas berbeda dari yang dikirim bersama permohonan / file differs from the one declared', {
          declared: { contentType: att.content_type, size: att.size }, received: { contentType: type },
        });
      }
    }
    const key = partKey(att.id, n);
    await c.env.FILES.put(key, bytes);
    await bdb.putUploadPart(c.env.DB, { attachment_id: att.id, part_no: n, size: bytes.byteLength, r2_key: key, received_at: Date.now() }).run();
    return c.json(await partsState(c.env.DB, att), 200);
  },
);

birthFileRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/api/birth/attachments/{id}/complete',
    tags: ['birth'],
    summary: 'Join the parts of an attachment and store it once checked whole (type by content, size, SHA-256); answers the missing parts otherwise',
    request: { params: z.object({ id: z.string().max(64) }) },
    responses: { 200: ok(Uploaded), ...problems(401, 403, 404, 409, 413, 415, 422) },
  }),
  async (c) => {
    const { session, att, officeCode } = await uploaderFor(c, c.req.valid('param').id);
    if (att.uploaded_at !== null) return c.json(uploadedView(att), 200);
    const count = partCount(att.size);
    const parts = new Map((await bdb.listUploadParts(c.env.DB, att.id)).map((p) => [p.part_no, p]));
    const bodies = await Promise.all(Array.from({ length: count }, async (_, n) => {
      const p = parts.get(n);
      const obj = p ? await c.env.FILES.get(p.r2_key) : null;
      return obj ? new Uint8Array(await obj.arrayBuffer()) : null;
    }));
    const missing = bodies.flatMap((b, n) => (b ? [] : [n]));
    // A part the server listed but whose bytes are gone (swept as abandoned while the device was away, see
    // housekeeping.ts): forget it too, so the device's next look at the parts asks for it again.
    const gone = missing.filter((n) => parts.has(n));
    if (gone.length) await bdb.deleteUploadPartsNumbered(c.env.DB, att.id, gone).run();
    if (missing.length) throw new ApiError('upload_parts_missing', `${missing.length} bagian belum sampai / parts not received yet`, { missing, partCount: count });
    const total = bodies.reduce((sum, b) => sum + b!.byteLength, 0);
    if (total > ATTACHMENT_MAX_BYTES) {
      await dropParts(c.env, att.id);
      throw tooLargeError(ATTACHMENT_MAX_BYTES);
    }
    const whole = new Uint8Array(total);
    let at = 0;
    for (const b of bodies) {
      whole.set(b!, at);
      at += b!.byteLength;
    }
    let stored: Uploaded;
    try {
      stored = await storeChecked(c, session, att, officeCode, whole);
    } catch (err) {
      // Parts that do not make the declared file are of no use: the next attempt starts from the first part.
      if (err instanceof ApiError) await dropParts(c.env, att.id);
      throw err;
    }
    await dropParts(c.env, att.id);
    return c.json(stored, 200);
  },
);

birthFileRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/api/birth/attachments/{id}',
    tags: ['birth'],
    summary: 'The bytes of an uploaded attachment (office staff, or the clerk of the submitting partner)',
    request: { params: z.object({ id: z.string().max(64) }) },
    responses: { 200: { description: 'The file' }, ...problems(401, 403, 404) },
  }),
  async (c) => {
    const session = requireSession(c);
    const { att } = await attachmentFor(c.env.DB, session, c.req.valid('param').id);
    const obj = att.r2_key ? await c.env.FILES.get(att.r2_key) : null;
    if (!obj) throw new ApiError('attachment_not_found', 'Berkas belum terunggah / not uploaded yet');
    return new Response(obj.body, {
      headers: {
        'content-type': att.content_type,
        'content-length': String(att.size),
        'x-content-type-options': 'nosniff',
        'content-disposition': 'inline',
        'cache-control': 'private, no-store',
      },
    });
  },
);
