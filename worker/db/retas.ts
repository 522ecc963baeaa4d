/** SQL of RETAS (migration 0061): the schools each office keeps. */

export interface SchoolRow {
  office_code: string;
  npsn: string;
  name: string;
  address: string;
  district_code: string;
  contact_name: string | null;
  contact_phone: string | null;
  active: number;
  updated_at: number;
}

export async function listSchools(db: D1Database, officeCode: string): Promise<SchoolRow[]> {
  const { results } = await db.prepare('SELECT * FROM retas_schools WHERE office_code = ? ORDER BY name').bind(officeCode).all<SchoolRow>();
  return results;
}

export function findSchool(db: D1Database, officeCode: string, npsn: string): Promise<SchoolRow | null> {
  return db.prepare('SELECT * FROM retas_schools WHERE office_code = ? AND npsn = ?').bind(officeCode, npsn).first<SchoolRow>();
}

/** Adds or updates a school of the office (NPSN is the key). */
export function upsertSchool(db: D1Database, s: SchoolRow): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO retas_schools (office_code, npsn, name, address, district_code, contact_name, contact_phone, active, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (office_code, npsn) DO UPDATE SET name = excluded.name, address = excluded.address, district_code = excluded.district_code,
         contact_name = excluded.contact_name, contact_phone = excluded.contact_phone, active = excluded.active, updated_at = excluded.updated_at`,
    )
    .bind(s.office_code, s.npsn, s.name, s.address, s.district_code, s.contact_name, s.contact_phone, s.active, s.updated_at);
}

// ---- letters, acknowledgements, the roster (migration 0070) ----

export interface LetterRow {
  case_id: string;
  office_code: string;
  letter_no: string;
  signed_by: string;
  signed_at: number;
  r2_key: string;
  pdf_sha256: string;
  provider: string;
  verify_url: string;
}

export function findLetter(db: D1Database, caseId: string): Promise<LetterRow | null> {
  return db.prepare('SELECT * FROM retas_letters WHERE case_id = ?').bind(caseId).first<LetterRow>();
}

/** The first letter of a case stays: a racing second issue writes nothing. */
export function insertLetterIfNew(db: D1Database, l: LetterRow): D1PreparedStatement {
  return db
    .prepare('INSERT INTO retas_letters (case_id, office_code, letter_no, signed_by, signed_at, r2_key, pdf_sha256, provider, verify_url) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (case_id) DO NOTHING')
    .bind(l.case_id, l.office_code, l.letter_no, l.signed_by, l.signed_at, l.r2_key, l.pdf_sha256, l.provider, l.verify_url);
}

export async function listAcknowledgements(db: D1Database, caseId: string): Promise<{ officer_id: string; at: number }[]> {
  const { results } = await db.prepare('SELECT officer_id, at FROM retas_acknowledgements WHERE case_id = ? ORDER BY at').bind(caseId).all<{ officer_id: string; at: number }>();
  return results;
}

/** An officer acknowledges once; a repeat keeps the first time. */
export function insertAcknowledgement(db: D1Database, caseId: string, officerId: string, at: number): D1PreparedStatement {
  return db.prepare('INSERT INTO retas_acknowledgements (case_id, officer_id, at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING').bind(caseId, officerId, at);
}

/** Active field officers of the office among `ids` (one json_each parameter, whatever their number). */
export async function fieldOfficers(db: D1Database, officeCode: string, ids?: readonly string[]): Promise<{ id: string; display_name: string }[]> {
  const base = `SELECT id, display_name FROM users WHERE office_code = ? AND disabled = 0 AND EXISTS (SELECT 1 FROM json_each(users.roles_json) r WHERE r.value = 'field_officer')`;
  const stmt = ids
    ? db.prepare(`${base} AND id IN (SELECT value FROM json_each(?)) ORDER BY display_name`).bind(officeCode, JSON.stringify(ids))
    : db.prepare(`${base} ORDER BY display_name`).bind(officeCode);
  return (await stmt.all<{ id: string; display_name: string }>()).results;
}

export interface UpcomingRow {
  id: string;
  office_code: string;
  state: string;
  data_json: string;
}

/** Published (and running) RETAS events from `fromDay` on, of every office, soonest first. */
export async function upcomingEvents(db: D1Database, fromDay: string, limit: number): Promise<UpcomingRow[]> {
  const { results } = await db
    .prepare(
      `SELECT id, office_code, state, data_json FROM cases
       WHERE service = 'retas' AND state IN ('published', 'recording') AND json_extract(data_json, '$.date') >= ?
       ORDER BY json_extract(data_json, '$.date'), json_extract(data_json, '$.startTime') LIMIT ?`,
    )
    .bind(fromDay, limit)
    .all<UpcomingRow>();
  return results;
}

export interface MarkOutcomeRow {
  id: string;
  case_id: string;
  outcome: 'applied' | 'conflict' | null;
  request_id: string;
  /** The student as the server has it now (for a conflict: what the other tablet recorded). */
  s_mark_id: string | null;
  s_status: string | null;
  s_note: string | null;
  s_marked_at: number | null;
  s_device_id: string | null;
  s_officer_id: string | null;
}

export interface MarkIn {
  id: string;
  studentKey: string;
  student: Record<string, unknown>;
  status: string;
  note: string | null;
  at: number;
  replaces: string | null;
  deviceId: string;
}

/**
 * Judges a tablet's upload in ONE D1 batch, i.e. one transaction: no other writer runs between its statements, so
 * two tablets uploading at once are judged one after the other. Every statement binds the marks as one JSON array
 * (`json_each`), never a parameter per mark.
 *  1. every mark not seen before is logged with no outcome yet (a resent id changes nothing);
 *  2. a student's first mark (replaces NULL) creates the student; if another tablet created it first, nothing;
 *  3. a later mark changes the student only if it names the mark that set the current status;
 *  4. each new mark is then `applied` if it is the student's current mark, else `conflict` (kept, never lost);
 *  5. the outcomes of all marks of the upload, with the student as it stands.
 * The upload names each student at most once, so no mark depends on another of the same batch.
 */
export async function judgeMarks(db: D1Database, a: { caseId: string; officeCode: string; officerId: string; requestId: string; now: number; marks: readonly MarkIn[] }): Promise<MarkOutcomeRow[]> {
  const marks = JSON.stringify(a.marks);
  const ids = JSON.stringify(a.marks.map((m) => m.id));
  const mine = `m.case_id = ?1 AND m.request_id = ?2 AND m.outcome IS NULL`;
  const results = await db.batch([
    db.prepare(
      `INSERT INTO retas_marks (id, case_id, office_code, student_key, replaces, status, note, marked_at, device_id, officer_id, student_json, request_id, received_at, outcome)
       SELECT json_extract(j.value, '$.id'), ?1, ?2, json_extract(j.value, '$.studentKey'), json_extract(j.value, '$.replaces'), json_extract(j.value, '$.status'),
              json_extract(j.value, '$.note'), json_extract(j.value, '$.at'), json_extract(j.value, '$.deviceId'), ?3, json(json_extract(j.value, '$.student')), ?4, ?5, NULL
       FROM json_each(?6) j WHERE true
       ON CONFLICT (id) DO NOTHING`,
    ).bind(a.caseId, a.officeCode, a.officerId, a.requestId, a.now, marks),
    db.prepare(
      `INSERT INTO retas_students (case_id, student_key, name, birth_date, nisn, class_name, sex, nik, mark_id, status, note, marked_at, device_id, officer_id, updated_at)
       SELECT m.case_id, m.student_key, json_extract(m.student_json, '$.name'), json_extract(m.student_json, '$.birthDate'), json_extract(m.student_json, '$.nisn'),
              json_extract(m.student_json, '$.className'), json_extract(m.student_json, '$.sex'), json_extract(m.student_json, '$.nik'), m.id, m.status, m.note, m.marked_at, m.device_id, m.officer_id, ?3
       FROM retas_marks m WHERE ${mine} AND m.replaces IS NULL ORDER BY m.marked_at
       ON CONFLICT (case_id, student_key) DO NOTHING`,
    ).bind(a.caseId, a.requestId, a.now),
    db.prepare(
      `UPDATE retas_students SET mark_id = m.id, status = m.status, note = m.note, marked_at = m.marked_at, device_id = m.device_id, officer_id = m.officer_id, updated_at = ?3,
              nik = COALESCE(json_extract(m.student_json, '$.nik'), retas_students.nik)
       FROM retas_marks m
       WHERE ${mine} AND m.replaces IS NOT NULL AND retas_students.case_id = m.case_id AND retas_students.student_key = m.student_key AND retas_students.mark_id = m.replaces`,
    ).bind(a.caseId, a.requestId, a.now),
    db.prepare(
      `UPDATE retas_marks AS m SET outcome = CASE WHEN EXISTS (SELECT 1 FROM retas_students s WHERE s.case_id = m.case_id AND s.student_key = m.student_key AND s.mark_id = m.id)
         THEN 'applied' ELSE 'conflict' END
       WHERE ${mine}`,
    ).bind(a.caseId, a.requestId),
    db.prepare(
      `SELECT m.id, m.case_id, m.outcome, m.request_id, s.mark_id AS s_mark_id, s.status AS s_status, s.note AS s_note, s.marked_at AS s_marked_at,
              s.device_id AS s_device_id, s.officer_id AS s_officer_id
       FROM json_each(?1) j JOIN retas_marks m ON m.id = j.value
       LEFT JOIN retas_students s ON s.case_id = m.case_id AND s.student_key = m.student_key`,
    ).bind(ids),
  ]);
  return (results[4]!.results ?? []) as MarkOutcomeRow[];
}

export interface StudentRow {
  case_id: string;
  student_key: string;
  name: string;
  birth_date: string;
  nisn: string | null;
  class_name: string | null;
  sex: string | null;
  /** Typed on the tablet or from the school's list; matched against the registry when read. */
  nik: string | null;
  mark_id: string;
  status: string;
  note: string | null;
  marked_at: number;
  device_id: string;
  officer_id: string;
  updated_at: number;
}

export async function listStudents(db: D1Database, caseId: string): Promise<StudentRow[]> {
  const { results } = await db.prepare('SELECT * FROM retas_students WHERE case_id = ? ORDER BY name, student_key').bind(caseId).all<StudentRow>();
  return results;
}

export interface ConflictRow {
  id: string;
  student_key: string;
  status: string;
  note: string | null;
  marked_at: number;
  device_id: string;
  officer_id: string;
  student_json: string;
}

/** Marks that lost to another tablet's: kept for the office to see, never counted. */
export async function listConflicts(db: D1Database, caseId: string): Promise<ConflictRow[]> {
  const { results } = await db
    .prepare(`SELECT id, student_key, status, note, marked_at, device_id, officer_id, student_json FROM retas_marks WHERE case_id = ? AND outcome = 'conflict' ORDER BY marked_at`)
    .bind(caseId)
    .all<ConflictRow>();
  return results;
}
