/**
 * Making the two signatures of a digital KTP with jose: the office signs a credential, the device signs a
 * presentation. Each signature is an ordinary JWS ES256 signature (raw r‖s, 64 bytes) over a deterministic
 * protected header and the compact payload bytes, so the QR carries no header and the verifier rebuilds it.
 */
import { FlattenedSign, type JWK, type JWSHeaderParameters } from 'jose';
import { b64u, concat, KtpFormatError, sha256 } from './bytes';
import {
  type ClaimName,
  type ClaimValues,
  CREDENTIAL_TYP,
  type Credential,
  type CredentialFields,
  DISCLOSABLE,
  type Disclosure,
  NONCE_BYTES,
  PRESENTATION_TYP,
  QR_BUDGET_BYTES,
  SALT_BYTES,
  SIGNATURE_BYTES,
  claimDigest,
  decodeCredential,
  decodeDisclosure,
  encodeCredentialPayload,
  encodeDisclosure,
  encodePresentationBody,
  equalDigest,
} from './format';
import { compressPoint } from './p256';

export const SIGNING_ALG = 'ES256';

/** The credential's protected header; key order fixed so signer and verifier produce the same text. */
export function credentialHeader(kid: string): { alg: 'ES256'; kid: string; typ: string } {
  return { alg: SIGNING_ALG, kid, typ: CREDENTIAL_TYP };
}

/** The presentation's protected header (no kid: the key is the credential's cnf). */
export function presentationHeader(): { alg: 'ES256'; typ: string } {
  return { alg: SIGNING_ALG, typ: PRESENTATION_TYP };
}

/** base64url of the header's JSON: the first half of the JWS signing input. */
export function encodeHeader(header: object): string {
  return b64u.encode(JSON.stringify(header));
}

async function signJws(header: JWSHeaderParameters, payload: Uint8Array, key: CryptoKey): Promise<Uint8Array> {
  const jws = await new FlattenedSign(payload).setProtectedHeader(header).sign(key);
  const signature = b64u.decode(jws.signature);
  if (signature.length !== SIGNATURE_BYTES) throw new Error('ES256 signature must be 64 bytes');
  return signature;
}

/** SHA-256 of the credential's full bytes: the first 32 bytes of the presentation's signed payload. */
export async function credentialHash(credentialBytes: Uint8Array): Promise<Uint8Array> {
  return sha256(credentialBytes);
}

export interface IssueInput {
  name: string;
  nik: string;
  birthDate: string;
  address: ClaimValues['address'];
  ageOver17: boolean;
  officeCode: string;
  /** The bound device's public key (from `devices.public_jwk`). */
  devicePublicJwk: JWK;
  /** Epoch seconds. */
  issuedAt: number;
  expiresAt: number;
}

/** What the holder stores: the credential and one disclosure (salt ‖ value) per disclosable claim, base64url. */
export interface HolderCredential {
  credential: string;
  disclosures: Record<ClaimName, string>;
}

/** What GET /api/ktp/credential answers: the holder's credential plus its metadata (worker issues, PWA stores). */
export interface IssuedCredential extends HolderCredential {
  kid: string;
  issuedAt: number;
  expiresAt: number;
  deviceThumbprint: string;
  /** The same credential as a JWS Compact Serialization (header {alg, kid, typ: "ktp-cred"}), for JOSE tooling. */
  jws: string;
  holder: { name: string; nikMasked: string };
}

/**
 * The office signs a credential for a bound device. Fresh random salts per claim and per issuance.
 * @example const held = await issueCredential(input, { kid: 'k1', key: officePrivateKey })
 */
export async function issueCredential(input: IssueInput, signer: { kid: string; key: CryptoKey }): Promise<HolderCredential> {
  const values: ClaimValues = { nik: input.nik, birthDate: input.birthDate, address: input.address };
  const disclosures = DISCLOSABLE.map((claim) => ({ claim, salt: crypto.getRandomValues(new Uint8Array(SALT_BYTES)), value: values[claim] }) as Disclosure);
  const digests = {} as Record<ClaimName, Uint8Array>;
  for (const d of disclosures) digests[d.claim] = await claimDigest(d.claim, d.salt, d.value);
  const fields: CredentialFields = {
    issuedAt: input.issuedAt,
    expiresAt: input.expiresAt,
    officeCode: input.officeCode,
    devicePoint: compressPoint(input.devicePublicJwk),
    ageOver17: input.ageOver17,
    nikMasked: `${input.nik.slice(0, 4)}${'•'.repeat(8)}${input.nik.slice(-4)}`,
    name: input.name,
    digests,
  };
  const payload = encodeCredentialPayload(signer.kid, fields);
  const signature = await signJws(credentialHeader(signer.kid), payload, signer.key);
  return {
    credential: b64u.encode(concat(payload, signature)),
    disclosures: Object.fromEntries(disclosures.map((d) => [d.claim, b64u.encode(encodeDisclosure(d))])) as Record<ClaimName, string>,
  };
}

export interface PresentInput {
  held: HolderCredential;
  /** Claims to reveal beyond the default (name, masked NIK, 17+, validity). */
  reveal: readonly ClaimName[];
  /** The device's private key: non-extractable WebCrypto ECDSA P-256 in the PWA. */
  deviceKey: CryptoKey;
  /** Epoch ms; the presentation's issue time is its whole second. */
  now?: number;
  nonce?: Uint8Array;
}

/**
 * The device signs a 90-second presentation of its credential; returns the QR bytes (credential ‖ presentation).
 * Throws KtpFormatError('too_large') when the chosen disclosures would not fit the QR budget.
 */
export async function makePresentation(input: PresentInput): Promise<Uint8Array> {
  const credentialBytes = b64u.decode(input.held.credential);
  const credential: Credential = decodeCredential(credentialBytes);
  const disclosures: Disclosure[] = [];
  for (const claim of DISCLOSABLE) {
    if (!input.reveal.includes(claim)) continue;
    const stored = input.held.disclosures[claim];
    if (!stored) throw new RangeError(`no disclosure stored for ${claim}`);
    const d = decodeDisclosure(claim, b64u.decode(stored));
    // A stale copy would give checkers a QR they must refuse; better to fail here.
    if (!equalDigest(await claimDigest(claim, d.salt, d.value), credential.digests[claim])) throw new RangeError(`stored ${claim} does not match the credential`);
    disclosures.push(d);
  }
  const nonce = input.nonce ?? crypto.getRandomValues(new Uint8Array(NONCE_BYTES));
  const body = encodePresentationBody(Math.floor((input.now ?? Date.now()) / 1000), nonce, disclosures);
  const total = credentialBytes.length + body.length + SIGNATURE_BYTES;
  if (total > QR_BUDGET_BYTES) throw new KtpFormatError('too_large', `${total} bytes do not fit a version-15 QR (${QR_BUDGET_BYTES})`);
  const signature = await signJws(presentationHeader(), concat(await credentialHash(credentialBytes), body), input.deviceKey);
  return concat(credentialBytes, body, signature);
}
