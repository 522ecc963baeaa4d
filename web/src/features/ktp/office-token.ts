/**
 * Verifies a JWT signed with an office key against the keys this device has cached (shared by the receipt and the
 * assignment-letter checks): ES256 only, the app's own origin as issuer, the kind's audience and typ. Works offline;
 * says exactly why a token is not genuine.
 */
import { type JWK, type JWTPayload, createLocalJWKSet, errors, jwtVerify } from 'jose';

export type OfficeTokenFailure = 'expired' | 'tampered' | 'unknown_key' | 'wrong_kind' | 'malformed' | 'no_keys';

/** The token of a check link's fragment (`#t=<token>`), or null. */
export function tokenFromHash(hash: string): string | null {
  const t = new URLSearchParams(hash.replace(/^#/, '')).get('t');
  return t && /^[\w-]+\.[\w-]+\.[\w-]+$/.test(t) ? t : null;
}

export async function verifyOfficeToken(
  token: string,
  keys: JWK[] | undefined,
  expected: { issuer: string; audience: string; typ: string },
  now = Date.now(),
): Promise<{ status: 'valid'; payload: JWTPayload } | { status: OfficeTokenFailure }> {
  if (!keys || keys.length === 0) return { status: 'no_keys' };
  try {
    const { payload } = await jwtVerify(token, createLocalJWKSet({ keys }), { algorithms: ['ES256'], ...expected, currentDate: new Date(now), clockTolerance: 60 });
    return { status: 'valid', payload };
  } catch (err) {
    if (err instanceof errors.JWTExpired) return { status: 'expired' };
    if (err instanceof errors.JWSSignatureVerificationFailed) return { status: 'tampered' };
    if (err instanceof errors.JWKSNoMatchingKey) return { status: 'unknown_key' };
    if (err instanceof errors.JWTClaimValidationFailed) return { status: 'wrong_kind' };
    return { status: 'malformed' };
  }
}
