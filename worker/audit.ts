/**
 * Appending to the hash-chained audit log in the same D1 batch as the change it records.
 * A concurrent writer that took the same chain head makes the batch fail on UNIQUE(prev_hash); `withAudit` retries.
 */
import { auditHash } from './audit-chain';
import { chainHead, insertAudit } from './db/audit';

export interface AuditEntry {
  /** "staff:<id>", "resident:<masked nik>" or "system" */
  actor: string;
  action: string;
  /** "case:<id>", "user:<id>", … */
  object: string;
  ip?: string | null;
  detail?: Record<string, unknown>;
  /** Write only if the engine's guarded case update happened in the same batch. */
  guard?: { caseId: string; commandId: string };
}

/** Replaces any 16-digit run (NIK, KK number) with a masked form: protected data never lands in the log in clear. */
export function redact(value: unknown): unknown {
  if (typeof value === 'string') return value.replace(/\d{16}/g, (d) => `${d.slice(0, 4)}********${d.slice(12)}`);
  if (Array.isArray(value)) return value.map(redact);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redact(v)]));
  return value;
}

/** Builds the audit statements for `entries`, chained from `head`, in order. */
export async function auditStatements(db: D1Database, head: string, entries: AuditEntry[], now = new Date()): Promise<D1PreparedStatement[]> {
  const out: D1PreparedStatement[] = [];
  let prev = head;
  for (const e of entries) {
    const fields = {
      at: now.toISOString(),
      actor: e.actor,
      action: e.action,
      object: e.object,
      ip: e.ip ?? null,
      detail_json: JSON.stringify(redact(e.detail ?? {})),
      prev_hash: prev,
    };
    const hash = await auditHash(fields);
    out.push(insertAudit(db, { ...fields, hash }, e.guard));
    // A guarded entry that is not written would break the chain for the next one, so guarded entries go last.
    prev = hash;
  }
  return out;
}

function isChainRace(err: unknown): boolean {
  return err instanceof Error && /UNIQUE constraint failed: audit_log\./.test(err.message);
}

/**
 * Runs `build(head)`'s statements plus the audit entries as one batch, retrying when another writer moved the chain.
 * @example await withAudit(db, [{ actor: 'staff:1', action: 'staff.create', object: 'user:2' }], async () => [insertUser])
 */
export async function withAudit(
  db: D1Database,
  entries: AuditEntry[],
  build: () => Promise<D1PreparedStatement[]> | D1PreparedStatement[],
  attempts = 5,
): Promise<D1Result[]> {
  for (let i = 1; ; i++) {
    const head = await chainHead(db);
    const statements = [...(await build()), ...(await auditStatements(db, head, entries))];
    try {
      return await db.batch(statements);
    } catch (err) {
      if (!isChainRace(err) || i >= attempts) throw err;
    }
  }
}
