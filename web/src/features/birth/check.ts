/**
 * Checking a birth-certificate QR on this device, offline too: the office keys cached for the digital-KTP checker
 * and the office's signed revocation list cached here (its signature checked with the same keys, its age shown), both
 * in the checkers' own small store (features/ktp/checker-idb.ts), so `/v/akta` and `/cek` never load Dexie.
 */
import { type JWK, createLocalJWKSet, jwtVerify } from 'jose';
import { type CertificateCheck, type RevocationList, decodeCertificateQr, verifyCertificateQr } from '../../../../schema/birth-qr';
import { getList, putList } from '../ktp/checker-idb';

const crlKey = (office: string) => `crl:${office}`;

async function cachedKeys(): Promise<JWK[]> {
  const row = await getList('jwks');
  return ((row?.value as { keys?: JWK[] } | undefined)?.keys) ?? [];
}

/** Fetches and caches the office's revocation list, keeping it only if the office keys verify it. */
export async function refreshRevocations(officeCode: string, issuer = location.origin): Promise<void> {
  const res = await fetch(`/api/birth/revocations/${encodeURIComponent(officeCode)}`, { cache: 'no-store' });
  if (!res.ok) throw new Error(`revocation list: ${res.status}`);
  const { token } = (await res.json()) as { token: string };
  const { payload } = await jwtVerify(token, createLocalJWKSet({ keys: await cachedKeys() }), { algorithms: ['ES256'], typ: 'birth-crl+jwt', audience: 'loket:birth-crl', issuer });
  if (payload.off !== officeCode || !Array.isArray(payload.revoked)) throw new Error('revocation list of another office');
  const list: RevocationList = { officeCode, revoked: payload.revoked as string[], issuedAt: (payload.iat ?? 0) * 1000 };
  await putList({ name: crlKey(officeCode), value: list, fetchedAt: Date.now() });
}

export async function cachedRevocations(officeCode: string): Promise<{ list: RevocationList; fetchedAt: number } | undefined> {
  const row = await getList(crlKey(officeCode));
  return row ? { list: row.value as RevocationList, fetchedAt: row.fetchedAt } : undefined;
}

export interface BirthCheckResult {
  check: CertificateCheck;
  /** when the revocation list used was fetched; undefined when this device has none for that office */
  listFetchedAt?: number;
}

/** Verifies QR bytes; online it first refreshes that office's revocation list (failures fall back to the cache). */
export async function checkBirthQr(bytes: Uint8Array): Promise<BirthCheckResult> {
  let office: string | undefined;
  try {
    office = decodeCertificateQr(bytes).claims.officeCode;
  } catch {
    office = undefined;
  }
  if (office && navigator.onLine) await refreshRevocations(office).catch(() => undefined);
  const cached = office ? await cachedRevocations(office) : undefined;
  const check = await verifyCertificateQr(bytes, { keys: { keys: await cachedKeys() }, revoked: cached?.list ?? null });
  return { check, listFetchedAt: cached?.fetchedAt };
}
