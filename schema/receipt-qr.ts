/**
 * The compact, office-signed KTP-el receipt (seed 001 KTP-el step 2), small enough for a version-10 QR at level M
 * with the check link around it. A JWT receipt needed version 19–20; this is binary like the digital KTP (schema/ktp/):
 *   'R' | format 1 | alg (1 = ES256) | key hint (first 4 bytes of SHA-256 of the key's kid)
 *   | receipt number = case id (UUID, 16 bytes) | office code (2 bytes BCD, "63.09")
 *   | accepted at u32 (epoch seconds; the receipt lives RECEIPT_TTL_SECONDS from then)
 *   | masked NIK (first 4 + last 4 digits, 4 bytes BCD) | name (u8 length + UTF-8, cut to fit) | signature r‖s (64)
 * The signature is ES256 over the JWS signing input b64url({"alg":"ES256","kid":<kid>,"typ":"ktpel-receipt"}) "."
 * b64url(bytes before the signature); the verifier rebuilds the header, so nobody can choose the algorithm. A 4-byte
 * hint instead of the kid saves ~20 bytes; the verifier tries each office key whose kid hashes to it.
 * The QR is a link, `<origin>/v/resi#r=<base64url bytes>`: any phone camera opens the check page, and the
 * fragment never reaches a server. Old receipts (`#t=<JWT>`) keep verifying through schema/receipt.ts.
 */
import { FlattenedSign, type JWK, flattenedVerify, importJWK } from 'jose';
import { b64u, bcd, ByteReader, ByteWriter, equalBytes, KtpFormatError, sha256, unbcd, utf8 } from './ktp/bytes';
import { encodeQr } from './ktp/qr';
import { RECEIPT_CHECK_PATH, RECEIPT_TTL_SECONDS } from './receipt';

export const RECEIPT_QR_MAGIC = 0x52; // 'R' (resi)
export const RECEIPT_QR_FORMAT = 1;
export const RECEIPT_QR_TYP = 'ktpel-receipt';
export const RECEIPT_QR_MAX_VERSION = 10;
const ALG_ES256 = 1;
const HINT_BYTES = 4;
const MAX_NAME_BYTES = 72;

export interface CompactReceipt {
  /** The case id, which is the receipt number. */
  number: string;
  officeCode: string;
  nikMasked: string;
  /** The applicant's name as the QR carries it (cut to fit; the printed receipt has it whole). */
  name: string;
  /** Epoch ms (whole seconds). */
  acceptedAt: number;
  expiresAt: number;
}

export type CompactReceiptCheck =
  | { status: 'valid' | 'expired'; receipt: CompactReceipt }
  | { status: 'tampered' | 'unknown_key' | 'malformed' };

const header = (kid: string) => ({ alg: 'ES256' as const, kid, typ: RECEIPT_QR_TYP });
const keyHint = async (kid: string) => (await sha256(utf8(kid))).slice(0, HINT_BYTES);

function uuidBytes(id: string): Uint8Array {
  const hex = id.replace(/-/g, '');
  if (!/^[0-9a-f]{32}$/i.test(hex)) throw new RangeError('receipt number must be a UUID');
  return Uint8Array.from(hex.match(/../g)!.map((x) => parseInt(x, 16)));
}
function uuidText(b: Uint8Array): string {
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
/** "6309••••••••0001" ⇄ BCD of "63090001". */
const nikBytes = (masked: string) => {
  const m = /^(\d{4})\D*(\d{4})$/.exec(masked);
  if (!m) throw new RangeError('masked NIK must keep the first and last four digits');
  return bcd(m[1]! + m[2]!);
};
const nikText = (b: Uint8Array) => {
  const d = unbcd(b);
  return `${d.slice(0, 4)}${'•'.repeat(8)}${d.slice(4)}`;
};

function cutName(name: string, maxBytes: number): string {
  let out = '';
  for (const ch of name) {
    if (utf8(out + ch).length > maxBytes) break;
    out += ch;
  }
  return out || '-';
}

function body(hint: Uint8Array, r: Omit<CompactReceipt, 'expiresAt'>, name: string): Uint8Array {
  if (!/^\d{2}\.\d{2}$/.test(r.officeCode)) throw new RangeError('office code must be like 63.09');
  return new ByteWriter()
    .u8(RECEIPT_QR_MAGIC).u8(RECEIPT_QR_FORMAT).u8(ALG_ES256).bytes(hint, HINT_BYTES)
    .bytes(uuidBytes(r.number), 16)
    .bytes(bcd(r.officeCode.replace('.', '')))
    .u32(Math.floor(r.acceptedAt / 1000))
    .bytes(nikBytes(r.nikMasked))
    .text(name, MAX_NAME_BYTES)
    .finish();
}

/** The check link a receipt's QR encodes. */
export const compactReceiptUrl = (origin: string, bytes: Uint8Array): string => `${origin}${RECEIPT_CHECK_PATH}#r=${b64u.encode(bytes)}`;

/**
 * Signs a receipt with an office key; the name is cut (at a character boundary) until the whole check link fits
 * a version-10 QR at level M. Returns the bytes and the link.
 */
export async function signCompactReceipt(
  key: CryptoKey,
  kid: string,
  origin: string,
  r: Omit<CompactReceipt, 'expiresAt'>,
): Promise<{ bytes: Uint8Array; url: string; qrVersion: number }> {
  const hint = await keyHint(kid);
  for (let max = Math.min(MAX_NAME_BYTES, utf8(r.name).length || 1); max >= 1; max--) {
    const b = body(hint, r, cutName(r.name.trim(), max));
    const jws = await new FlattenedSign(b).setProtectedHeader(header(kid)).sign(key);
    const sig = b64u.decode(jws.signature);
    const bytes = new Uint8Array(b.length + sig.length);
    bytes.set(b);
    bytes.set(sig, b.length);
    const url = compactReceiptUrl(origin, bytes);
    try {
      const symbol = encodeQr(utf8(url), RECEIPT_QR_MAX_VERSION, 'M');
      return { bytes, url, qrVersion: symbol.version };
    } catch (err) {
      if (!(err instanceof KtpFormatError)) throw err;
    }
  }
  throw new RangeError(`the check link of ${origin} leaves no room for a receipt in a version-${RECEIPT_QR_MAX_VERSION} QR`);
}

export function decodeCompactReceipt(bytes: Uint8Array): { hint: Uint8Array; receipt: CompactReceipt; body: Uint8Array; signature: Uint8Array } {
  const rd = new ByteReader(bytes);
  if (rd.u8() !== RECEIPT_QR_MAGIC) throw new KtpFormatError('bad_field', 'not a KTP-el receipt');
  if (rd.u8() !== RECEIPT_QR_FORMAT) throw new KtpFormatError('version', 'unknown receipt format');
  if (rd.u8() !== ALG_ES256) throw new KtpFormatError('bad_field', 'alg');
  const hint = rd.bytes(HINT_BYTES);
  const number = uuidText(rd.bytes(16));
  const office = unbcd(rd.bytes(2));
  const acceptedAt = rd.u32() * 1000;
  const nikMasked = nikText(rd.bytes(4));
  const name = rd.text(MAX_NAME_BYTES);
  const body = rd.slice(0);
  const signature = rd.bytes(64);
  rd.end();
  return {
    hint,
    body,
    signature,
    receipt: { number, officeCode: `${office.slice(0, 2)}.${office.slice(2)}`, nikMasked, name, acceptedAt, expiresAt: acceptedAt + RECEIPT_TTL_SECONDS * 1000 },
  };
}

/**
 * Checks compact receipt bytes against the office's public keys (the cached JWKS offline, the configured keys in the
 * Worker). One stable status: valid, expired, tampered, unknown_key or malformed.
 * @example await verifyCompactReceipt(bytes, jwks.keys, Date.now())
 */
export async function verifyCompactReceipt(bytes: Uint8Array, keys: readonly JWK[], now = Date.now()): Promise<CompactReceiptCheck> {
  let decoded: ReturnType<typeof decodeCompactReceipt>;
  try {
    decoded = decodeCompactReceipt(bytes);
  } catch {
    return { status: 'malformed' };
  }
  const candidates: JWK[] = [];
  for (const k of keys) if (k.kid && equalBytes(await keyHint(k.kid), decoded.hint)) candidates.push(k);
  if (candidates.length === 0) return { status: 'unknown_key' };
  for (const jwk of candidates) {
    try {
      const key = await importJWK({ kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y }, 'ES256');
      await flattenedVerify(
        { protected: b64u.encode(JSON.stringify(header(jwk.kid!))), payload: b64u.encode(decoded.body), signature: b64u.encode(decoded.signature) },
        key,
        { algorithms: ['ES256'] },
      );
      // A minute's grace either way, as for the JWT receipts.
      return { status: now > decoded.receipt.expiresAt + 60_000 ? 'expired' : 'valid', receipt: decoded.receipt };
    } catch {
      // try the next key with the same hint
    }
  }
  return { status: 'tampered' };
}

/** What a scanned or pasted receipt QR holds: the compact bytes (`#r=`), an old JWT (`#t=`), or nothing usable. */
export type ScannedReceipt = { kind: 'compact'; bytes: Uint8Array } | { kind: 'jwt'; token: string } | { kind: 'none' };

export function parseReceiptText(text: string): ScannedReceipt {
  const hashAt = text.indexOf('#');
  const params = new URLSearchParams(hashAt >= 0 ? text.slice(hashAt + 1) : '');
  const r = params.get('r');
  if (r) {
    try {
      return { kind: 'compact', bytes: b64u.decode(r) };
    } catch {
      return { kind: 'none' };
    }
  }
  const t = params.get('t');
  if (t && /^[\w-]+\.[\w-]+\.[\w-]+$/.test(t)) return { kind: 'jwt', token: t };
  return { kind: 'none' };
}
