/**
 * Sealing and anchoring the audit log, off the write path: the sealer links stamped entries into the keyed chain
 * in seq order (right after a write, and from the cron); checkpoints of the sealed head are signed with the office
 * key and kept in R2, outside the database they protect. `verifyAudit` checks all of it.
 */
import { CompactSign, compactVerify, createLocalJWKSet, type JWK } from 'jose';
import { type AuditKey, type AuditRow, type ChainReport, type Checkpoint, GENESIS_HASH, LEGACY_MAC, entryMac, linkHash, verifyChain } from './audit-chain';
import { auditPage, sealEntries, sealedHead, unsealedTail } from './db/audit';
import { officeKeys, SIGNING_ALG } from './keys';

const CHECKPOINT_TYP = 'loket-audit-checkpoint';
const PREFIX = 'audit/checkpoints/';
const LATEST = 'audit/latest.json';
/** Entries linked per round trip pair (read the tail, write the seals); a batch holds one UPDATE per entry. */
const SEAL_PAGE = 200;
const SEAL_ROUNDS_MAX = 50;

export interface AnchorEnv {
  DB: D1Database;
  AUDIT_ANCHORS: R2Bucket;
  OFFICE_SIGNING_KEYS?: string;
}

const pad = (seq: number) => String(seq).padStart(12, '0');

export type SealOutcome = { sealed: number; stoppedAt?: { seq: number; reason: 'entry_mac_mismatch' | 'unknown_key' } };

/**
 * Links every unsealed entry, in seq order. Two sealers running at once compute the same values and the loser's
 * guarded updates change nothing. An entry whose stamp does not verify is never sealed: the chain stops there,
 * an error is logged, and `verifyAudit` names it.
 */
export async function sealAudit(db: D1Database, keys: AuditKey[], opts: { legacyAllowed: () => Promise<boolean> }): Promise<SealOutcome> {
  const sealKey = keys[0]!;
  const byKid = new Map(keys.map((k) => [k.kid, k]));
  let sealed = 0;
  for (let round = 0; round < SEAL_ROUNDS_MAX; round++) {
    const { head, rows } = await unsealedTail(db, SEAL_PAGE);
    if (!rows.length) return { sealed };
    let prev = head?.hash ?? GENESIS_HASH;
    const links: { seq: number; prevHash: string; hash: string }[] = [];
    let stop: SealOutcome['stoppedAt'];
    for (const row of rows) {
      const problem = await stampProblem(row, byKid, opts.legacyAllowed);
      if (problem) {
        stop = { seq: row.seq, reason: problem };
        break;
      }
      const linkWith = row.key_id === LEGACY_MAC ? sealKey : byKid.get(row.key_id)!;
      const hash = await linkHash(linkWith, row.seq, prev, row.mac);
      links.push({ seq: row.seq, prevHash: prev, hash });
      prev = hash;
    }
    if (links.length) await sealEntries(db, links).run();
    sealed += links.length;
    if (stop) {
      console.error(JSON.stringify({ level: 'error', event: 'audit_seal_stopped', seq: stop.seq, reason: stop.reason }));
      return { sealed, stoppedAt: stop };
    }
  }
  return { sealed };
}

async function stampProblem(row: AuditRow, byKid: Map<string, AuditKey>, legacyAllowed: () => Promise<boolean>) {
  if (row.key_id === LEGACY_MAC && row.mac === LEGACY_MAC) return (await legacyAllowed()) ? undefined : ('entry_mac_mismatch' as const);
  const key = byKid.get(row.key_id);
  if (!key) return 'unknown_key' as const;
  return (await entryMac(key, row)) === row.mac ? undefined : ('entry_mac_mismatch' as const);
}

/** Legacy entries (from before keyed stamps) are sealed only while no checkpoint exists: the first run after the migration. */
export function legacyAllowedBy(bucket: R2Bucket): () => Promise<boolean> {
  let answer: Promise<boolean> | undefined;
  return () => (answer ??= bucket.get(LATEST).then((o) => o === null));
}

/**
 * Signs the sealed head as a checkpoint in R2 unless the latest one already covers it.
 * @example await checkpointAudit(env) // { seq: 812, hash: '…', key: 'audit/checkpoints/000000000812.jws' }
 */
export async function checkpointAudit(env: AnchorEnv, now = Date.now()): Promise<(Checkpoint & { key: string; created: boolean }) | null> {
  const head = await sealedHead(env.DB);
  if (!head) return null;
  const latest = (await (await env.AUDIT_ANCHORS.get(LATEST))?.json<Checkpoint>()) ?? null;
  if (latest && latest.seq >= head.seq) return { ...latest, key: `${PREFIX}${pad(latest.seq)}.jws`, created: false };
  const cp: Checkpoint = { seq: head.seq, hash: head.hash, at: new Date(now).toISOString() };
  const { signing } = await officeKeys(env);
  const jws = await new CompactSign(new TextEncoder().encode(JSON.stringify(cp)))
    .setProtectedHeader({ alg: SIGNING_ALG, kid: signing.kid, typ: CHECKPOINT_TYP })
    .sign(signing.key);
  const key = `${PREFIX}${pad(cp.seq)}.jws`;
  await env.AUDIT_ANCHORS.put(key, jws, { httpMetadata: { contentType: 'application/jose' } });
  await env.AUDIT_ANCHORS.put(LATEST, JSON.stringify(cp), { httpMetadata: { contentType: 'application/json' } });
  return { ...cp, key, created: true };
}

/** Every checkpoint in R2 whose signature verifies with the office's public keys; a forged one is reported. */
export async function readCheckpoints(bucket: R2Bucket, jwks: { keys: JWK[] }): Promise<{ checkpoints: Checkpoint[]; invalid: string[] }> {
  const keySet = createLocalJWKSet(jwks);
  const checkpoints: Checkpoint[] = [];
  const invalid: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await bucket.list({ prefix: PREFIX, cursor, limit: 1000 });
    for (const obj of page.objects) {
      const body = await (await bucket.get(obj.key))?.text();
      try {
        const { payload, protectedHeader } = await compactVerify(body ?? '', keySet, { algorithms: [SIGNING_ALG] });
        if (protectedHeader.typ !== CHECKPOINT_TYP) throw new Error('typ');
        const cp = JSON.parse(new TextDecoder().decode(payload)) as Checkpoint;
        if (!Number.isInteger(cp.seq) || typeof cp.hash !== 'string' || obj.key !== `${PREFIX}${pad(cp.seq)}.jws`) throw new Error('shape');
        checkpoints.push(cp);
      } catch {
        invalid.push(obj.key);
      }
    }
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);
  return { checkpoints, invalid };
}

export type AuditVerification = (ChainReport | { ok: false; entries: number; brokenAt: 0; reason: 'invalid_checkpoint' }) & { invalidCheckpoints: string[] };

/** Verifies the whole log against the keys and every checkpoint; names the first broken entry. */
export async function verifyAudit(env: AnchorEnv, keys: AuditKey[]): Promise<AuditVerification> {
  const { jwks } = await officeKeys(env);
  const { checkpoints, invalid } = await readCheckpoints(env.AUDIT_ANCHORS, jwks);
  const report = await verifyChain(pages(env.DB), keys, checkpoints);
  // A checkpoint that does not verify is tampering outside D1: the log is not proven, even if its links hold.
  if (report.ok && invalid.length) return { ok: false, entries: report.entries, brokenAt: 0, reason: 'invalid_checkpoint', invalidCheckpoints: invalid };
  return { ...report, invalidCheckpoints: invalid };
}

/** The log in pages of 1,000, so a large log is never one giant result. */
async function* pages(db: D1Database): AsyncGenerator<AuditRow> {
  let after = 0;
  for (;;) {
    const page = await auditPage(db, after, 1000);
    if (!page.length) return;
    yield* page;
    after = page.at(-1)!.seq;
  }
}
