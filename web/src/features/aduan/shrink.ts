/** Shrinks a photo on the phone before upload: at most 1280 px on the long side, JPEG, under the upload limit. */

/** What the server accepts per photo (worker/aduan/photos.ts), with a little room. */
export const PHOTO_TARGET_BYTES = 230 * 1024;

/**
 * A JPEG of the photo that fits the limit, lowering size and quality step by step; null when the browser cannot
 * decode the file (then it is not an image we could send).
 */
export async function shrinkPhoto(file: Blob): Promise<Blob | null> {
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file);
  } catch {
    return null;
  }
  let side = 1280;
  for (let round = 0; round < 6; round++) {
    const scale = Math.min(1, side / Math.max(bitmap.width, bitmap.height));
    const canvas = document.createElement('canvas');
    canvas.width = Math.max(1, Math.round(bitmap.width * scale));
    canvas.height = Math.max(1, Math.round(bitmap.height * scale));
    canvas.getContext('2d')!.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    for (const quality of [0.8, 0.65, 0.5]) {
      const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/jpeg', quality));
      if (blob && blob.size <= PHOTO_TARGET_BYTES) return blob;
    }
    side = Math.round(side * 0.75);
  }
  return null;
}
