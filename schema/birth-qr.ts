/**
 * The compact, office-signed QR printed on a birth certificate, verified offline by the PWA checker (/cek) and online.
 * Binary like the digital KTP's (schema/ktp/), not a JWT, so it stays ≤ version 10 at level M (213 bytes):
 *   'A' | format 1 | alg (1 = ES256) | kid (u8 length + ASCII) | office code (2 bytes BCD, "63.09")
 *   | signing day YYYYMMDD (4 bytes BCD) | day sequence u16 | child's birth date YYYYMMDD (4 bytes BCD)
 *   | child's name (u8 length + UTF-8, ≤ 72 bytes) | document hash (first 16 bytes of SHA-256 of the certificate's
 *   canonical content) | signature r‖s (64)
 * The signature is ES256 over the JWS signing input b64url({"alg":"ES256","kid":<kid>,"typ":"birth-cert"}) "."
 * b64url(bytes before the signature): the verifier rebuilds the header, so the algorithm cannot be chosen by an attacker.
 * The register number is rebuilt from office, day and sequence (6309-LT-30112026-0001).
 */
import { FlattenedSign, flattenedVerify, type JWK } from 'jose';
import { registerNumber } from './birth-rules';
import { b64u, bcd, ByteReader, ByteWriter, KtpFormatError, sha256, unbcd } from './ktp/bytes';
import { OfficeKeySet } from './ktp/verify';

export const BIRTH_QR_MAGIC = 0x41; // 'A' (akta)
export const BIRTH_QR_FORMAT = 1;
export const BIRTH_QR_TYP = 'birth-cert';
export const BIRTH_QR_MAX_VERSION = 10;
const ALG_ES256 = 1;
const MAX_NAME_BYTES = 72;
const HASH_BYTES = 16;

export interface CertificateClaims {
  officeCode: string; // "63.09"
  signingDay: string; // YYYY-MM-DD (office zone)
  sequence: number;
  childName: string;
  birthDate: string; // YYYY-MM-DD
  /** First 16 bytes of the content hash, hex (32 characters). */
  docHash: string;
}

const dayBcd = (d: string) => bcd(d.replace(/-/g, ''));
const dayOf = (b: Uint8Array) => {
  const s = unbcd(b);
  return `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}`;
};
const hexOf = (b: Uint8Array) => [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
const fromHex = (h: string) => Uint8Array.from(h.match(/../g)!.map((x) => parseInt(x, 16)));

/** Names longer than the QR budget are cut at a character boundary; the PDF and the online check carry the whole name. */
export function qrName(name: string): string {
  let out = '';
  for (const ch of name) {
    if (new TextEncoder().encode(out + ch).length > MAX_NAME_BYTES) break;
    out += ch;
  }
  return out;
}

function header(kid: string) {
  return { alg: 'ES256' as const, kid, typ: BIRTH_QR_TYP };
}

function payload(kid: string, c: CertificateClaims): Uint8Array {
  if (!/^\d{2}\.\d{2}$/.test(c.officeCode)) throw new RangeError('office code must be like 63.09');
  if (c.sequence < 1 || c.sequence > 0xffff) throw new RangeError('sequence out of range');
  return new ByteWriter()
    .u8(BIRTH_QR_MAGIC).u8(BIRTH_QR_FORMAT).u8(ALG_ES256).text(kid, 32)
    .bytes(bcd(c.officeCode.replace('.', '')))
    .bytes(dayBcd(c.signingDay))
    .u8(c.sequence >> 8).u8(c.sequence & 0xff)
    .bytes(dayBcd(c.birthDate))
    .text(qrName(c.childName), MAX_NAME_BYTES)
    .bytes(fromHex(c.docHash), HASH_BYTES)
    .finish();
}

/** Signs the claims with an office key (private, CryptoKey) as QR bytes. */
export async function signCertificateQr(key: CryptoKey, kid: string, c: CertificateClaims): Promise<Uint8Array> {
  const body = payload(kid, c);
  const jws = await new FlattenedSign(body).setProtectedHeader(header(kid)).sign(key);
  const sig = b64u.decode(jws.signature);
  const out = new Uint8Array(body.length + sig.length);
  out.set(body);
  out.set(sig, body.length);
  return out;
}

export function decodeCertificateQr(bytes: Uint8Array): { kid: string; claims: CertificateClaims; body: Uint8Array; signature: Uint8Array } {
  const r = new ByteReader(bytes);
  if (r.u8() !== BIRTH_QR_MAGIC) throw new KtpFormatError('bad_field', 'not a birth-certificate QR');
  if (r.u8() !== BIRTH_QR_FORMAT) throw new KtpFormatError('version', 'unknown format');
  if (r.u8() !== ALG_ES256) throw new KtpFormatError('bad_field', 'alg');
  const kid = r.text(32);
  const office = unbcd(r.bytes(2));
  const signingDay = dayOf(r.bytes(4));
  const sequence = (r.u8() << 8) | r.u8();
  const birthDate = dayOf(r.bytes(4));
  const childName = r.text(MAX_NAME_BYTES);
  const docHash = hexOf(r.bytes(HASH_BYTES));
  const body = r.slice(0);
  const signature = r.bytes(64);
  r.end();
  return { kid, body, signature, claims: { officeCode: `${office.slice(0, 2)}.${office.slice(2)}`, signingDay, sequence, childName, birthDate, docHash } };
}

export const registerNumberOf = (c: CertificateClaims) => registerNumber(c.officeCode, c.signingDay, c.sequence);

/** A signed list of an office's revoked register numbers, as the checker caches it. */
export interface RevocationList {
  officeCode: string;
  revoked: string[];
  /** Epoch ms when the office signed it: the checker shows its age. */
  issuedAt: number;
}

export type CertificateCheck =
  | { status: 'valid' | 'revoked'; registerNo: string; claims: CertificateClaims; revocationListAge?: number | null }
  | { status: 'tampered' | 'unknown_key' | 'malformed'; reason: string };

/**
 * Verifies a certificate QR against the office keys (offline: the cached JWKS) and a revocation list (offline: the
 * cached signed list, already verified by its reader).
 * @example await verifyCertificateQr(bytes, { keys: new OfficeKeySet(jwks), revoked: crl, now: Date.now() })
 */
export async function verifyCertificateQr(bytes: Uint8Array, ctx: { keys: OfficeKeySet | { keys: JWK[] }; revoked?: RevocationList | null; now?: number }): Promise<CertificateCheck> {
  let decoded: ReturnType<typeof decodeCertificateQr>;
  try {
    decoded = decodeCertificateQr(bytes);
  } catch (err) {
    return { status: 'malformed', reason: err instanceof Error ? err.message : 'malformed' };
  }
  const keys = ctx.keys instanceof OfficeKeySet ? ctx.keys : new OfficeKeySet(ctx.keys);
  const key = keys.get(decoded.kid);
  if (!key) return { status: 'unknown_key', reason: `no office key ${decoded.kid}` };
  try {
    await flattenedVerify(
      { protected: b64u.encode(JSON.stringify(header(decoded.kid))), payload: b64u.encode(decoded.body), signature: b64u.encode(decoded.signature) },
      await key,
      { algorithms: ['ES256'] },
    );
  } catch {
    return { status: 'tampered', reason: 'signature' };
  }
  const registerNo = registerNumberOf(decoded.claims);
  const list = ctx.revoked && ctx.revoked.officeCode === decoded.claims.officeCode ? ctx.revoked : null;
  const age = list ? (ctx.now ?? Date.now()) - list.issuedAt : null;
  return { status: list?.revoked.includes(registerNo) ? 'revoked' : 'valid', registerNo, claims: decoded.claims, revocationListAge: age };
}

/** The canonical content a certificate's document hash covers (what the QR's docHash is the first half of). */
export async function contentHash(content: Record<string, unknown>): Promise<string> {
  const sorted = (v: unknown): unknown =>
    Array.isArray(v) ? v.map(sorted) : v && typeof v === 'object' ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sorted((v as Record<string, unknown>)[k])])) : v;
  return hexOf(await sha256(new TextEncoder().encode(JSON.stringify(sorted(content)))));
}
