/**
 * The checker's offline state in IndexedDB: the office JWKS and the blocked-device list with when they were
 * fetched, refreshed whenever the network answers, and the nonces of presentations already accepted here.
 */
import type { JWK } from 'jose';
import type { KtpCheck, NonceStore } from '../../../../schema/ktp';
import { noteResponseDate, noteServerTime, serverNow } from '../../clock';
// The checkers' own small store, not the app's Dexie database: the first screen never loads Dexie.
import { claimNonce, getLists, putList } from './checker-idb';
import type { KtpListRecord } from './records';

export interface CheckerLists {
  jwks?: KtpListRecord & { value: { keys: JWK[] } };
  blocked?: KtpListRecord & { value: { thumbprints: string[]; generatedAt: number } };
}

export async function readLists(): Promise<CheckerLists> {
  const [jwks, blocked] = await getLists(['jwks', 'blocked']);
  return { jwks: jwks as CheckerLists['jwks'], blocked: blocked as CheckerLists['blocked'] };
}

async function getJson(path: string, timeoutMs = 15_000): Promise<unknown> {
  const sentAt = Date.now();
  const res = await fetch(path, { headers: { accept: 'application/json' }, cache: 'no-store', signal: AbortSignal.timeout(timeoutMs) });
  if (!res.ok) throw new Error(`${path} answered ${res.status}`);
  // The checker's own clock decides expired / not yet valid: every answer corrects it.
  noteResponseDate(res, sentAt);
  const body: unknown = await res.json();
  const generatedAt = (body as { generatedAt?: unknown }).generatedAt;
  if (typeof generatedAt === 'number') noteServerTime(generatedAt, sentAt, Date.now());
  return body;
}

/** Fetches the office keys and stores them when they arrived intact; throws when not (the old copy stays). */
export async function refreshKeys(now = () => Date.now()): Promise<void> {
  const jwks = await getJson('/.well-known/jwks.json');
  if (!Array.isArray((jwks as { keys?: unknown }).keys)) throw new Error('jwks without keys');
  await putList({ name: 'jwks', value: jwks, fetchedAt: now() });
}

/** Fetches the blocked-device list and stores it when it arrived intact; throws when not (the old copy stays). */
export async function refreshBlocked(now = () => Date.now(), timeoutMs = 15_000): Promise<void> {
  const value = (await getJson('/api/ktp/blocked', timeoutMs)) as { thumbprints?: unknown; generatedAt?: unknown };
  if (!Array.isArray(value.thumbprints) || typeof value.generatedAt !== 'number') throw new Error('blocked list malformed');
  await putList({ name: 'blocked', value, fetchedAt: now(), generatedAt: value.generatedAt });
}

/** Fetches both lists and stores each one that arrived intact; throws when either failed (the old copy stays). */
export async function refreshLists(now = () => Date.now()): Promise<void> {
  const [jwks, blocked] = await Promise.allSettled([refreshKeys(now), refreshBlocked(now)]);
  if (jwks.status === 'rejected' || blocked.status === 'rejected') throw new Error('list refresh failed');
}

/** Seen nonces in the checkers' store: recording fails on a nonce already there, so check-and-record is one step. */
export const checkerNonces: NonceStore = {
  // expiresAt is on the server's clock: so is the purge, or a fast device clock would forget nonces still valid.
  claim: (key, expiresAt) => claimNonce(key, expiresAt, serverNow()),
};

/**
 * Verifies scanned bytes with the stored lists (no network), on the server's clock as last learned. The verifier
 * (jose, the byte format) loads at the first scan, not with the checker's first screen.
 */
export async function checkScanned(bytes: Uint8Array, lists: CheckerLists): Promise<KtpCheck> {
  const { OfficeKeySet, verifyKtp } = await import('../../../../schema/ktp/verify');
  type BlockedList = import('../../../../schema/ktp/verify').BlockedList;
  const keys = new OfficeKeySet(lists.jwks?.value ?? { keys: [] });
  const blockedSet = new Set(lists.blocked?.value.thumbprints ?? []);
  const blocked: BlockedList = { has: (t) => blockedSet.has(t) };
  return verifyKtp(bytes, { keys, blocked, nonces: checkerNonces, now: serverNow });
}
