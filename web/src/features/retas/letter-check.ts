/**
 * Checks a RETAS assignment letter's QR token against the office keys this device has cached (the same cache as the
 * receipt and digital-KTP checkers). Works offline; whether the event was cancelled needs the server.
 */
import type { JWK } from 'jose';
import { LETTER_AUDIENCE, LETTER_TYP, LetterClaims } from '../../../../schema/retas/letter';
import { type OfficeTokenFailure, verifyOfficeToken } from '../ktp/office-token';

export type LetterCheckResult = { status: 'valid'; claims: LetterClaims } | { status: OfficeTokenFailure };

export async function checkLetter(token: string, keys: JWK[] | undefined, issuer: string, now = Date.now()): Promise<LetterCheckResult> {
  const checked = await verifyOfficeToken(token, keys, { issuer, audience: LETTER_AUDIENCE, typ: LETTER_TYP }, now);
  if (checked.status !== 'valid') return checked;
  const claims = LetterClaims.safeParse(checked.payload);
  return claims.success ? { status: 'valid', claims: claims.data } : { status: 'malformed' };
}
