/**
 * Files of a complaint stored in R2 under the office's prefix, checked by their first bytes (schema/files.ts), never
 * by name or declared type: photos from the public form (uploaded before the complaint, no account; images only,
 * small, the phone shrinks them first) and the files a handler attaches to the answer (images or PDF).
 */
import { sniffType, type SniffedType } from '../../schema/files';
import { ADUAN_REPLY_FILE_MAX_BYTES } from '../../schema/workflows/aduan';
import { ApiError } from '../errors';

/** Under the API's body limit (256 KiB) with room for headers; the PWA shrinks photos to fit. */
export const MAX_PHOTO_BYTES = 240 * 1024;
/** A scanned letter or a few photos in a PDF; the whole answer stays well under what a mailbox accepts. */
export const MAX_REPLY_FILE_BYTES = ADUAN_REPLY_FILE_MAX_BYTES;

const EXT: Record<SniffedType, string> = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp', 'application/pdf': 'pdf' };

const KINDS = {
  foto: {
    types: ['image/jpeg', 'image/png', 'image/webp'] as SniffedType[],
    max: MAX_PHOTO_BYTES,
    refused: 'Hanya foto JPEG, PNG atau WebP. / JPEG, PNG or WebP photos only.',
    tooLarge: `Foto maksimal ${MAX_PHOTO_BYTES / 1024} KiB. / Photos up to ${MAX_PHOTO_BYTES / 1024} KiB.`,
  },
  jawaban: {
    types: ['image/jpeg', 'image/png', 'image/webp', 'application/pdf'] as SniffedType[],
    max: MAX_REPLY_FILE_BYTES,
    refused: 'Hanya gambar JPEG, PNG, WebP atau PDF. / JPEG, PNG or WebP images or PDF only.',
    tooLarge: `Lampiran maksimal ${MAX_REPLY_FILE_BYTES / 1024 / 1024} MB. / Attachments up to ${MAX_REPLY_FILE_BYTES / 1024 / 1024} MB.`,
  },
} as const;
export type ComplaintFileKind = keyof typeof KINDS;

/** The type the bytes really are if `kind` accepts it, else a 415 problem (the declared Content-Type is not trusted). */
export function complaintFileType(kind: ComplaintFileKind, bytes: Uint8Array): { type: SniffedType; ext: string } {
  const type = bytes.length >= 12 ? sniffType(bytes) : null;
  if (!type || !KINDS[kind].types.includes(type)) throw new ApiError('attachment_type', KINDS[kind].refused);
  return { type, ext: EXT[type] };
}

/** Where a handler's answer files of one complaint live; the resolve hook accepts only keys under it. */
export const replyFilePrefix = (office: string, caseId: string) => `aduan/${office}/jawaban/${caseId}/`;

/**
 * Stores one file; returns what an action's input names it by (`attachments` of the intake, `replyFiles` of the
 * answer). `under` is the R2 folder (ends in "/"); `name` the file name to show, made safe and given the real extension.
 */
export async function storeComplaintFile(files: R2Bucket | undefined, kind: ComplaintFileKind, under: string, bytes: Uint8Array, name?: string) {
  if (!files) throw new ApiError('aduan_storage_missing');
  const k = KINDS[kind];
  if (bytes.byteLength === 0 || bytes.byteLength > k.max) throw new ApiError('attachment_too_large', k.tooLarge, { maxBytes: k.max });
  const { type, ext } = complaintFileType(kind, bytes);
  const id = crypto.randomUUID();
  const key = `${under}${id}.${ext}`;
  await files.put(key, bytes, { httpMetadata: { contentType: type } });
  return { key, name: safeName(name, `${kind}-${id.slice(0, 8)}`, ext), type, size: bytes.byteLength };
}

/** Stores one photo of the public form under the office's prefix. */
export function storePhoto(files: R2Bucket | undefined, office: string, bytes: Uint8Array) {
  return storeComplaintFile(files, 'foto', `aduan/${office}/foto/`, bytes);
}

/** A file name fit for a mail header and a download: letters, digits, dot, dash, underscore (spaces become dashes, no leading dot); the real extension. */
function safeName(given: string | undefined, fallback: string, ext: string): string {
  const stem = (given ?? '').replace(/\.[A-Za-z0-9]{1,5}$/, '').normalize('NFKD').replace(/[^\w .-]+/g, '').trim().replace(/\s+/g, '-').replace(/^[.-]+/, '').slice(0, 80);
  return `${stem || fallback}.${ext}`;
}
