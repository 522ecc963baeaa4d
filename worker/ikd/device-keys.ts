/**
 * Device keys of IKD phones: the public JWK the PWA exports (P-256), its RFC 7638 thumbprint, and checking the raw
 * ES256 signatures (r‖s, 64 bytes) WebCrypto makes with the non-extractable private key.
 */
import { calculateJwkThumbprint } from 'jose';
import type { DeviceJwk } from '../../schema/workflows/ikd';
import { fromBase64Url, toBase64Url } from '../auth/password';
import { ApiError } from '../errors';

const ECDSA = { name: 'ECDSA', namedCurve: 'P-256' } as const;

/** Only the members RFC 7638 hashes and we store; `ext`, `key_ops` and the like are dropped. */
export function canonicalJwk(jwk: DeviceJwk): DeviceJwk {
  return { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y };
}

/** Imports the key for verification; a point off the curve or bad coordinates answer 422 device_key_invalid. */
export async function importDeviceKey(jwk: DeviceJwk): Promise<CryptoKey> {
  try {
    return await crypto.subtle.importKey('jwk', { ...canonicalJwk(jwk), ext: true }, ECDSA, false, ['verify']);
  } catch {
    throw new ApiError('device_key_invalid', 'Kunci perangkat tidak sah. / The device key is not a valid P-256 public key.');
  }
}

/** RFC 7638 SHA-256 thumbprint (base64url), as jose computes it. */
export function thumbprintOf(jwk: DeviceJwk): Promise<string> {
  return calculateJwkThumbprint(canonicalJwk(jwk), 'sha256');
}

/** True when `signature` (base64url of raw r‖s) is the key's ES256 signature over `data`. */
export async function verifyDeviceSignature(jwk: DeviceJwk, data: Uint8Array, signature: string): Promise<boolean> {
  const sig = fromBase64Url(signature);
  if (!sig || sig.length !== 64) return false;
  const key = await importDeviceKey(jwk);
  return crypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, key, sig, data);
}

/** `bytes` random bytes as base64url (nonces, challenges, ids). */
export function randomToken(bytes: number): string {
  return toBase64Url(crypto.getRandomValues(new Uint8Array(bytes)));
}

/** Hex SHA-256 of a nonce: D1 keeps only this, so a read of the table cannot bind a device. */
export async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** A uniformly random 6-digit activation PIN (rejection sampling: no modulo bias). */
export function randomPin(): string {
  const buf = new Uint32Array(1);
  const limit = Math.floor(0x1_0000_0000 / 1_000_000) * 1_000_000;
  for (;;) {
    crypto.getRandomValues(buf);
    if (buf[0]! < limit) return String(buf[0]! % 1_000_000).padStart(6, '0');
  }
}
