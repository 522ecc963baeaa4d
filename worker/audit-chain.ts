/**
 * The audit log's tamper evidence, pure WebCrypto so the Worker and `npm run audit:verify` (Node) share it.
 *
 * Two keyed layers, both HMAC-SHA256 with a secret that never lives in D1 (AUDIT_KEYS):
 * - the writer stamps each entry with `mac` over its own fields, inside the batch that makes the change
 *   (no read of any shared head, so writers never contend);
 * - the sealer links entries in `seq` order afterwards: hash = HMAC(seq, prev_hash, mac).
 * Signed checkpoints of (seq, hash), kept outside D1, pin the chain so a truncated tail is seen too.
 */

export const GENESIS_HASH = '0'.repeat(64);
/** Entries carried over from the unkeyed chain of migration 0001; see docs/architecture.md "Audit log". */
export const LEGACY_MAC = 'legacy';

export interface AuditRow {
  seq: number;
  at: string;
  actor: string;
  action: string;
  object: string;
  ip: string | null;
  detail_json: string;
  key_id: string;
  mac: string;
  prev_hash: string | null;
  hash: string | null;
}

export type AuditFields = Pick<AuditRow, 'at' | 'actor' | 'action' | 'object' | 'ip' | 'detail_json'>;

export interface AuditKey {
  kid: string;
  /** base64url of at least 32 random bytes */
  secret: string;
}

/** The configured keys (AUDIT_KEYS, a JSON array); the first one stamps and seals new entries. */
export function parseAuditKeys(source: string | undefined): AuditKey[] {
  if (!source) throw new Error('AUDIT_KEYS is not configured');
  const list = JSON.parse(source) as AuditKey[];
  if (!Array.isArray(list) || list.length === 0) throw new Error('AUDIT_KEYS must be a non-empty JSON array of {kid, secret}');
  for (const k of list) {
    if (typeof k.kid !== 'string' || !k.kid || k.kid === LEGACY_MAC) throw new Error('each audit key needs a kid');
    if (typeof k.secret !== 'string' || fromB64url(k.secret).length < 32) throw new Error(`audit key ${k.kid}: secret must be ≥ 32 bytes, base64url`);
  }
  return list;
}

function fromB64url(s: string): Uint8Array {
  const b64 = s.replace(/-/g, '+').replace(/_/g, '/');
  const bin = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

const keyCache = new Map<string, Promise<CryptoKey>>();

function hmacKey(k: AuditKey): Promise<CryptoKey> {
  const id = `${k.kid}:${k.secret}`;
  let key = keyCache.get(id);
  if (!key) {
    key = crypto.subtle.importKey('raw', fromB64url(k.secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
    keyCache.set(id, key);
  }
  return key;
}

async function hmacHex(k: AuditKey, parts: unknown[]): Promise<string> {
  const sig = await crypto.subtle.sign('HMAC', await hmacKey(k), new TextEncoder().encode(JSON.stringify(parts)));
  return [...new Uint8Array(sig)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** The writer's stamp over an entry's own fields. */
export function entryMac(k: AuditKey, f: AuditFields): Promise<string> {
  return hmacHex(k, ['entry', f.at, f.actor, f.action, f.object, f.ip ?? null, f.detail_json]);
}

/** The sealer's link: binds the entry's position and stamp to everything before it. */
export function linkHash(k: AuditKey, seq: number, prevHash: string, mac: string): Promise<string> {
  return hmacHex(k, ['link', seq, prevHash, mac]);
}

/** A checkpoint's content, signed with the office key and kept outside D1. */
export interface Checkpoint {
  seq: number;
  hash: string;
  at: string;
}

export type BreakReason =
  | 'seq_gap' // an entry is missing (deleted) or the numbering was changed
  | 'entry_mac_mismatch' // the entry's fields were edited, or it was inserted without the key
  | 'prev_hash_mismatch' // the chain was cut or re-linked
  | 'hash_mismatch' // the link was forged
  | 'unknown_key' // stamped with a key the verifier does not have
  | 'sealed_after_unsealed' // a sealed entry follows an unsealed one
  | 'checkpoint_mismatch' // the entry a checkpoint pins has another hash (re-chained or rewritten)
  | 'truncated'; // a checkpoint covers entries that are gone

export type ChainReport =
  | { ok: true; entries: number; sealed: number; head: string; checkpoints: number }
  | { ok: false; entries: number; brokenAt: number; reason: BreakReason };

/**
 * Walks rows in seq order and names the first broken entry; rows after the sealed prefix may be unsealed
 * (the sealer has not reached them yet) but must carry a valid stamp.
 * @example await verifyChain(rows, keys, checkpoints) // { ok: false, brokenAt: 17, reason: 'entry_mac_mismatch' }
 */
export async function verifyChain(rows: Iterable<AuditRow> | AsyncIterable<AuditRow>, keys: AuditKey[], checkpoints: Checkpoint[] = []): Promise<ChainReport> {
  const byKid = new Map(keys.map((k) => [k.kid, k]));
  const sorted = [...checkpoints].sort((a, b) => a.seq - b.seq);
  // Legacy (pre-keyed) entries are accepted only up to the first checkpoint, which the first sealer run made.
  const legacyLimit = sorted[0]?.seq ?? 0;
  const pinned = new Map(sorted.map((c) => [c.seq, c.hash]));
  let prev = GENESIS_HASH;
  let expectedSeq = 1;
  let n = 0;
  let sealed = 0;
  let unsealedSeen = false;
  const broken = (seq: number, reason: BreakReason): ChainReport => ({ ok: false, entries: n, brokenAt: seq, reason });

  for await (const row of rows) {
    if (row.seq !== expectedSeq) return broken(expectedSeq, 'seq_gap');
    const legacy = row.mac === LEGACY_MAC && row.key_id === LEGACY_MAC;
    const key = byKid.get(row.key_id);
    if (legacy) {
      if (row.seq > legacyLimit) return broken(row.seq, 'entry_mac_mismatch');
    } else {
      if (!key) return broken(row.seq, 'unknown_key');
      if ((await entryMac(key, row)) !== row.mac) return broken(row.seq, 'entry_mac_mismatch');
    }
    if (row.hash === null) {
      unsealedSeen = true;
      if (pinned.has(row.seq)) return broken(row.seq, 'checkpoint_mismatch');
    } else {
      if (unsealedSeen) return broken(row.seq, 'sealed_after_unsealed');
      if (row.prev_hash !== prev) return broken(row.seq, 'prev_hash_mismatch');
      // Legacy entries are linked with the sealing key of the day: the newest configured one that verifies.
      const linkKey = legacy ? await findLinkKey(keys, row) : key;
      if (!linkKey || (await linkHash(linkKey, row.seq, row.prev_hash, row.mac)) !== row.hash) return broken(row.seq, 'hash_mismatch');
      const pin = pinned.get(row.seq);
      if (pin !== undefined && pin !== row.hash) return broken(row.seq, 'checkpoint_mismatch');
      prev = row.hash;
      sealed++;
    }
    expectedSeq++;
    n++;
  }
  const last = sorted.at(-1);
  if (last && last.seq >= expectedSeq) return broken(expectedSeq, 'truncated');
  return { ok: true, entries: n, sealed, head: prev, checkpoints: sorted.length };
}

async function findLinkKey(keys: AuditKey[], row: AuditRow): Promise<AuditKey | undefined> {
  for (const k of keys) if ((await linkHash(k, row.seq, row.prev_hash!, row.mac)) === row.hash) return k;
  return undefined;
}
