/**
 * Photos attached to a complaint from the PWA form, uploaded before the complaint itself (no account): images only,
 * checked by their first bytes, small (the phone shrinks them first), stored in R2 under the office's prefix.
 */
import { ApiError } from '../errors';

/** Under the API's body limit (256 KiB) with room for headers; the PWA shrinks photos to fit. */
export const MAX_PHOTO_BYTES = 240 * 1024;

const SIGNATURES: { type: string; ext: string; test: (b: Uint8Array) => boolean }[] = [
  { type: 'image/jpeg', ext: 'jpg', test: (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  { type: 'image/png', ext: 'png', test: (b) => b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47 },
  { type: 'image/webp', ext: 'webp', test: (b) => String.fromCharCode(...b.slice(0, 4)) === 'RIFF' && String.fromCharCode(...b.slice(8, 12)) === 'WEBP' },
];

/** The image type the bytes really are, or a 415 problem (the declared Content-Type is not trusted). */
export function photoType(bytes: Uint8Array): { type: string; ext: string } {
  const found = SIGNATURES.find((s) => bytes.length >= 12 && s.test(bytes));
  if (!found) throw new ApiError('attachment_type', 'Hanya foto JPEG, PNG atau WebP. / JPEG, PNG or WebP photos only.');
  return found;
}

/** Stores one photo; returns what the complaint's `attachments` input names it by. */
export async function storePhoto(files: R2Bucket | undefined, office: string, bytes: Uint8Array) {
  if (!files) throw new ApiError('aduan_storage_missing');
  if (bytes.byteLength === 0 || bytes.byteLength > MAX_PHOTO_BYTES) throw new ApiError('attachment_too_large', `Foto maksimal ${MAX_PHOTO_BYTES / 1024} KiB. / Photos up to ${MAX_PHOTO_BYTES / 1024} KiB.`);
  const { type, ext } = photoType(bytes);
  const id = crypto.randomUUID();
  const key = `aduan/${office}/foto/${id}.${ext}`;
  await files.put(key, bytes, { httpMetadata: { contentType: type } });
  return { key, name: `foto-${id.slice(0, 8)}.${ext}`, type, size: bytes.byteLength };
}
