/**
 * Checks a KTP-el receipt token against the office keys this device has cached: ES256 only, the app's own origin
 * as issuer, the receipt audience and typ. Works offline; says exactly why a receipt is not genuine.
 */
import { type JWK, createLocalJWKSet, errors, jwtVerify } from 'jose';
import { RECEIPT_AUDIENCE, RECEIPT_TYP, ReceiptClaims } from '../../../../schema/receipt';

export type ReceiptCheck =
  | { status: 'valid'; claims: ReceiptClaims; expiresAt: number }
  | { status: 'expired' | 'tampered' | 'unknown_key' | 'wrong_kind' | 'malformed' | 'no_keys' };

/** The token from a check link's fragment (`#t=<token>`), or null. */
export function tokenFromHash(hash: string): string | null {
  const t = new URLSearchParams(hash.replace(/^#/, '')).get('t');
  return t && /^[\w-]+\.[\w-]+\.[\w-]+$/.test(t) ? t : null;
}

export async function checkReceipt(token: string, keys: JWK[] | undefined, issuer: string, now = Date.now()): Promise<ReceiptCheck> {
  if (!keys || keys.length === 0) return { status: 'no_keys' };
  try {
    const { payload } = await jwtVerify(token, createLocalJWKSet({ keys }), {
      algorithms: ['ES256'],
      issuer,
      audience: RECEIPT_AUDIENCE,
      typ: RECEIPT_TYP,
      currentDate: new Date(now),
      clockTolerance: 60,
    });
    const claims = ReceiptClaims.safeParse(payload);
    if (!claims.success || typeof payload.exp !== 'number') return { status: 'malformed' };
    return { status: 'valid', claims: claims.data, expiresAt: payload.exp * 1000 };
  } catch (err) {
    if (err instanceof errors.JWTExpired) return { status: 'expired' };
    if (err instanceof errors.JWSSignatureVerificationFailed) return { status: 'tampered' };
    if (err instanceof errors.JWKSNoMatchingKey) return { status: 'unknown_key' };
    if (err instanceof errors.JWTClaimValidationFailed) return { status: 'wrong_kind' };
    return { status: 'malformed' };
  }
}
