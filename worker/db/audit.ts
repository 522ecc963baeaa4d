/** SQL of the audit log: read the chain head, append entries (optionally guarded by a case stamp), read rows. */
import { type AuditRow, GENESIS_HASH } from '../audit-chain';

export async function chainHead(db: D1Database): Promise<string> {
  const row = await db.prepare('SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1').first<{ hash: string }>();
  return row?.hash ?? GENESIS_HASH;
}

export function insertAudit(db: D1Database, r: Omit<AuditRow, 'seq'>, guard?: { caseId: string; commandId: string }): D1PreparedStatement {
  const cols = 'at, actor, action, object, ip, detail_json, prev_hash, hash';
  const vals = [r.at, r.actor, r.action, r.object, r.ip, r.detail_json, r.prev_hash, r.hash];
  if (!guard) return db.prepare(`INSERT INTO audit_log (${cols}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`).bind(...vals);
  return db
    .prepare(`INSERT INTO audit_log (${cols}) SELECT ?, ?, ?, ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM cases WHERE id = ? AND last_command_id = ?)`)
    .bind(...vals, guard.caseId, guard.commandId);
}

export async function allAuditRows(db: D1Database): Promise<AuditRow[]> {
  const { results } = await db.prepare('SELECT * FROM audit_log ORDER BY seq').all<AuditRow>();
  return results;
}
