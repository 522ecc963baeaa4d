/** SHA-256 helpers of the birth service (attachments, documents, grants). */
export async function sha256Bytes(data: BufferSource | string): Promise<Uint8Array> {
  const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
  return new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
}

export const toHex = (b: Uint8Array) => [...b].map((x) => x.toString(16).padStart(2, '0')).join('');

/** @example await sha256Hex('abc') // "ba7816bf…" */
export async function sha256Hex(data: BufferSource | string): Promise<string> {
  return toHex(await sha256Bytes(data));
}
