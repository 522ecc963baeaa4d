/** SQL of cases, their steps, the change feed and the command log; every write after the case row is guarded by its stamp. */

export interface CaseRow {
  id: string;
  service: string;
  office_code: string;
  state: string;
  version: number;
  resident_nik: string | null;
  data_json: string;
  step_started_at: number;
  created_by: string;
  created_at: number;
  updated_at: number;
  last_command_id: string;
}

export interface StepRow {
  version: number;
  action: string;
  from_state: string | null;
  to_state: string;
  actor_id: string;
  at: number;
}

export interface StepWithActor extends StepRow {
  input_json: string;
  actor_name: string | null;
}

export interface CommandRow {
  id: string;
  subject_id: string;
  status: 'applied' | 'conflict' | 'rejected';
  result_json: string;
}

export type Guard = { caseId: string; commandId: string };
const GUARD = 'WHERE EXISTS (SELECT 1 FROM cases WHERE id = ? AND last_command_id = ?)';

export function getCase(db: D1Database, id: string): Promise<CaseRow | null> {
  return db.prepare('SELECT * FROM cases WHERE id = ?').bind(id).first<CaseRow>();
}

/** A case's steps in order, with the staff member's display name where the actor is staff. */
export async function getSteps(db: D1Database, caseId: string): Promise<StepWithActor[]> {
  const { results } = await db
    .prepare(
      `SELECT s.version, s.action, s.from_state, s.to_state, s.actor_id, s.at, s.input_json, u.display_name AS actor_name
       FROM case_steps s LEFT JOIN users u ON s.actor_id = 'staff:' || u.id
       WHERE s.case_id = ? ORDER BY s.version`,
    )
    .bind(caseId)
    .all<StepWithActor>();
  return results;
}

/** Many cases by id in one statement (one JSON parameter, whatever the count). */
export async function getCases(db: D1Database, ids: readonly string[]): Promise<Map<string, CaseRow>> {
  if (!ids.length) return new Map();
  const { results } = await db.prepare('SELECT * FROM cases WHERE id IN (SELECT value FROM json_each(?))').bind(JSON.stringify([...new Set(ids)])).all<CaseRow>();
  return new Map(results.map((r) => [r.id, r]));
}

/** Creates the case unless its id exists: `meta.changes === 0` then tells the engine another writer was first. */
export function insertCaseIfNew(db: D1Database, c: CaseRow): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO cases (id, service, office_code, state, version, resident_nik, data_json, step_started_at, created_by, created_at, updated_at, last_command_id)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
    )
    .bind(c.id, c.service, c.office_code, c.state, c.version, c.resident_nik, c.data_json, c.step_started_at, c.created_by, c.created_at, c.updated_at, c.last_command_id);
}

/** The version-guarded state change; `meta.changes === 0` after the batch means another writer won. */
export function updateCaseIfVersion(
  db: D1Database,
  id: string,
  baseVersion: number,
  next: { state: string; data_json: string; step_started_at: number; updated_at: number; last_command_id: string },
): D1PreparedStatement {
  return db
    .prepare(
      `UPDATE cases SET state = ?, version = version + 1, data_json = ?, step_started_at = ?, updated_at = ?, last_command_id = ?
       WHERE id = ? AND version = ?`,
    )
    .bind(next.state, next.data_json, next.step_started_at, next.updated_at, next.last_command_id, id, baseVersion);
}

export function insertStepIf(db: D1Database, g: Guard, s: StepRow & { input_json: string }): D1PreparedStatement {
  return db
    .prepare(`INSERT INTO case_steps (case_id, version, action, from_state, to_state, actor_id, at, input_json) SELECT ?, ?, ?, ?, ?, ?, ?, ? ${GUARD}`)
    .bind(g.caseId, s.version, s.action, s.from_state, s.to_state, s.actor_id, s.at, s.input_json, g.caseId, g.commandId);
}

export function insertChangeIf(db: D1Database, g: Guard, ch: { office_code: string; resident_nik: string | null; version: number; at: number }): D1PreparedStatement {
  return db
    .prepare(`INSERT INTO changes (case_id, office_code, resident_nik, version, at) SELECT ?, ?, ?, ?, ? ${GUARD}`)
    .bind(g.caseId, ch.office_code, ch.resident_nik, ch.version, ch.at, g.caseId, g.commandId);
}

export function getCommand(db: D1Database, id: string): Promise<CommandRow | null> {
  return db.prepare('SELECT id, subject_id, status, result_json FROM commands WHERE id = ?').bind(id).first<CommandRow>();
}

/** The command log rows of many command ids at once. */
/** What a push names, read in one round trip: the commands already answered and the cases they touch. */
export async function readPushState(db: D1Database, commandIds: readonly string[], caseIds: readonly string[]): Promise<{ seen: Map<string, CommandRow>; cases: Map<string, CaseRow> }> {
  const [commands, cases] = await db.batch([
    db.prepare('SELECT id, subject_id, status, result_json FROM commands WHERE id IN (SELECT value FROM json_each(?))').bind(JSON.stringify([...new Set(commandIds)])),
    db.prepare('SELECT * FROM cases WHERE id IN (SELECT value FROM json_each(?))').bind(JSON.stringify([...new Set(caseIds)])),
  ]);
  return {
    seen: new Map((commands!.results as CommandRow[]).map((r) => [r.id, r])),
    cases: new Map((cases!.results as CaseRow[]).map((r) => [r.id, r])),
  };
}

export async function getCommands(db: D1Database, ids: readonly string[]): Promise<Map<string, CommandRow>> {
  if (!ids.length) return new Map();
  const { results } = await db
    .prepare('SELECT id, subject_id, status, result_json FROM commands WHERE id IN (SELECT value FROM json_each(?))')
    .bind(JSON.stringify([...new Set(ids)]))
    .all<CommandRow>();
  return new Map(results.map((r) => [r.id, r]));
}

export function insertCommandIf(db: D1Database, g: Guard, row: Omit<CommandRow, 'id'> & { received_at: number }): D1PreparedStatement {
  return db
    .prepare(`INSERT INTO commands (id, subject_id, received_at, status, result_json) SELECT ?, ?, ?, ?, ? ${GUARD}`)
    .bind(g.commandId, row.subject_id, row.received_at, row.status, row.result_json, g.caseId, g.commandId);
}

/** Records a command that changed nothing (conflict or rejection) so a repeat returns the same answer. */
export function insertCommand(db: D1Database, id: string, row: Omit<CommandRow, 'id'> & { received_at: number }): D1PreparedStatement {
  return db
    .prepare('INSERT OR IGNORE INTO commands (id, subject_id, received_at, status, result_json) VALUES (?, ?, ?, ?, ?)')
    .bind(id, row.subject_id, row.received_at, row.status, row.result_json);
}

export async function listCases(db: D1Database, officeCode: string, service: string | undefined, limit: number): Promise<CaseRow[]> {
  const sql = service
    ? 'SELECT * FROM cases WHERE office_code = ? AND service = ? ORDER BY updated_at DESC LIMIT ?'
    : 'SELECT * FROM cases WHERE office_code = ? ORDER BY updated_at DESC LIMIT ?';
  const stmt = service ? db.prepare(sql).bind(officeCode, service, limit) : db.prepare(sql).bind(officeCode, limit);
  return (await stmt.all<CaseRow>()).results;
}

/** The change feed after `cursor` for an office (staff) or a resident: latest state of each changed case. */
export async function pullChanges(
  db: D1Database,
  scope: { officeCode: string } | { residentNik: string },
  cursor: number,
  limit: number,
): Promise<{ cursor: number; more: boolean; cases: CaseRow[] }> {
  const [col, val] = 'officeCode' in scope ? ['office_code', scope.officeCode] : ['resident_nik', scope.residentNik];
  const { results } = await db
    .prepare(`SELECT seq, case_id FROM changes WHERE ${col} = ? AND seq > ? ORDER BY seq LIMIT ?`)
    .bind(val, cursor, limit + 1)
    .all<{ seq: number; case_id: string }>();
  const more = results.length > limit;
  const page = results.slice(0, limit);
  // Each case once, in the order of its latest change on this page.
  const ids = [...new Set(page.map((r) => r.case_id).reverse())].reverse();
  const found = await getCases(db, ids);
  const cases = ids.map((id) => found.get(id)).filter((c): c is CaseRow => !!c);
  return { cursor: page.at(-1)?.seq ?? cursor, more, cases };
}

