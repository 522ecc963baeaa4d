/**
 * Checking a digital KTP, the same code in the checker PWA (offline, cached key and blocked lists), in the Worker
 * (online verify endpoint, live lists) and in Node (benchmarks). The clock, key set, blocked list and nonce memory
 * are injected. The answer is VALID or exactly one stable reason why not.
 */
import { type JWK, type JWSHeaderParameters, flattenedVerify, importJWK } from 'jose';
import { b64u, concat, equalBytes, KtpFormatError } from './bytes';
import {
  ALG_ES256,
  type ClaimName,
  type ClaimValues,
  CREDENTIAL_TYP,
  type Credential,
  PRESENTATION_TTL_SECONDS,
  PRESENTATION_TYP,
  type Presentation,
  claimDigest,
  decodeCredentialPayload,
  decodePresentationBody,
  decodeQrPayload,
} from './format';
import { decompressPoint, thumbprintOf } from './p256';
import { SIGNING_ALG, credentialHash, credentialHeader, encodeHeader, presentationHeader } from './sign';

/** Stable result codes: the checker screen, the API and tests branch on these. */
export const KTP_STATUSES = ['valid', 'expired', 'not_yet_valid', 'replayed', 'tampered', 'blocked', 'unknown_key', 'malformed'] as const;
export type KtpStatus = (typeof KTP_STATUSES)[number];

/** Finer reasons within a status, also stable. */
export type KtpReason =
  | 'ok'
  // malformed
  | 'not_ktp'
  | 'version'
  | 'truncated'
  | 'trailing_bytes'
  | 'bad_field'
  | 'too_large'
  // tampered
  | 'alg'
  | 'header'
  | 'typ'
  | 'kid_mismatch'
  | 'office_signature'
  | 'device_key'
  | 'credential_binding'
  | 'device_signature'
  | 'disclosure'
  // unknown_key
  | 'kid'
  // expired / not_yet_valid
  | 'credential'
  | 'presentation'
  // blocked
  | 'device'
  // replayed
  | 'nonce';

/** What a valid presentation shows: the defaults always, the rest only when the resident chose to reveal it. */
export interface DisclosedHolder {
  name: string;
  nikMasked: string;
  ageOver17: boolean;
  nik?: string;
  birthDate?: string;
  address?: ClaimValues['address'];
}

export interface KtpValid {
  status: 'valid';
  reason: 'ok';
  holder: DisclosedHolder;
  credential: { kid: string; officeCode: string; issuedAt: number; expiresAt: number; deviceThumbprint: string };
  presentation: { issuedAt: number; expiresAt: number };
}

export interface KtpRefused {
  status: Exclude<KtpStatus, 'valid'>;
  reason: KtpReason;
}

export type KtpCheck = KtpValid | KtpRefused;

/** Public office keys by kid, imported once. Built from a JWKS document (/.well-known/jwks.json). */
export class OfficeKeySet {
  private readonly byKid = new Map<string, JWK>();
  private readonly imported = new Map<string, Promise<CryptoKey>>();

  constructor(jwks: { keys: JWK[] }) {
    for (const k of jwks?.keys ?? []) {
      // Only P-256 signing keys for ES256 qualify; anything else in the document is ignored, never trusted.
      if (k.kty !== 'EC' || k.crv !== 'P-256' || typeof k.kid !== 'string' || !k.x || !k.y) continue;
      if (k.alg !== undefined && k.alg !== SIGNING_ALG) continue;
      if (k.use !== undefined && k.use !== 'sig') continue;
      this.byKid.set(k.kid, { kty: 'EC', crv: 'P-256', x: k.x, y: k.y });
    }
  }

  kids(): string[] {
    return [...this.byKid.keys()];
  }

  has(kid: string): boolean {
    return this.byKid.has(kid);
  }

  get(kid: string): Promise<CryptoKey> | undefined {
    const jwk = this.byKid.get(kid);
    if (!jwk) return undefined;
    let key = this.imported.get(kid);
    if (!key) {
      key = importJWK(jwk, SIGNING_ALG) as Promise<CryptoKey>;
      this.imported.set(kid, key);
    }
    return key;
  }
}

/** Thumbprints of devices whose credentials must not be honoured (blocked or released). */
export interface BlockedList {
  has(thumbprint: string): boolean | Promise<boolean>;
}

/**
 * The checker's memory of presentation nonces. `claim` records `key` and answers true when it was new, false when
 * it had been seen; it must be atomic (a Dexie add, a D1 INSERT … ON CONFLICT). `expiresAt` (epoch ms) says when
 * the entry may be forgotten: after it, the presentation is expired anyway.
 */
export interface NonceStore {
  claim(key: string, expiresAt: number): Promise<boolean>;
}

export interface VerifyContext {
  keys: OfficeKeySet;
  blocked: BlockedList;
  nonces: NonceStore;
  /** Epoch ms; injectable for tests and for the browser test's controlled clock. */
  now?: () => number;
  /**
   * Seconds a presentation or credential may look issued in the future (the phone's clock ahead of the checker's).
   * The 90-second life itself is strict: a presentation issued more than 90 s ago is expired.
   */
  clockToleranceSeconds?: number;
}

export const DEFAULT_CLOCK_TOLERANCE_SECONDS = 10;

/** The JWS form of a QR payload: two JWS Compact Serializations with explicit protected headers. */
export interface KtpJws {
  credential: string;
  presentation: string;
}

interface Parsed {
  credential: Credential;
  credentialHeader: string;
  presentation: Presentation;
  /** SHA-256(credential) ‖ presentation body: the presentation's JWS payload. */
  presentationPayload: Uint8Array;
  presentationHeader: string;
}

class Refusal extends Error {
  constructor(readonly check: KtpRefused) {
    super(`${check.status}: ${check.reason}`);
  }
}

function refuse(status: KtpRefused['status'], reason: KtpReason): never {
  throw new Refusal({ status, reason });
}

/** The QR bytes as compact JWS strings (what the online API also accepts). */
export async function toJws(qr: Uint8Array): Promise<KtpJws> {
  const { credential, credentialBytes, presentation } = decodeQrPayload(qr);
  const hash = await credentialHash(credentialBytes);
  return {
    credential: `${encodeHeader(credentialHeader(credential.kid))}.${b64u.encode(credential.payload)}.${b64u.encode(credential.signature)}`,
    presentation: `${encodeHeader(presentationHeader())}.${b64u.encode(concat(hash, presentation.body))}.${b64u.encode(presentation.signature)}`,
  };
}

async function parseQr(qr: Uint8Array): Promise<Parsed> {
  const { credential, credentialBytes, presentation } = decodeQrPayload(qr);
  if (credential.alg !== ALG_ES256) refuse('tampered', 'alg');
  return {
    credential,
    credentialHeader: encodeHeader(credentialHeader(credential.kid)),
    presentation,
    presentationPayload: concat(await credentialHash(credentialBytes), presentation.body),
    presentationHeader: encodeHeader(presentationHeader()),
  };
}

function splitJws(jws: string): [string, Uint8Array, Uint8Array, JWSHeaderParameters] {
  if (typeof jws !== 'string') throw new KtpFormatError('bad_field', 'JWS must be a string');
  const parts = jws.split('.');
  if (parts.length !== 3) throw new KtpFormatError('bad_field', 'JWS compact serialization has three parts');
  const [h, p, s] = parts as [string, string, string];
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(b64u.decode(h)));
  } catch {
    throw new KtpFormatError('bad_field', 'protected header is not JSON');
  }
  if (!header || typeof header !== 'object' || Array.isArray(header)) throw new KtpFormatError('bad_field', 'protected header is not an object');
  return [h, b64u.decode(p), b64u.decode(s), header as JWSHeaderParameters];
}

/**
 * The explicit headers of the JWS form are untrusted input: alg must be ES256, typ the expected one, and nothing
 * else may be there (no jwk/jku/x5u/x5c/crit/b64: the key always comes from our key set or the credential's cnf).
 */
function checkHeader(header: JWSHeaderParameters, typ: string, allowed: readonly string[]): void {
  if (header.alg !== SIGNING_ALG) refuse('tampered', 'alg');
  if (Object.keys(header).some((k) => !allowed.includes(k))) refuse('tampered', 'header');
  if (header.typ !== typ) refuse('tampered', 'typ');
}

async function parseJws(input: KtpJws, keys: OfficeKeySet): Promise<Parsed> {
  const [ch, cp, cs, cHeader] = splitJws(input.credential);
  checkHeader(cHeader, CREDENTIAL_TYP, ['alg', 'kid', 'typ']);
  if (typeof cHeader.kid !== 'string' || !keys.has(cHeader.kid)) refuse('unknown_key', 'kid');
  const credential = decodeCredentialPayload(cp, cs);
  if (credential.alg !== ALG_ES256) refuse('tampered', 'alg');
  if (credential.kid !== cHeader.kid) refuse('tampered', 'kid_mismatch');
  const [ph, pp, ps, pHeader] = splitJws(input.presentation);
  checkHeader(pHeader, PRESENTATION_TYP, ['alg', 'typ']);
  if (pp.length < 32) throw new KtpFormatError('truncated', 'presentation payload too short');
  const presentation = decodePresentationBody(pp.slice(32), ps);
  if (!equalBytes(pp.slice(0, 32), await credentialHash(concat(credential.payload, credential.signature)))) refuse('tampered', 'credential_binding');
  return { credential, credentialHeader: ch, presentation, presentationPayload: pp, presentationHeader: ph };
}

async function signatureHolds(header: string, payload: Uint8Array, signature: Uint8Array, key: CryptoKey | JWK): Promise<boolean> {
  try {
    await flattenedVerify({ protected: header, payload: b64u.encode(payload), signature: b64u.encode(signature) }, key, { algorithms: [SIGNING_ALG] });
    return true;
  } catch {
    return false;
  }
}

async function checkParsed(p: Parsed, ctx: VerifyContext): Promise<KtpValid> {
  const now = Math.floor((ctx.now ?? Date.now)() / 1000);
  const tolerance = ctx.clockToleranceSeconds ?? DEFAULT_CLOCK_TOLERANCE_SECONDS;
  const { credential: cred, presentation: pres } = p;

  // 1. The office vouches for the credential (signature first: a forged one is "tampered", whatever its dates).
  const officeKey = ctx.keys.get(cred.kid);
  if (!officeKey) refuse('unknown_key', 'kid');
  if (!(await signatureHolds(p.credentialHeader, cred.payload, cred.signature, await officeKey))) refuse('tampered', 'office_signature');

  // 2. The device named by the credential signed this presentation (bound to this exact credential by its hash).
  let deviceJwk: JWK;
  try {
    deviceJwk = decompressPoint(cred.devicePoint);
  } catch {
    refuse('tampered', 'device_key');
  }
  if (!(await signatureHolds(p.presentationHeader, p.presentationPayload, pres.signature, deviceJwk))) refuse('tampered', 'device_signature');

  // 3. Every revealed value is the one the office hashed.
  const holder: DisclosedHolder = { name: cred.name, nikMasked: cred.nikMasked, ageOver17: cred.ageOver17 };
  for (const d of pres.disclosures) {
    if (!equalBytes(await claimDigest(d.claim, d.salt, d.value as never), cred.digests[d.claim])) refuse('tampered', 'disclosure');
    (holder as Record<ClaimName, unknown>)[d.claim] = d.value;
  }

  // 4. Time: the credential's validity, then the presentation's strict 90 seconds.
  if (now > cred.expiresAt) refuse('expired', 'credential');
  if (cred.issuedAt > now + tolerance) refuse('not_yet_valid', 'credential');
  const presExpiresAt = pres.issuedAt + PRESENTATION_TTL_SECONDS;
  if (pres.issuedAt > now + tolerance) refuse('not_yet_valid', 'presentation');
  if (now > presExpiresAt) refuse('expired', 'presentation');

  // 5. A lost phone's device key is on the blocked list.
  const thumbprint = await thumbprintOf(deviceJwk);
  if (await ctx.blocked.has(thumbprint)) refuse('blocked', 'device');

  // 6. Last, so only genuine, current presentations use up memory: each nonce is good for one scan per checker.
  const nonceKey = `${thumbprint}.${b64u.encode(pres.nonce)}`;
  if (!(await ctx.nonces.claim(nonceKey, (presExpiresAt + tolerance) * 1000))) refuse('replayed', 'nonce');

  return {
    status: 'valid',
    reason: 'ok',
    holder,
    credential: { kid: cred.kid, officeCode: cred.officeCode, issuedAt: cred.issuedAt, expiresAt: cred.expiresAt, deviceThumbprint: thumbprint },
    presentation: { issuedAt: pres.issuedAt, expiresAt: presExpiresAt },
  };
}

/**
 * Checks a scanned QR (its bytes) or the JWS form of one.
 * @example const result = await verifyKtp(qrBytes, { keys: new OfficeKeySet(jwks), blocked: new Set(list), nonces })
 */
export async function verifyKtp(input: Uint8Array | KtpJws, ctx: VerifyContext): Promise<KtpCheck> {
  try {
    const parsed = input instanceof Uint8Array ? await parseQr(input) : await parseJws(input, ctx.keys);
    return await checkParsed(parsed, ctx);
  } catch (err) {
    if (err instanceof Refusal) return err.check;
    if (err instanceof KtpFormatError) return { status: 'malformed', reason: err.reason };
    throw err;
  }
}

/** A NonceStore in memory (tests, benchmarks, one-shot tools); expired entries are pruned as it goes. */
export class MemoryNonceStore implements NonceStore {
  private readonly seen = new Map<string, number>();
  constructor(private readonly now: () => number = Date.now) {}

  async claim(key: string, expiresAt: number): Promise<boolean> {
    const t = this.now();
    for (const [k, exp] of this.seen) if (exp < t) this.seen.delete(k);
    if (this.seen.has(key)) return false;
    this.seen.set(key, expiresAt);
    return true;
  }
}
