/** Complaint tracking codes: 128 random bits in base64url, made wherever the complaint is filed (offline too), stored only hashed. */

/**
 * A fresh tracking code (22 base64url characters, 128 bits from the platform's CSPRNG).
 * @example newTrackingCode() // "q3V0b2tl…" (22 chars)
 */
export function newTrackingCode(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** SHA-256 (hex) of a tracking code, as complaints.tracking_hash keeps it. */
export async function trackingHash(code: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(code));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}
