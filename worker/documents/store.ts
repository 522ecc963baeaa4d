/** Signed documents in R2 with their SHA-256, and expiring signed download links (ES256 office-key tokens). */
import type { Env } from '../env';
import { ApiError } from '../errors';
import { signToken, verifyToken } from '../keys';
import { sha256Hex } from '../birth/hash';

export const DOCUMENT_LINK_TYP = 'document-link+jwt';
export const DOCUMENT_LINK_AUDIENCE = 'loket:document';
/** A parent opens the WhatsApp link within a week; after that the office resends or the drive-thru hands it over. */
export const DOCUMENT_LINK_TTL_SECONDS = 7 * 24 * 3600;

export async function putDocument(env: Pick<Env, 'FILES'>, key: string, pdf: Uint8Array, meta: Record<string, string> = {}): Promise<{ sha256: string }> {
  const sha256 = await sha256Hex(pdf);
  await env.FILES.put(key, pdf, { httpMetadata: { contentType: 'application/pdf' }, customMetadata: { ...meta, sha256 } });
  return { sha256 };
}

/** A link anyone holding it may use until it expires; the token names the R2 key and the file name. */
export async function documentLink(env: Pick<Env, 'OFFICE_SIGNING_KEYS' | 'PUBLIC_ORIGIN'>, key: string, filename: string, ttlSeconds = DOCUMENT_LINK_TTL_SECONDS, now = Date.now()): Promise<string> {
  const token = await signToken(env, { typ: DOCUMENT_LINK_TYP, audience: DOCUMENT_LINK_AUDIENCE, ttlSeconds, subject: key }, { fn: filename }, now);
  return `${env.PUBLIC_ORIGIN}/api/documents/${token}`;
}

export async function openDocumentLink(env: Pick<Env, 'OFFICE_SIGNING_KEYS' | 'PUBLIC_ORIGIN'>, token: string, now = Date.now()): Promise<{ key: string; filename: string }> {
  try {
    const p = await verifyToken(env, token, { typ: DOCUMENT_LINK_TYP, audience: DOCUMENT_LINK_AUDIENCE }, now);
    if (typeof p.sub !== 'string' || typeof p.fn !== 'string') throw new Error('claims');
    return { key: p.sub, filename: p.fn };
  } catch {
    throw new ApiError('document_link_invalid');
  }
}
