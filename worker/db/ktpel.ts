/** SQL of the KTP-el counter (migration 0060): the office's blank stock, written in the engine's batch with the case stamp. */
import type { Guard } from './cases';

const GUARD = 'EXISTS (SELECT 1 FROM cases WHERE id = ? AND last_command_id = ?)';

export interface BlankRow {
  office_code: string;
  serial: string;
  case_id: string;
  outcome: 'used' | 'spoiled';
  reason: string | null;
  note: string | null;
  actor_id: string;
  at: number;
}

/** Records a blank as used or spoiled, only if the case change it belongs to landed (a reused serial fails the batch). */
export function insertBlankIf(db: D1Database, guard: Guard, b: BlankRow): D1PreparedStatement {
  return db
    .prepare(`INSERT INTO ktpel_blanks (office_code, serial, case_id, outcome, reason, note, actor_id, at) SELECT ?, ?, ?, ?, ?, ?, ?, ? WHERE ${GUARD}`)
    .bind(b.office_code, b.serial, b.case_id, b.outcome, b.reason, b.note, b.actor_id, b.at, guard.caseId, guard.commandId);
}

export function findBlank(db: D1Database, officeCode: string, serial: string): Promise<BlankRow | null> {
  return db.prepare('SELECT * FROM ktpel_blanks WHERE office_code = ? AND serial = ?').bind(officeCode, serial).first<BlankRow>();
}

/** Used and spoiled blanks of an office in [from, to), with counts per spoil reason and the spoiled ones listed. */
export async function blankStock(db: D1Database, officeCode: string, from: number, to: number, limit = 500) {
  const [counts, spoiled] = await db.batch([
    db.prepare('SELECT outcome, reason, COUNT(*) AS n FROM ktpel_blanks WHERE office_code = ? AND at >= ? AND at < ? GROUP BY outcome, reason').bind(officeCode, from, to),
    db
      .prepare(`SELECT * FROM ktpel_blanks WHERE office_code = ? AND at >= ? AND at < ? AND outcome = 'spoiled' ORDER BY at DESC LIMIT ?`)
      .bind(officeCode, from, to, limit),
  ]);
  return { counts: (counts!.results ?? []) as { outcome: string; reason: string | null; n: number }[], spoiled: (spoiled!.results ?? []) as BlankRow[] };
}
