/**
 * Attachments of birth cases in R2: a partner clerk uploads the bytes of a file its case declared (PUT, retried
 * whole until it lands; a repeat after success answers the same), checked by content (JPEG, PNG, WebP or PDF by
 * magic bytes), size and SHA-256; office staff and the owning partner read it back.
 */
import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { sniffType } from '../../schema/files';
import { ATTACHMENT_MAX_BYTES } from '../../schema/workflows/birth';
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
export const FILE_UPLOAD_PATHS = /^\/api\/(birth\/(attachments\/[^/]+|verify-pdf)|aduan\/cases\/[^/]+\/reply-files)$/;

/** Reads the body up to `max` bytes; more is `attachment_too_large`, whatever Content-Length claimed. */
export async function readLimited(c: Context<AppEnv>, max: number): Promise<Uint8Array> {
  const declared = Number(c.req.header('content-length') ?? NaN);
  const tooLarge = () => new ApiError('attachment_too_large', `Maksimal ${max / 1024 / 1024} MB / at most ${max / 1024 / 1024} MB`, { maxBytes: max });
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

birthFileRoutes.openapi(
  createRoute({
    method: 'put',
    path: '/api/birth/attachments/{id}',
    tags: ['birth'],
    summary: 'Upload the bytes of a declared attachment (partner clerk); JPEG, PNG, WebP or PDF by content, at most 5 MB',
    request: { params: z.object({ id: z.string().max(64) }) },
    responses: { 200: ok(Uploaded), ...problems(401, 403, 404, 413, 415, 422) },
  }),
  async (c) => {
    const session = requireSession(c);
    if (!session.roles.includes('partner_operator')) throw new ApiError('forbidden_role');
    const { att, officeCode } = await attachmentFor(c.env.DB, session, c.req.valid('param').id);
    const view = (a: bdb.AttachmentRow) => ({ id: a.id, uploadedAt: a.uploaded_at!, sha256: a.sha256, contentType: a.content_type, size: a.size });
    const bytes = await readLimited(c, ATTACHMENT_MAX_BYTES);
    // A retry after a lost answer: the file is already there.
    if (att.uploaded_at !== null) return c.json(view(att), 200);
    const type = sniffType(bytes);
    if (!type) throw new ApiError('attachment_type_refused', 'Hanya foto JPEG, PNG, WebP atau PDF / only JPEG, PNG, WebP or PDF');
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
    return c.json(view({ ...att, uploaded_at: now, r2_key: key }), 200);
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
