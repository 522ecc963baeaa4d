/**
 * The compact digital-KTP format: byte layouts of the office-signed credential and the device-signed presentation
 * that a QR code carries (credential ‖ presentation, QR byte mode). Pure encode/decode; signing is in sign.ts,
 * checking in verify.ts. A JWT would not fit: the QR budget is version 15 at level M, 412 bytes.
 *
 * Credential (signed by an office key; JWS signing input = b64url(header) "." b64url(bytes before the signature),
 * header rebuilt by the verifier as {"alg":"ES256","kid":<kid>,"typ":"ktp-cred"}):
 *   'K' 0x01 | alg id (1 = ES256) | kid (u8 length + ASCII) | iat u32 | exp u32 (epoch seconds)
 *   | office code (2 bytes BCD, "63.09") | cnf: device key, compressed P-256 point (33)
 *   | flags (bit 0: age 17+) | masked NIK (first 4 + last 4 digits, 4 bytes BCD) | name (u8 length + UTF-8)
 *   | digests of the selectively disclosable claims nik, birthDate, address (3 × 16 bytes) | signature r‖s (64)
 * Presentation (signed by the device key; header {"alg":"ES256","typ":"ktp-vp"}; the signed payload starts with
 * SHA-256 of the whole credential, which the QR does not repeat):
 *   'P' | iat u32 | nonce (12) | disclosure mask (bit 0 nik, 1 birthDate, 2 address)
 *   | each disclosed claim in that order: salt (16) + value | signature r‖s (64)
 * Values: nik 8 bytes BCD; birthDate YYYYMMDD 4 bytes BCD; address district code 3 bytes BCD + street (u8 length + UTF-8).
 * A claim digest is the first 16 bytes of SHA-256(claim id ‖ salt ‖ value) (SD-JWT style: without the salt an
 * undisclosed birth date cannot be found by trying every date).
 */
import { ByteReader, ByteWriter, bcd, equalBytes, KtpFormatError, sha256, unbcd, utf8 } from './bytes';

export const CREDENTIAL_MAGIC = 0x4b; // 'K'
export const PRESENTATION_MAGIC = 0x50; // 'P'
export const FORMAT_VERSION = 1;
/** Algorithm ids of the alg byte. Only ES256 is defined; any other value (0 = "none", HS256, …) is refused. */
export const ALG_ES256 = 1;
export const CREDENTIAL_TYP = 'ktp-cred';
export const PRESENTATION_TYP = 'ktp-vp';

/** QR version 15 at error-correction level M holds 412 bytes in byte mode: the whole QR payload must fit. */
export const QR_MAX_VERSION = 15;
export const QR_BUDGET_BYTES = 412;

export const SIGNATURE_BYTES = 64;
export const DIGEST_BYTES = 16;
export const SALT_BYTES = 16;
export const NONCE_BYTES = 12;
export const POINT_BYTES = 33;
export const MAX_KID_BYTES = 32;
export const MAX_NAME_BYTES = 72;
export const MAX_STREET_BYTES = 64;

/** A presentation lives 90 seconds (seed 003: "QR valid for 90 seconds"). */
export const PRESENTATION_TTL_SECONDS = 90;

/** The claims a resident may choose to reveal per presentation, in wire order. */
export const DISCLOSABLE = ['nik', 'birthDate', 'address'] as const;
export type ClaimName = (typeof DISCLOSABLE)[number];
const CLAIM_ID: Record<ClaimName, number> = { nik: 1, birthDate: 2, address: 3 };

export interface Address {
  /** Street line as on the KTP ("Jl. Tanjung 1 RT 003/RW 002"). */
  street: string;
  /** District (kecamatan) of the address, dotted ("63.09.01"); names come from schema/regions. */
  districtCode: string;
}

export interface ClaimValues {
  nik: string;
  /** YYYY-MM-DD */
  birthDate: string;
  address: Address;
}

/** A decoded credential. `payload` is the signed part (everything before `signature`). */
export interface Credential {
  alg: number;
  kid: string;
  issuedAt: number;
  expiresAt: number;
  officeCode: string;
  devicePoint: Uint8Array;
  ageOver17: boolean;
  nikMasked: string;
  name: string;
  digests: Record<ClaimName, Uint8Array>;
  payload: Uint8Array;
  signature: Uint8Array;
}

/** What the office puts in a credential (everything but kid and the signature). */
export type CredentialFields = Omit<Credential, 'alg' | 'kid' | 'payload' | 'signature'>;

export interface Disclosure<K extends ClaimName = ClaimName> {
  claim: K;
  salt: Uint8Array;
  value: ClaimValues[K];
}

export interface Presentation {
  issuedAt: number;
  nonce: Uint8Array;
  disclosures: Disclosure[];
  /** The presentation's own bytes before the signature (the signed payload is SHA-256(credential) ‖ these). */
  body: Uint8Array;
  signature: Uint8Array;
}

// ---------------------------------------------------------------------------------------------- claim values

const DISTRICT = /^(\d{2})\.(\d{2})\.(\d{2})$/;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function officeBytes(code: string): Uint8Array {
  const m = /^(\d{2})\.(\d{2})$/.exec(code);
  if (!m) throw new RangeError(`office code must look like 63.09, got ${code}`);
  return bcd(m[1]! + m[2]!);
}

/** The byte encoding of one claim's value (what the digest covers after the salt). */
export function encodeClaimValue<K extends ClaimName>(claim: K, value: ClaimValues[K]): Uint8Array {
  switch (claim) {
    case 'nik': {
      const nik = value as string;
      if (!/^\d{16}$/.test(nik)) throw new RangeError('NIK must be 16 digits');
      return bcd(nik);
    }
    case 'birthDate': {
      const m = ISO_DATE.exec(value as string);
      if (!m) throw new RangeError('birthDate must be YYYY-MM-DD');
      return bcd(m[1]! + m[2]! + m[3]!);
    }
    case 'address': {
      const a = value as Address;
      const m = DISTRICT.exec(a.districtCode);
      if (!m) throw new RangeError('districtCode must look like 63.09.01');
      return new ByteWriter().bytes(bcd(m[1]! + m[2]! + m[3]!)).text(a.street, MAX_STREET_BYTES).finish();
    }
    default:
      throw new RangeError(`unknown claim ${String(claim)}`);
  }
}

function readClaimValue(r: ByteReader, claim: ClaimName): ClaimValues[ClaimName] {
  switch (claim) {
    case 'nik':
      return unbcd(r.bytes(8));
    case 'birthDate': {
      const d = unbcd(r.bytes(4));
      return `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6)}`;
    }
    case 'address': {
      const d = unbcd(r.bytes(3));
      return { districtCode: `${d.slice(0, 2)}.${d.slice(2, 4)}.${d.slice(4)}`, street: r.text(MAX_STREET_BYTES) };
    }
  }
}

/** Salted digest of a claim: SHA-256(claim id ‖ salt ‖ value), first 16 bytes. */
export async function claimDigest<K extends ClaimName>(claim: K, salt: Uint8Array, value: ClaimValues[K]): Promise<Uint8Array> {
  if (salt.length !== SALT_BYTES) throw new RangeError(`salt must be ${SALT_BYTES} bytes`);
  const input = new ByteWriter().u8(CLAIM_ID[claim]).bytes(salt).bytes(encodeClaimValue(claim, value)).finish();
  return (await sha256(input)).slice(0, DIGEST_BYTES);
}

/** Constant-time comparison of two digests. */
export function equalDigest(a: Uint8Array, b: Uint8Array): boolean {
  return equalBytes(a, b);
}

/** "6309••••••••0001" from the 8 digits a credential carries in clear. */
export function maskedNikOf(first4last4: string): string {
  return `${first4last4.slice(0, 4)}${'•'.repeat(8)}${first4last4.slice(4)}`;
}

// ---------------------------------------------------------------------------------------------- credential

/** The signed part of a credential (the JWS payload). */
export function encodeCredentialPayload(kid: string, f: CredentialFields): Uint8Array {
  if (!/^[\x21-\x7e]+$/.test(kid) || kid.length > MAX_KID_BYTES) throw new RangeError(`kid must be 1..${MAX_KID_BYTES} printable ASCII characters`);
  if (!/^\d{4}•{8}\d{4}$/.test(f.nikMasked)) throw new RangeError('nikMasked must look like 6309••••••••0001');
  if (f.expiresAt <= f.issuedAt) throw new RangeError('expiresAt must be after issuedAt');
  const w = new ByteWriter()
    .u8(CREDENTIAL_MAGIC)
    .u8(FORMAT_VERSION)
    .u8(ALG_ES256)
    .u8(kid.length)
    .bytes(utf8(kid))
    .u32(f.issuedAt)
    .u32(f.expiresAt)
    .bytes(officeBytes(f.officeCode))
    .bytes(f.devicePoint, POINT_BYTES)
    .u8(f.ageOver17 ? 1 : 0)
    .bytes(bcd(f.nikMasked.slice(0, 4) + f.nikMasked.slice(-4)))
    .text(f.name, MAX_NAME_BYTES);
  for (const c of DISCLOSABLE) w.bytes(f.digests[c], DIGEST_BYTES);
  return w.finish();
}

/** Reads a credential's payload fields (up to, not including, the signature). */
function readCredentialPayload(r: ByteReader): Omit<Credential, 'payload' | 'signature'> {
  if (r.u8() !== CREDENTIAL_MAGIC) throw new KtpFormatError('not_ktp', 'not a Loket KTP credential');
  if (r.u8() !== FORMAT_VERSION) throw new KtpFormatError('version', 'unknown credential format version');
  const alg = r.u8();
  const kidLength = r.u8();
  if (kidLength === 0 || kidLength > MAX_KID_BYTES) throw new KtpFormatError('bad_field', 'kid length');
  const kidBytes = r.bytes(kidLength);
  if (kidBytes.some((b) => b < 0x21 || b > 0x7e)) throw new KtpFormatError('bad_field', 'kid is not printable ASCII');
  const kid = String.fromCharCode(...kidBytes);
  const issuedAt = r.u32();
  const expiresAt = r.u32();
  const office = unbcd(r.bytes(2));
  const devicePoint = r.bytes(POINT_BYTES);
  const flags = r.u8();
  if (flags & ~1) throw new KtpFormatError('bad_field', 'reserved flag bits set');
  const nikMasked = maskedNikOf(unbcd(r.bytes(4)));
  const name = r.text(MAX_NAME_BYTES);
  const digests = {} as Record<ClaimName, Uint8Array>;
  for (const c of DISCLOSABLE) digests[c] = r.bytes(DIGEST_BYTES);
  return { alg, kid, issuedAt, expiresAt, officeCode: `${office.slice(0, 2)}.${office.slice(2)}`, devicePoint, ageOver17: (flags & 1) === 1, nikMasked, name, digests };
}

/** Decodes a credential payload that stands alone (the JWS form), refusing trailing bytes. */
export function decodeCredentialPayload(payload: Uint8Array, signature: Uint8Array): Credential {
  const r = new ByteReader(payload);
  const fields = readCredentialPayload(r);
  r.end();
  if (signature.length !== SIGNATURE_BYTES) throw new KtpFormatError('bad_field', 'signature must be 64 bytes');
  return { ...fields, payload, signature };
}

// ---------------------------------------------------------------------------------------------- presentation

/** The presentation's bytes before its signature. */
export function encodePresentationBody(issuedAt: number, nonce: Uint8Array, disclosures: Disclosure[]): Uint8Array {
  const byClaim = new Map(disclosures.map((d) => [d.claim, d]));
  if (byClaim.size !== disclosures.length) throw new RangeError('a claim is disclosed twice');
  let mask = 0;
  const w = new ByteWriter().u8(PRESENTATION_MAGIC).u32(issuedAt).bytes(nonce, NONCE_BYTES);
  DISCLOSABLE.forEach((c, i) => {
    if (byClaim.has(c)) mask |= 1 << i;
  });
  w.u8(mask);
  for (const c of DISCLOSABLE) {
    const d = byClaim.get(c);
    if (d) w.bytes(d.salt, SALT_BYTES).bytes(encodeClaimValue(c, d.value));
  }
  return w.finish();
}

function readPresentationBody(r: ByteReader): Omit<Presentation, 'body' | 'signature'> {
  if (r.u8() !== PRESENTATION_MAGIC) throw new KtpFormatError('not_ktp', 'no presentation after the credential');
  const issuedAt = r.u32();
  const nonce = r.bytes(NONCE_BYTES);
  const mask = r.u8();
  if (mask & ~0b111) throw new KtpFormatError('bad_field', 'unknown disclosure bits');
  const disclosures: Disclosure[] = [];
  DISCLOSABLE.forEach((claim, i) => {
    if (mask & (1 << i)) {
      const salt = r.bytes(SALT_BYTES);
      disclosures.push({ claim, salt, value: readClaimValue(r, claim) } as Disclosure);
    }
  });
  return { issuedAt, nonce, disclosures };
}

/** Decodes a presentation body that stands alone (the JWS form, after the 32-byte credential hash). */
export function decodePresentationBody(body: Uint8Array, signature: Uint8Array): Presentation {
  const r = new ByteReader(body);
  const fields = readPresentationBody(r);
  r.end();
  if (signature.length !== SIGNATURE_BYTES) throw new KtpFormatError('bad_field', 'signature must be 64 bytes');
  return { ...fields, body, signature };
}

// ---------------------------------------------------------------------------------------------- the QR payload

export interface QrPayload {
  credential: Credential;
  /** The credential's full bytes (payload ‖ signature): what the presentation's hash covers. */
  credentialBytes: Uint8Array;
  presentation: Presentation;
}

/** Splits QR bytes into credential and presentation; throws KtpFormatError when they are not ours or are cut. */
export function decodeQrPayload(bytes: Uint8Array): QrPayload {
  if (bytes.length > QR_BUDGET_BYTES) throw new KtpFormatError('too_large', `more than ${QR_BUDGET_BYTES} bytes`);
  const r = new ByteReader(bytes);
  const fields = readCredentialPayload(r);
  const payload = r.slice(0);
  const signature = r.bytes(SIGNATURE_BYTES);
  const credentialBytes = r.slice(0);
  const presStart = r.offset;
  const pres = readPresentationBody(r);
  const body = r.slice(presStart);
  const presSignature = r.bytes(SIGNATURE_BYTES);
  r.end();
  return { credential: { ...fields, payload, signature }, credentialBytes, presentation: { ...pres, body, signature: presSignature } };
}

/** Credential bytes of a stored credential (base64url-decoded), split into payload and signature. */
export function decodeCredential(bytes: Uint8Array): Credential {
  if (bytes.length <= SIGNATURE_BYTES) throw new KtpFormatError('truncated', 'credential too short');
  return decodeCredentialPayload(bytes.slice(0, bytes.length - SIGNATURE_BYTES), bytes.slice(bytes.length - SIGNATURE_BYTES));
}

// ---------------------------------------------------------------------------------------------- holder copies

/** A disclosure as the holder keeps it: salt ‖ value bytes (base64url in storage and in the issuance answer). */
export function encodeDisclosure<K extends ClaimName>(d: Disclosure<K>): Uint8Array {
  return new ByteWriter().bytes(d.salt, SALT_BYTES).bytes(encodeClaimValue(d.claim, d.value)).finish();
}

export function decodeDisclosure<K extends ClaimName>(claim: K, bytes: Uint8Array): Disclosure<K> {
  const r = new ByteReader(bytes);
  const salt = r.bytes(SALT_BYTES);
  const value = readClaimValue(r, claim) as ClaimValues[K];
  r.end();
  return { claim, salt, value };
}
