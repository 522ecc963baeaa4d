/** The online checker: the shared verification rules with the live office keys, live device states and D1 nonce memory. */
import { type KtpCheck, type KtpJws, OfficeKeySet, verifyKtp } from '../../schema/ktp';
import { claimNonce, deviceStatus, revokedThumbprints } from '../db/ktp';
import type { Env } from '../env';
import { officeKeys } from '../keys';
import { CREDENTIAL_TTL_SECONDS } from './credential';

const keySets = new WeakMap<object, OfficeKeySet>();

/** One imported key set per JWKS object (officeKeys caches that per isolate and secret). */
async function liveKeys(env: Env): Promise<OfficeKeySet> {
  const { jwks } = await officeKeys(env);
  let set = keySets.get(jwks);
  if (!set) {
    set = new OfficeKeySet(jwks);
    keySets.set(jwks, set);
  }
  return set;
}

/**
 * Verifies with live state: a device counts as blocked unless D1 has it bound right now (blocked, released, or
 * unknown devices are all refused), and each nonce is accepted once by this server.
 */
export async function verifyOnline(env: Env, input: Uint8Array | KtpJws, now: number): Promise<KtpCheck> {
  return verifyKtp(input, {
    keys: await liveKeys(env),
    blocked: { has: async (thumbprint) => (await deviceStatus(env.DB, thumbprint))?.status !== 'bound' },
    nonces: { claim: (key, expiresAt) => claimNonce(env.DB, key, expiresAt, now) },
    now: () => now,
  });
}

/** The public blocked list: devices blocked or released within a credential lifetime (plus a day of margin). */
export async function blockedList(env: Env, now: number): Promise<{ thumbprints: string[]; generatedAt: number }> {
  const since = now - (CREDENTIAL_TTL_SECONDS + 86_400) * 1000;
  return { thumbprints: await revokedThumbprints(env.DB, since), generatedAt: now };
}
