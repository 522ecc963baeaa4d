/**
 * This phone's device key: a WebCrypto ECDSA P-256 key pair whose private half is non-extractable and lives only in
 * IndexedDB (Dexie `deviceKeys`). The IKD binds it to the resident; the digital KTP is bound to the same key.
 *
 * Exports (also for the digital-KTP screens):
 * - `getDeviceKey()` → the current key, made on first use: `{ privateKey, publicJwk, thumbprint }`.
 * - `peekDeviceKey()` → the current key or undefined, never makes one (e.g. "is this phone set up?").
 * - `renewDeviceKey()` → throws the current key away and makes a new one (after "lepas perangkat" or a block:
 *   the server never accepts a released or blocked key again).
 * - `signBytes(bytes)` → ES256 signature, raw r‖s (64 bytes) as base64url, the JOSE form the server verifies.
 * - `publicJwkOf`, `thumbprintOf`, `toBase64Url`, `fromBase64Url` helpers.
 */
import { calculateJwkThumbprint } from 'jose';
import type { DeviceJwk } from '../../../schema/workflows/ikd';
import { type DeviceKeyRow, db } from '../db';

/** The one key the IKD and the digital KTP use. */
export const PRIMARY_KEY_ID = 'primary';

const ECDSA_P256: EcKeyGenParams = { name: 'ECDSA', namedCurve: 'P-256' };
const ES256: EcdsaParams = { name: 'ECDSA', hash: 'SHA-256' };

export interface DeviceKey {
  /** Non-extractable: it can sign here but can never be read out, copied or exported. */
  privateKey: CryptoKey;
  publicJwk: DeviceJwk;
  /** RFC 7638 SHA-256 thumbprint of `publicJwk`, base64url (43 characters): the server's device id. */
  thumbprint: string;
  createdAt: number;
}

function toKey(row: DeviceKeyRow): DeviceKey {
  return { privateKey: row.keyPair.privateKey, publicJwk: row.publicJwk, thumbprint: row.thumbprint, createdAt: row.createdAt };
}

/** Only the members RFC 7638 hashes and the server stores ({kty, crv, x, y}); WebCrypto adds `ext`, `key_ops`. */
export function publicJwkOf(jwk: JsonWebKey): DeviceJwk {
  if (jwk.kty !== 'EC' || jwk.crv !== 'P-256' || !jwk.x || !jwk.y) throw new Error('not an EC P-256 public key');
  return { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y };
}

/** @example await thumbprintOf(key.publicJwk) // 'NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs' */
export function thumbprintOf(jwk: DeviceJwk): Promise<string> {
  return calculateJwkThumbprint(jwk, 'sha256');
}

async function makeKey(): Promise<DeviceKeyRow> {
  // extractable=false applies to the private key; WebCrypto always lets the public half be exported.
  const keyPair = await crypto.subtle.generateKey(ECDSA_P256, false, ['sign', 'verify']);
  const publicJwk = publicJwkOf(await crypto.subtle.exportKey('jwk', keyPair.publicKey));
  return { id: PRIMARY_KEY_ID, keyPair, publicJwk, thumbprint: await thumbprintOf(publicJwk), createdAt: Date.now() };
}

/** The current key, or undefined when this phone has none yet. */
export async function peekDeviceKey(): Promise<DeviceKey | undefined> {
  const row = await db.deviceKeys.get(PRIMARY_KEY_ID);
  return row ? toKey(row) : undefined;
}

let making: Promise<DeviceKey> | null = null;

/**
 * The current key, made and stored on first use. Two callers at once get the same key (a transaction keeps a
 * second tab from storing a different one).
 * @example const { publicJwk, thumbprint } = await getDeviceKey();
 */
export function getDeviceKey(): Promise<DeviceKey> {
  making ??= (async () => {
    const existing = await peekDeviceKey();
    if (existing) return existing;
    const fresh = await makeKey();
    const stored = await db.transaction('rw', db.deviceKeys, async () => {
      const raced = await db.deviceKeys.get(PRIMARY_KEY_ID);
      if (raced) return raced;
      await db.deviceKeys.add(fresh);
      return fresh;
    });
    return toKey(stored);
  })().finally(() => {
    making = null;
  });
  return making;
}

/** Replaces the current key with a new one (after release or block); the old private key is gone for good. */
export async function renewDeviceKey(): Promise<DeviceKey> {
  const fresh = await makeKey();
  await db.deviceKeys.put(fresh);
  return toKey(fresh);
}

/**
 * Signs `bytes` with the device key: ECDSA P-256 / SHA-256, raw r‖s (64 bytes, what WebCrypto returns and JOSE
 * ES256 uses), base64url.
 * @example const signature = await signBytes(new TextEncoder().encode(qrText));
 */
export async function signBytes(bytes: Uint8Array, key?: DeviceKey): Promise<string> {
  const k = key ?? (await getDeviceKey());
  const sig = await crypto.subtle.sign(ES256, k.privateKey, bytes as Uint8Array<ArrayBuffer>);
  return toBase64Url(new Uint8Array(sig));
}

export function toBase64Url(bytes: Uint8Array): string {
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** base64url → bytes; throws on characters outside the alphabet. */
export function fromBase64Url(text: string): Uint8Array {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new Error('not base64url');
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4);
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}
