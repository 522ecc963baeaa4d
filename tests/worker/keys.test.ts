/** Office keys: sign and verify with named algorithm, issuer, audience, typ and expiry; rotation keeps old tokens valid. */
import { env } from 'cloudflare:test';
import { SignJWT, UnsecuredJWT, exportJWK, generateKeyPair } from 'jose';
import { describe, expect, it } from 'vitest';
import { officeKeys, signToken, verifyToken } from '../../worker/keys';

const spec = { typ: 'activation+jwt', audience: 'loket:activation', ttlSeconds: 600 };

async function extraKey(kid: string): Promise<Record<string, unknown>> {
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  return { ...(await exportJWK(privateKey)), kid, alg: 'ES256' };
}

describe('office keys', () => {
  it('a token verifies with its typ and audience, and with no other', async () => {
    const t = await signToken(env, { ...spec, subject: 's', jti: 'j1' });
    await expect(verifyToken(env, t, { typ: spec.typ, audience: spec.audience })).resolves.toMatchObject({ sub: 's', jti: 'j1' });
    await expect(verifyToken(env, t, { typ: 'other+jwt', audience: spec.audience })).rejects.toThrow();
    await expect(verifyToken(env, t, { typ: spec.typ, audience: 'loket:other' })).rejects.toThrow();
  });

  it('refuses expired tokens, unsigned ones, and ones signed by a key that is not ours', async () => {
    const old = await signToken(env, spec, {}, Date.now() - 3600_000);
    await expect(verifyToken(env, old, spec)).rejects.toThrow(/exp/);
    const none = new UnsecuredJWT({}).setIssuer(env.PUBLIC_ORIGIN).setAudience(spec.audience).encode();
    await expect(verifyToken(env, none, spec)).rejects.toThrow();
    const { privateKey } = await generateKeyPair('ES256');
    const forged = await new SignJWT({}).setProtectedHeader({ alg: 'ES256', kid: 'test-key-1', typ: spec.typ }).setIssuer(env.PUBLIC_ORIGIN).setAudience(spec.audience).setExpirationTime('5m').sign(privateKey);
    await expect(verifyToken(env, forged, spec)).rejects.toThrow();
  });

  it('after rotation new tokens use the new kid and tokens of the old key still verify', async () => {
    const before = await signToken(env, spec);
    const rotated = { ...env, OFFICE_SIGNING_KEYS: JSON.stringify([await extraKey('test-key-2'), ...JSON.parse(env.OFFICE_SIGNING_KEYS!)]) };
    const after = await signToken(rotated, spec);
    expect(JSON.parse(atob(after.split('.')[0]!.replace(/-/g, '+').replace(/_/g, '/'))).kid).toBe('test-key-2');
    await expect(verifyToken(rotated, before, spec)).resolves.toBeTruthy();
    await expect(verifyToken(rotated, after, spec)).resolves.toBeTruthy();
    expect((await officeKeys(rotated)).jwks.keys.map((k) => k.kid)).toEqual(['test-key-2', 'test-key-1']);
    expect((await officeKeys(rotated)).jwks.keys.every((k) => !('d' in k))).toBe(true);
  });
});
