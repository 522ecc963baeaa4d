/** SQL of the audit log: append stamped entries (optionally guarded by a case stamp), read the unsealed tail, seal it. */
import type { AuditRow } from '../audit-chain';

type NewEntry = Omit<AuditRow, 'seq' | 'prev_hash' | 'hash'>;

export function insertAudit(db: D1Database, r: NewEntry, guard?: { caseId: string; commandId: string }): D1PreparedStatement {
  const cols = 'at, actor, action, object, ip, detail_json, key_id, mac';
  const vals = [r.at, r.actor, r.action, r.object, r.ip, r.detail_json, r.key_id, r.mac];
  if (!guard) return db.prepare(`INSERT INTO audit_log (${cols}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`).bind(...vals);
  return db
    .prepare(`INSERT INTO audit_log (${cols}) SELECT ?, ?, ?, ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM cases WHERE id = ? AND last_command_id = ?)`)
    .bind(...vals, guard.caseId, guard.commandId);
}

/**
 * The last sealed entry before the unsealed tail, then up to `limit` unsealed entries in seq order.
 * Sealing goes in seq order, so the tail starts right after the sealed prefix.
 */
export async function unsealedTail(db: D1Database, limit: number): Promise<{ head: AuditRow | null; rows: AuditRow[] }> {
  const first = await db.prepare('SELECT MIN(seq) AS seq FROM audit_log WHERE hash IS NULL').first<{ seq: number | null }>();
  if (first?.seq == null) return { head: null, rows: [] };
  const { results } = await db
    .prepare('SELECT * FROM audit_log WHERE seq >= ? ORDER BY seq LIMIT ?')
    .bind(first.seq - 1, limit + 1)
    .all<AuditRow>();
  const head = results[0]?.seq === first.seq - 1 ? results.shift()! : null;
  return { head, rows: results.filter((r) => r.hash === null) };
}

/**
 * Seals a run of entries in one statement (one bound value: the links as JSON); an entry another sealer got to
 * first is left alone (both compute the same values).
 */
export function sealEntries(db: D1Database, links: { seq: number; prevHash: string; hash: string }[]): D1PreparedStatement {
  return db
    .prepare(
      `UPDATE audit_log SET prev_hash = json_extract(j.value, '$.p'), hash = json_extract(j.value, '$.h')
       FROM json_each(?) AS j WHERE audit_log.seq = json_extract(j.value, '$.s') AND audit_log.hash IS NULL`,
    )
    .bind(JSON.stringify(links.map((l) => ({ s: l.seq, p: l.prevHash, h: l.hash }))));
}

/** The newest sealed entry: what a checkpoint pins. */
export function sealedHead(db: D1Database): Promise<{ seq: number; hash: string } | null> {
  return db.prepare('SELECT seq, hash FROM audit_log WHERE hash IS NOT NULL ORDER BY seq DESC LIMIT 1').first<{ seq: number; hash: string }>();
}

/** Rows in seq order, a page at a time (verification walks the whole log without holding it all at once). */
export async function auditPage(db: D1Database, afterSeq: number, limit: number): Promise<AuditRow[]> {
  const { results } = await db.prepare('SELECT * FROM audit_log WHERE seq > ? ORDER BY seq LIMIT ?').bind(afterSeq, limit).all<AuditRow>();
  return results;
}

export async function allAuditRows(db: D1Database): Promise<AuditRow[]> {
  const out: AuditRow[] = [];
  for (let page = await auditPage(db, 0, 1000); page.length; page = await auditPage(db, page.at(-1)!.seq, 1000)) out.push(...page);
  return out;
}
