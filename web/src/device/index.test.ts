import { describe, expect, it } from 'vitest';
import { type DeviceKey, fromBase64Url, publicJwkOf, signBytes, thumbprintOf, toBase64Url } from './index';

async function freshKey(): Promise<DeviceKey> {
  const pair = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify']);
  const publicJwk = publicJwkOf(await crypto.subtle.exportKey('jwk', pair.publicKey));
  return { privateKey: pair.privateKey, publicJwk, thumbprint: await thumbprintOf(publicJwk), createdAt: 0 };
}

describe('device key', () => {
  it('signs raw r‖s (64 bytes, base64url) that verifies against the exported public JWK', async () => {
    const key = await freshKey();
    const data = new TextEncoder().encode('LOKETB2.0190b3c4-0000-7000-8000-000000000000.abcdefghijklmnopqrstuv');
    const sig = await signBytes(data, key);
    expect(sig).toMatch(/^[A-Za-z0-9_-]{86}$/);
    const pub = await crypto.subtle.importKey('jwk', key.publicJwk, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['verify']);
    expect(await crypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, pub, fromBase64Url(sig) as Uint8Array<ArrayBuffer>, data)).toBe(true);
    const other = new TextEncoder().encode('LOKETB2.tampered');
    expect(await crypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, pub, fromBase64Url(sig) as Uint8Array<ArrayBuffer>, other)).toBe(false);
  });

  it('keeps the private key non-extractable', async () => {
    const key = await freshKey();
    expect(key.privateKey.extractable).toBe(false);
    await expect(crypto.subtle.exportKey('jwk', key.privateKey)).rejects.toThrow();
  });

  it('exports only {kty, crv, x, y} and thumbprints it the RFC 7638 way (43 base64url characters)', async () => {
    const key = await freshKey();
    expect(Object.keys(key.publicJwk).sort()).toEqual(['crv', 'kty', 'x', 'y']);
    expect(key.thumbprint).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // RFC 7638 §3: SHA-256 over the required members in lexicographic order, no whitespace.
    const canonical = `{"crv":"P-256","kty":"EC","x":"${key.publicJwk.x}","y":"${key.publicJwk.y}"}`;
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(canonical)));
    expect(key.thumbprint).toBe(toBase64Url(digest));
    expect(() => publicJwkOf({ kty: 'RSA', n: 'x', e: 'AQAB' })).toThrow();
  });

  it('round-trips base64url and refuses other alphabets', () => {
    const bytes = new Uint8Array([0, 1, 250, 251, 252, 253, 254, 255]);
    expect(fromBase64Url(toBase64Url(bytes))).toEqual(bytes);
    expect(() => fromBase64Url('ab+/')).toThrow();
  });
});
