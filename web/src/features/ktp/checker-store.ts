/**
 * The checker's offline state in IndexedDB: the office JWKS and the blocked-device list with when they were
 * fetched, refreshed whenever the network answers, and the nonces of presentations already accepted here.
 */
import type { JWK } from 'jose';
import type { KtpCheck, NonceStore } from '../../../../schema/ktp';
import { noteResponseDate, noteServerTime, serverNow } from '../../clock';
// Dexie loads after the checker's first paint: the page's text does not wait for IndexedDB code.
const database = async () => (await import('../../db')).db;
import type { KtpListRecord } from './records';

export interface CheckerLists {
  jwks?: KtpListRecord & { value: { keys: JWK[] } };
  blocked?: KtpListRecord & { value: { thumbprints: string[]; generatedAt: number } };
}

export async function readLists(): Promise<CheckerLists> {
  const db = await database();
  const [jwks, blocked] = await Promise.all([db.ktpLists.get('jwks'), db.ktpLists.get('blocked')]);
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
  await (await database()).ktpLists.put({ name: 'jwks', value: jwks, fetchedAt: now() });
}

/** Fetches the blocked-device list and stores it when it arrived intact; throws when not (the old copy stays). */
export async function refreshBlocked(now = () => Date.now(), timeoutMs = 15_000): Promise<void> {
  const value = (await getJson('/api/ktp/blocked', timeoutMs)) as { thumbprints?: unknown; generatedAt?: unknown };
  if (!Array.isArray(value.thumbprints) || typeof value.generatedAt !== 'number') throw new Error('blocked list malformed');
  await (await database()).ktpLists.put({ name: 'blocked', value, fetchedAt: now(), generatedAt: value.generatedAt });
}

/** Fetches both lists and stores each one that arrived intact; throws when either failed (the old copy stays). */
export async function refreshLists(now = () => Date.now()): Promise<void> {
  const [jwks, blocked] = await Promise.allSettled([refreshKeys(now), refreshBlocked(now)]);
  if (jwks.status === 'rejected' || blocked.status === 'rejected') throw new Error('list refresh failed');
}

/** Seen nonces in Dexie: `add` fails on a key already there, which makes check-and-record one atomic step. */
export const dexieNonces: NonceStore = {
  async claim(key, expiresAt) {
    // expiresAt is on the server's clock: so is the purge, or a fast device clock would forget nonces still valid.
    const now = serverNow();
    const db = await database();
    await db.ktpNonces.where('expiresAt').below(now).delete();
    try {
      await db.ktpNonces.add({ key, expiresAt });
      return true;
    } catch (err) {
      if (err instanceof Error && err.name === 'ConstraintError') return false;
      throw err;
    }
  },
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
  return verifyKtp(bytes, { keys, blocked, nonces: dexieNonces, now: serverNow });
}
