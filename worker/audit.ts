/**
 * Appending to the audit log in the same D1 batch as the change it records. Each entry carries the writer's keyed
 * stamp; linking into the chain happens after the batch (worker/audit-seal.ts), so writers never contend for a head.
 */
import { type AuditKey, entryMac, parseAuditKeys } from './audit-chain';
import { insertAudit } from './db/audit';
import { workerEnv } from './ikd/env';

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

let parsed: { source: string; keys: AuditKey[] } | undefined;

/** The Worker's audit keys (AUDIT_KEYS secret, never in D1); the first stamps and seals. */
export function auditKeys(source = (workerEnv() as { AUDIT_KEYS?: string }).AUDIT_KEYS): AuditKey[] {
  const hit = parsed;
  if (hit && hit.source === source) return hit.keys;
  const keys = parseAuditKeys(source);
  parsed = { source: source ?? '', keys };
  return keys;
}

/** Builds the stamped audit inserts for `entries`; they go into the caller's batch. */
export async function auditStatements(db: D1Database, entries: AuditEntry[], now = new Date()): Promise<D1PreparedStatement[]> {
  const key = auditKeys()[0]!;
  return Promise.all(
    entries.map(async (e) => {
      const fields = {
        at: now.toISOString(),
        actor: e.actor,
        action: e.action,
        object: e.object,
        ip: e.ip ?? null,
        detail_json: JSON.stringify(redact(e.detail ?? {})),
      };
      return insertAudit(db, { ...fields, key_id: key.kid, mac: await entryMac(key, fields) }, e.guard);
    }),
  );
}

/**
 * Runs `build()`'s statements plus the audit entries as one batch: no change without its entry, and no retry loop,
 * since no shared head is read first.
 * @example await withAudit(db, [{ actor: 'staff:1', action: 'staff.create', object: 'user:2' }], async () => [insertUser])
 */
export async function withAudit(
  db: D1Database,
  entries: AuditEntry[],
  build: () => Promise<D1PreparedStatement[]> | D1PreparedStatement[],
): Promise<D1Result[]> {
  const [statements, audit] = await Promise.all([build(), auditStatements(db, entries)]);
  return db.batch([...statements, ...audit]);
}
