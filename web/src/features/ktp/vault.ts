/**
 * The credential at rest: AES-GCM under a key derived from the resident's 6-digit PIN (PBKDF2-SHA256). A wrong PIN
 * fails the GCM tag, which is how the app checks the PIN offline. Six digits are weak against someone who copies the
 * storage, so this guards against a casual finder of an unlocked phone; a lost phone is stopped by blocking its
 * device key (the checkers' blocked list), not by this.
 */
import { b64u } from '../../../../schema/ktp';

export const PIN_ITERATIONS = 600_000;

async function pinKey(pin: string, salt: Uint8Array, iterations: number): Promise<CryptoKey> {
  const base = await crypto.subtle.importKey('raw', new TextEncoder().encode(pin), 'PBKDF2', false, ['deriveKey']);
  return crypto.subtle.deriveKey({ name: 'PBKDF2', hash: 'SHA-256', salt: new Uint8Array(salt), iterations }, base, { name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
}

export interface Sealed {
  kdf: { name: 'PBKDF2-SHA256'; iterations: number; salt: string };
  iv: string;
  ciphertext: ArrayBuffer;
}

export async function seal(value: unknown, pin: string, aad: string): Promise<Sealed> {
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const key = await pinKey(pin, salt, PIN_ITERATIONS);
  const ciphertext = await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: new TextEncoder().encode(aad) }, key, new TextEncoder().encode(JSON.stringify(value)));
  return { kdf: { name: 'PBKDF2-SHA256', iterations: PIN_ITERATIONS, salt: b64u.encode(salt) }, iv: b64u.encode(iv), ciphertext };
}

/** The sealed value, or undefined when the PIN (or the bound context `aad`) is wrong. */
export async function open<T>(sealed: Sealed, pin: string, aad: string): Promise<T | undefined> {
  const key = await pinKey(pin, b64u.decode(sealed.kdf.salt), sealed.kdf.iterations);
  try {
    const plain = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: new Uint8Array(b64u.decode(sealed.iv)), additionalData: new TextEncoder().encode(aad) }, key, sealed.ciphertext);
    return JSON.parse(new TextDecoder().decode(plain)) as T;
  } catch {
    return undefined;
  }
}
