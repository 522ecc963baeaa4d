/**
 * The audit log's hash chain, pure WebCrypto so the worker and the `audit:verify` script (Node) share it.
 * Each entry's hash is SHA-256 over the previous hash and the entry's own fields.
 */

export const GENESIS_HASH = '0'.repeat(64);

export interface AuditRow {
  seq: number;
  at: string;
  actor: string;
  action: string;
  object: string;
  ip: string | null;
  detail_json: string;
  prev_hash: string;
  hash: string;
}

export type AuditFields = Omit<AuditRow, 'seq' | 'hash'>;

export async function auditHash(f: AuditFields): Promise<string> {
  const canonical = JSON.stringify([f.prev_hash, f.at, f.actor, f.action, f.object, f.ip ?? null, f.detail_json]);
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(canonical));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

export type ChainReport =
  | { ok: true; entries: number; head: string }
  | { ok: false; entries: number; brokenAt: number; reason: 'prev_hash_mismatch' | 'hash_mismatch' };

/**
 * Walks rows in seq order and reports the first broken link.
 * @example await verifyChain(rows) // { ok: false, brokenAt: 17, reason: 'hash_mismatch' }
 */
export async function verifyChain(rows: Iterable<AuditRow>): Promise<ChainReport> {
  let prev = GENESIS_HASH;
  let n = 0;
  for (const row of rows) {
    if (row.prev_hash !== prev) return { ok: false, entries: n, brokenAt: row.seq, reason: 'prev_hash_mismatch' };
    if ((await auditHash(row)) !== row.hash) return { ok: false, entries: n, brokenAt: row.seq, reason: 'hash_mismatch' };
    prev = row.hash;
    n++;
  }
  return { ok: true, entries: n, head: prev };
}
