/** Peppered PBKDF2-SHA256 password hashes, pure WebCrypto so the worker and Node scripts (seed) share them. */

/** workerd refuses PBKDF2 above 100 000 iterations, so this is both our cost and the ceiling we can verify. */
export const PBKDF2_ITERATIONS = 100_000;
const SCHEME = 'pbkdf2-sha256';
const SALT_BYTES = 16;
const HASH_BYTES = 32;

const encoder = new TextEncoder();

/**
 * Hashes a password for storage as `pbkdf2-sha256$100000$<salt b64url>$<hash b64url>`.
 * @example const stored = await hashPassword('kopi-tubruk-2024', env.PEPPER);
 */
export async function hashPassword(password: string, pepper: string): Promise<string> {
  const salt = crypto.getRandomValues(new Uint8Array(SALT_BYTES));
  const hash = await derive(password, salt, PBKDF2_ITERATIONS, pepper);
  return `${SCHEME}$${PBKDF2_ITERATIONS}$${toBase64Url(salt)}$${toBase64Url(hash)}`;
}

/**
 * True when `password` matches `stored`; false for a wrong password or a malformed/unsupported stored value.
 * The comparison takes the same time wherever the first differing byte is.
 * @example if (!(await verifyPassword(input, user.passwordHash, env.PEPPER))) throw new ApiError('invalid_credentials');
 */
export async function verifyPassword(password: string, stored: string, pepper: string): Promise<boolean> {
  const parsed = parseStored(stored);
  if (!parsed) return false;
  const actual = await derive(password, parsed.salt, parsed.iterations, pepper);
  return constantTimeEqual(actual, parsed.hash);
}

/**
 * A well-formed hash of no one's password: verifying against it costs one full PBKDF2 run, so a sign-in with an
 * unknown username takes as long as one with a wrong password (no timing oracle for which usernames exist).
 */
export const DECOY_PASSWORD_HASH = `${SCHEME}$${PBKDF2_ITERATIONS}$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA`;

async function derive(password: string, salt: Uint8Array, iterations: number, pepper: string): Promise<Uint8Array> {
  // The pepper (a Worker secret, never in D1) keys an HMAC over the password first: a stolen database alone
  // cannot be brute-forced. NFC so the same password typed on different keyboards hashes the same.
  const pepperKey = await crypto.subtle.importKey('raw', encoder.encode(pepper), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const peppered = await crypto.subtle.sign('HMAC', pepperKey, encoder.encode(password.normalize('NFC')));
  const baseKey = await crypto.subtle.importKey('raw', peppered, 'PBKDF2', false, ['deriveBits']);
  const bits = await crypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations }, baseKey, HASH_BYTES * 8);
  return new Uint8Array(bits);
}

function parseStored(stored: string): { iterations: number; salt: Uint8Array; hash: Uint8Array } | null {
  const parts = stored.split('$');
  if (parts.length !== 4 || parts[0] !== SCHEME) return null;
  const iterations = Number(parts[1]);
  // Above the workerd ceiling the hash could never be checked here; refuse rather than throw mid-sign-in.
  if (!Number.isInteger(iterations) || iterations < 1 || iterations > PBKDF2_ITERATIONS) return null;
  const salt = fromBase64Url(parts[2] ?? '');
  const hash = fromBase64Url(parts[3] ?? '');
  if (!salt || !hash || salt.length !== SALT_BYTES || hash.length !== HASH_BYTES) return null;
  return { iterations, salt, hash };
}

/** Byte-wise equality whose running time depends only on the length. */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= (a[i] as number) ^ (b[i] as number);
  return diff === 0;
}

export function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function fromBase64Url(text: string): Uint8Array | null {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return null;
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4);
  try {
    const binary = atob(b64);
    return Uint8Array.from(binary, (ch) => ch.charCodeAt(0));
  } catch {
    return null;
  }
}
