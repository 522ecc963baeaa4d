/**
 * Checks a RETAS assignment letter's QR token against the office keys this device has cached (the same cache as the
 * receipt and digital-KTP checkers): ES256 only, the app's own origin as issuer, the letter's audience and typ.
 * Works offline; says exactly why a letter is not genuine. Whether the event was cancelled needs the server.
 */
import { type JWK, createLocalJWKSet, errors, jwtVerify } from 'jose';
import { LETTER_AUDIENCE, LETTER_TYP, LetterClaims } from '../../../../schema/retas/letter';

export type LetterCheckResult =
  | { status: 'valid'; claims: LetterClaims }
  | { status: 'expired' | 'tampered' | 'unknown_key' | 'wrong_kind' | 'malformed' | 'no_keys' };

/** The token of a check link's fragment (`#t=<token>`), or null. */
export function letterTokenFromHash(hash: string): string | null {
  const t = new URLSearchParams(hash.replace(/^#/, '')).get('t');
  return t && /^[\w-]+\.[\w-]+\.[\w-]+$/.test(t) ? t : null;
}

export async function checkLetter(token: string, keys: JWK[] | undefined, issuer: string, now = Date.now()): Promise<LetterCheckResult> {
  if (!keys || keys.length === 0) return { status: 'no_keys' };
  try {
    const { payload } = await jwtVerify(token, createLocalJWKSet({ keys }), {
      algorithms: ['ES256'],
      issuer,
      audience: LETTER_AUDIENCE,
      typ: LETTER_TYP,
      currentDate: new Date(now),
      clockTolerance: 60,
    });
    const claims = LetterClaims.safeParse(payload);
    return claims.success ? { status: 'valid', claims: claims.data } : { status: 'malformed' };
  } catch (err) {
    if (err instanceof errors.JWTExpired) return { status: 'expired' };
    if (err instanceof errors.JWSSignatureVerificationFailed) return { status: 'tampered' };
    if (err instanceof errors.JWKSNoMatchingKey) return { status: 'unknown_key' };
    if (err instanceof errors.JWTClaimValidationFailed) return { status: 'wrong_kind' };
    return { status: 'malformed' };
  }
}
