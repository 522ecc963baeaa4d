/**
 * Checks a KTP-el receipt token against the office keys this device has cached: ES256 only, the app's own origin
 * as issuer, the receipt audience and typ. Works offline; says exactly why a receipt is not genuine.
 */
import type { JWK } from 'jose';
import { RECEIPT_AUDIENCE, RECEIPT_TYP, ReceiptClaims } from '../../../../schema/receipt';
import { parseReceiptText, verifyCompactReceipt } from '../../../../schema/receipt-qr';
import { type OfficeTokenFailure, tokenFromHash, verifyOfficeToken } from '../ktp/office-token';

export type ReceiptCheck =
  | { status: 'valid'; claims: ReceiptClaims; expiresAt: number }
  | { status: OfficeTokenFailure };

/** The token of a check link's fragment (`#t=<token>`), or null. */
export { tokenFromHash };

export async function checkReceipt(token: string, keys: JWK[] | undefined, issuer: string, now = Date.now()): Promise<ReceiptCheck> {
  const checked = await verifyOfficeToken(token, keys, { issuer, audience: RECEIPT_AUDIENCE, typ: RECEIPT_TYP }, now);
  if (checked.status !== 'valid') return checked;
  const claims = ReceiptClaims.safeParse(checked.payload);
  if (!claims.success || typeof checked.payload.exp !== 'number') return { status: 'malformed' };
  return { status: 'valid', claims: claims.data, expiresAt: checked.payload.exp * 1000 };
}

/**
 * Checks whatever a check link's fragment holds: the compact receipt (`#r=`, since the QR shrank to version 10) or
 * an older JWT receipt (`#t=`), which stays valid for its 180 days. null: the fragment holds neither.
 */
export async function checkReceiptHash(hash: string, keys: JWK[] | undefined, issuer: string, now = Date.now()): Promise<ReceiptCheck | null> {
  const scanned = parseReceiptText(hash.startsWith('#') ? hash : `#${hash}`);
  if (scanned.kind === 'jwt') return checkReceipt(scanned.token, keys, issuer, now);
  if (scanned.kind === 'none') return null;
  if (!keys || keys.length === 0) return { status: 'no_keys' };
  const check = await verifyCompactReceipt(scanned.bytes, keys, now);
  if (check.status !== 'valid' && check.status !== 'expired') return { status: check.status };
  if (check.status === 'expired') return { status: 'expired' };
  const r = check.receipt;
  return { status: 'valid', claims: { sub: r.number, off: r.officeCode, offName: '', nm: r.name, nik: r.nikMasked, acc: r.acceptedAt }, expiresAt: r.expiresAt };
}
