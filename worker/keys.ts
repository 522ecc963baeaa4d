/**
 * The office's signing keys (ES256, each with a `kid`) from the OFFICE_SIGNING_KEYS secret: the first signs,
 * all are published at /.well-known/jwks.json so tokens signed before a rotation verify until they expire.
 * Every verification names its algorithm, issuer, audience and `typ`.
 */
import { type JWK, type JWTPayload, SignJWT, createLocalJWKSet, importJWK, jwtVerify } from 'jose';
import type { Env } from './env';

export const SIGNING_ALG = 'ES256';

interface OfficeKeys {
  signing: { kid: string; key: CryptoKey };
  /** Public halves of every configured key, for JWKS and verification. */
  jwks: { keys: JWK[] };
}

let cache: { source: string; keys: Promise<OfficeKeys> } | undefined;

function publicHalf(jwk: JWK): JWK {
  const { kty, crv, x, y, kid } = jwk;
  return { kty, crv, x, y, kid, alg: SIGNING_ALG, use: 'sig' };
}

/** Parses and imports the configured keys once per isolate (and again when the secret changes). */
export function officeKeys(env: Pick<Env, 'OFFICE_SIGNING_KEYS'>): Promise<OfficeKeys> {
  const source = env.OFFICE_SIGNING_KEYS ?? '';
  if (cache?.source === source) return cache.keys;
  const keys = (async () => {
    if (!source) throw new Error('OFFICE_SIGNING_KEYS is not configured');
    const list = JSON.parse(source) as JWK[];
    if (!Array.isArray(list) || list.length === 0) throw new Error('OFFICE_SIGNING_KEYS must be a non-empty JSON array of JWKs');
    for (const k of list) {
      if (k.kty !== 'EC' || k.crv !== 'P-256' || !k.d || !k.kid) throw new Error('each office key must be a private P-256 JWK with a kid');
    }
    const first = list[0]!;
    return {
      signing: { kid: first.kid!, key: (await importJWK(first, SIGNING_ALG)) as CryptoKey },
      jwks: { keys: list.map(publicHalf) },
    };
  })();
  cache = { source, keys };
  return keys;
}

export interface TokenSpec {
  /** JOSE header `typ`, e.g. "activation+jwt"; checked on verify so one kind of token can't pass for another. */
  typ: string;
  audience: string;
  /** Lifetime in seconds. */
  ttlSeconds: number;
  subject?: string;
  jti?: string;
}

/**
 * Signs `claims` with the current office key.
 * @example await signToken(env, { typ: 'activation+jwt', audience: 'loket:activation', ttlSeconds: 86400, jti }, {})
 */
export async function signToken(env: Pick<Env, 'OFFICE_SIGNING_KEYS' | 'PUBLIC_ORIGIN'>, spec: TokenSpec, claims: JWTPayload = {}, now = Date.now()): Promise<string> {
  const { signing } = await officeKeys(env);
  const iat = Math.floor(now / 1000);
  const jwt = new SignJWT(claims)
    .setProtectedHeader({ alg: SIGNING_ALG, kid: signing.kid, typ: spec.typ })
    .setIssuer(env.PUBLIC_ORIGIN)
    .setAudience(spec.audience)
    .setIssuedAt(iat)
    .setExpirationTime(iat + spec.ttlSeconds);
  if (spec.subject) jwt.setSubject(spec.subject);
  if (spec.jti) jwt.setJti(spec.jti);
  return jwt.sign(signing.key);
}

/**
 * Verifies a token signed by one of the office keys: ES256 only, our issuer, the given audience and typ, not expired.
 * Throws jose's errors (JWTExpired, JWSSignatureVerificationFailed, …) for the caller to map to a problem code.
 */
export async function verifyToken(
  env: Pick<Env, 'OFFICE_SIGNING_KEYS' | 'PUBLIC_ORIGIN'>,
  token: string,
  expect: { typ: string; audience: string; clockToleranceSeconds?: number },
  now = Date.now(),
): Promise<JWTPayload> {
  const { jwks } = await officeKeys(env);
  // A local key set: the header's kid picks among OUR keys only; embedded jwk/jku/x5u headers are never used.
  const { payload } = await jwtVerify(token, createLocalJWKSet(jwks), {
    algorithms: [SIGNING_ALG],
    issuer: env.PUBLIC_ORIGIN,
    audience: expect.audience,
    typ: expect.typ,
    clockTolerance: expect.clockToleranceSeconds ?? 0,
    currentDate: new Date(now),
  });
  return payload;
}
