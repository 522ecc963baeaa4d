/** SQL of the birth-certificate service: partners and clerks, required documents, attachments, certificates, register sequence, signing grants. */
import type { AttachmentRef } from '../../schema/workflows/birth';
import type { Guard } from './cases';

const GUARD = 'EXISTS (SELECT 1 FROM cases WHERE id = ? AND last_command_id = ?)';

// ---- partners and clerks ----

export type PartnerKind = 'hospital' | 'clinic' | 'midwife';
export interface PartnerRow {
  id: string;
  office_code: string;
  kind: PartnerKind;
  name: string;
  active: number;
  created_at: number;
  updated_at: number;
}

export function getPartner(db: D1Database, id: string): Promise<PartnerRow | null> {
  return db.prepare('SELECT * FROM birth_partners WHERE id = ?').bind(id).first<PartnerRow>();
}

export async function listPartners(db: D1Database, officeCode: string): Promise<PartnerRow[]> {
  return (await db.prepare('SELECT * FROM birth_partners WHERE office_code = ? ORDER BY name').bind(officeCode).all<PartnerRow>()).results;
}

export function insertPartner(db: D1Database, p: PartnerRow): D1PreparedStatement {
  return db
    .prepare('INSERT INTO birth_partners (id, office_code, kind, name, active, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
    .bind(p.id, p.office_code, p.kind, p.name, p.active, p.created_at, p.updated_at);
}

export function updatePartner(db: D1Database, id: string, officeCode: string, change: { name?: string; kind?: PartnerKind; active?: boolean }, now: number): D1PreparedStatement {
  return db
    .prepare('UPDATE birth_partners SET name = coalesce(?, name), kind = coalesce(?, kind), active = coalesce(?, active), updated_at = ? WHERE id = ? AND office_code = ?')
    .bind(change.name ?? null, change.kind ?? null, change.active === undefined ? null : change.active ? 1 : 0, now, id, officeCode);
}

/** Makes a staff account of the same office a clerk of `partnerId` (null: no partner). */
export function setClerkPartner(db: D1Database, userId: string, officeCode: string, partnerId: string | null, now: string): D1PreparedStatement {
  return db.prepare('UPDATE users SET partner_id = ?, updated_at = ? WHERE id = ? AND office_code = ?').bind(partnerId, now, userId, officeCode);
}

export async function listClerks(db: D1Database, partnerId: string): Promise<{ id: string; username: string; display_name: string }[]> {
  return (await db.prepare('SELECT id, username, display_name FROM users WHERE partner_id = ? ORDER BY username').bind(partnerId).all<{ id: string; username: string; display_name: string }>()).results;
}

// ---- required documents (office data) ----

export interface RequirementRow {
  office_code: string;
  code: string;
  label_id: string;
  label_en: string;
  required: number;
  sort: number;
}

export async function listRequirements(db: D1Database, officeCode: string): Promise<RequirementRow[]> {
  return (await db.prepare('SELECT * FROM birth_requirements WHERE office_code = ? ORDER BY sort, code').bind(officeCode).all<RequirementRow>()).results;
}

/** Replaces the office's list in one batch: the delete and one insert over a JSON array (one bound parameter). */
export function replaceRequirements(db: D1Database, officeCode: string, rows: Omit<RequirementRow, 'office_code'>[]): D1PreparedStatement[] {
  return [
    db.prepare('DELETE FROM birth_requirements WHERE office_code = ?').bind(officeCode),
    db
      .prepare(
        `INSERT INTO birth_requirements (office_code, code, label_id, label_en, required, sort)
         SELECT ?, json_extract(value, '$.code'), json_extract(value, '$.label_id'), json_extract(value, '$.label_en'),
                json_extract(value, '$.required'), json_extract(value, '$.sort') FROM json_each(?)`,
      )
      .bind(officeCode, JSON.stringify(rows)),
  ];
}

// ---- attachments ----

export interface AttachmentRow {
  id: string;
  case_id: string;
  partner_id: string;
  requirement: string;
  content_type: string;
  size: number;
  sha256: string;
  declared_version: number;
  uploaded_at: number | null;
  r2_key: string | null;
}

/** Declares a case's attachments in the engine's batch (guarded by the case stamp), one JSON parameter for all. */
export function insertAttachmentsIf(db: D1Database, g: Guard, partnerId: string, version: number, refs: AttachmentRef[]): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO birth_attachments (id, case_id, partner_id, requirement, content_type, size, sha256, declared_version)
       SELECT json_extract(value, '$.id'), ?, ?, json_extract(value, '$.requirement'), json_extract(value, '$.contentType'),
              json_extract(value, '$.size'), json_extract(value, '$.sha256'), ?
       FROM json_each(?) WHERE ${GUARD}`,
    )
    .bind(g.caseId, partnerId, version, JSON.stringify(refs), g.caseId, g.commandId);
}

export async function listAttachments(db: D1Database, caseId: string): Promise<AttachmentRow[]> {
  return (await db.prepare('SELECT * FROM birth_attachments WHERE case_id = ? ORDER BY declared_version, requirement, id').bind(caseId).all<AttachmentRow>()).results;
}

export function getAttachment(db: D1Database, id: string): Promise<AttachmentRow | null> {
  return db.prepare('SELECT * FROM birth_attachments WHERE id = ?').bind(id).first<AttachmentRow>();
}

/** Records the upload once; a repeat (a retried upload) changes nothing. */
export function markUploaded(db: D1Database, id: string, r2Key: string, now: number): D1PreparedStatement {
  return db.prepare('UPDATE birth_attachments SET uploaded_at = ?, r2_key = ? WHERE id = ? AND uploaded_at IS NULL').bind(now, r2Key, id);
}

// ---- attachment parts (chunked upload) ----

export interface UploadPartRow {
  attachment_id: string;
  part_no: number;
  size: number;
  r2_key: string;
  received_at: number;
}

export async function listUploadParts(db: D1Database, attachmentId: string): Promise<UploadPartRow[]> {
  return (await db.prepare('SELECT * FROM birth_upload_parts WHERE attachment_id = ? ORDER BY part_no').bind(attachmentId).all<UploadPartRow>()).results;
}

/** Records a part whose bytes are in R2 already (a resent part replaces the earlier copy). */
export function putUploadPart(db: D1Database, p: UploadPartRow): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO birth_upload_parts (attachment_id, part_no, size, r2_key, received_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (attachment_id, part_no) DO UPDATE SET size = excluded.size, r2_key = excluded.r2_key, received_at = excluded.received_at`,
    )
    .bind(p.attachment_id, p.part_no, p.size, p.r2_key, p.received_at);
}

export function deleteUploadParts(db: D1Database, attachmentId: string): D1PreparedStatement {
  return db.prepare('DELETE FROM birth_upload_parts WHERE attachment_id = ?').bind(attachmentId);
}

/** Forgets the listed parts of one file (their R2 objects are gone: the next resume sends them again). */
export function deleteUploadPartsNumbered(db: D1Database, attachmentId: string, partNos: number[]): D1PreparedStatement {
  return db.prepare('DELETE FROM birth_upload_parts WHERE attachment_id = ? AND part_no IN (SELECT value FROM json_each(?))').bind(attachmentId, JSON.stringify(partNos));
}

/**
 * Parts of uploads no part of which arrived since `before` (abandoned: never completed, or leftovers of a
 * completion that stopped between storing the file and forgetting its parts), for at most `limit` files.
 */
export async function abandonedUploadParts(db: D1Database, before: number, limit: number): Promise<{ attachment_id: string; r2_key: string }[]> {
  return (
    await db
      .prepare(
        `SELECT attachment_id, r2_key FROM birth_upload_parts WHERE attachment_id IN (
           SELECT attachment_id FROM birth_upload_parts GROUP BY attachment_id HAVING max(received_at) < ? LIMIT ?)
         ORDER BY attachment_id, part_no`,
      )
      .bind(before, limit)
      .all<{ attachment_id: string; r2_key: string }>()
  ).results;
}

/**
 * Deletes the part rows of the listed files that are still abandoned now: a file a device resumed meanwhile (a part
 * received since `before`) keeps its rows, and the completion re-sends any part whose object is gone.
 */
export function deleteAbandonedUploadParts(db: D1Database, attachmentIds: string[], before: number): D1PreparedStatement {
  return db
    .prepare(
      `DELETE FROM birth_upload_parts WHERE attachment_id IN (SELECT value FROM json_each(?1))
         AND NOT EXISTS (SELECT 1 FROM birth_upload_parts p WHERE p.attachment_id = birth_upload_parts.attachment_id AND p.received_at >= ?2)`,
    )
    .bind(JSON.stringify(attachmentIds), before);
}

// ---- possible duplicates ----

/** Other birth cases of the office with the same mother's NIK and birth date (the index cases_birth_mother). */
export async function sameMotherAndDate(db: D1Database, officeCode: string, motherNik: string, birthDate: string, exceptCaseId: string): Promise<{ id: string; data_json: string }[]> {
  return (
    await db
      .prepare(
        `SELECT id, data_json FROM cases
         WHERE service = 'birth' AND json_extract(data_json, '$.mother.nik') = ? AND json_extract(data_json, '$.child.birthDate') = ?
           AND office_code = ? AND id != ?`,
      )
      .bind(motherNik, birthDate, officeCode, exceptCaseId)
      .all<{ id: string; data_json: string }>()
  ).results;
}

/** The cases `caseId` is linked to as a possible duplicate (both directions are stored, so one side suffices). */
export async function duplicateLinks(db: D1Database, caseId: string): Promise<string[]> {
  return (await db.prepare('SELECT other_case_id AS id FROM birth_duplicates WHERE case_id = ? ORDER BY found_at, other_case_id').bind(caseId).all<{ id: string }>()).results.map((r) => r.id);
}

/** Whether any possible duplicate is linked to the case (what every viewer may know). */
export async function hasDuplicateLink(db: D1Database, caseId: string): Promise<boolean> {
  return (await db.prepare('SELECT 1 AS x FROM birth_duplicates WHERE case_id = ? LIMIT 1').bind(caseId).first<{ x: number }>()) !== null;
}

/** The office's view of the linked cases: id, state, child's name, partner, when submitted. */
export async function duplicateCases(db: D1Database, caseId: string, officeCode: string): Promise<{ id: string; state: string; child_name: string | null; partner_name: string | null; created_at: number }[]> {
  return (
    await db
      .prepare(
        `SELECT c.id, c.state, json_extract(c.data_json, '$.child.name') AS child_name, json_extract(c.data_json, '$.partnerName') AS partner_name, c.created_at
         FROM birth_duplicates d JOIN cases c ON c.id = d.other_case_id
         WHERE d.case_id = ? AND c.office_code = ? ORDER BY c.created_at, c.id`,
      )
      .bind(caseId, officeCode)
      .all<{ id: string; state: string; child_name: string | null; partner_name: string | null; created_at: number }>()
  ).results;
}

/**
 * The child-name similarity of schema/birth-rules.ts similarChildNames, in SQL over stored keys (normalizeName's
 * output: A–Z words, single spaces), so it can run inside a write batch. `candidates` is a SELECT of
 * (id, name_key, words_json); ?2 is the key compared with, ?3 its words as a JSON array. Equal keys, or one's words
 * all among the other's, or a Levenshtein distance of the keys without spaces of at most one per six letters (at
 * least 1): the DP matrix is built cell by cell in a recursive CTE, each row a string of 3-digit cells (a name is at
 * most 80 letters), only for candidates whose lengths are close enough for the distance to be within the limit.
 * Same-mother-and-date candidates are a handful, so this costs at most a few thousand CTE rows.
 */
function similarCte(candidates: string): string {
  return `WITH RECURSIVE
  cand(id, name_key, words_json, a, b) AS (
    SELECT id, name_key, words_json, replace(?2, ' ', ''), replace(name_key, ' ', '') FROM (${candidates})
    WHERE name_key != '' AND ?2 != ''
  ),
  lev(id, a, b, i, j, prev, cur) AS (
    SELECT id, a, b, 0, 0, '', '000' FROM cand WHERE abs(length(a) - length(b)) <= max(1, max(length(a), length(b)) / 6)
    UNION ALL
    SELECT id, a, b,
      iif(j < length(b), i, i + 1),
      iif(j < length(b), j + 1, 0),
      iif(j < length(b), prev, cur),
      iif(j < length(b),
        cur || printf('%03d', iif(i = 0, j + 1, min(
          CAST(substr(prev, 3 * j + 4, 3) AS INTEGER) + 1,
          CAST(substr(cur, 3 * j + 1, 3) AS INTEGER) + 1,
          CAST(substr(prev, 3 * j + 1, 3) AS INTEGER) + (substr(a, i, 1) != substr(b, j + 1, 1))))),
        printf('%03d', i + 1))
    FROM lev WHERE i < length(a) OR j < length(b)
  ),
  similar(id) AS (
    SELECT id FROM cand
    WHERE name_key = ?2
       OR NOT EXISTS (SELECT 1 FROM json_each(?3) w WHERE w.value NOT IN (SELECT value FROM json_each(cand.words_json)))
       OR NOT EXISTS (SELECT 1 FROM json_each(cand.words_json) w WHERE w.value NOT IN (SELECT value FROM json_each(?3)))
    UNION
    SELECT id FROM lev WHERE i = length(a) AND j = length(b) AND CAST(substr(cur, 3 * j + 1, 3) AS INTEGER) <= max(1, max(length(a), length(b)) / 6)
  )`;
}

/** A child-name key as stored: normalizeName's output and its words. */
export interface ChildNameKey {
  nameKey: string;
  words: string[];
}

/**
 * Which of `others` the SQL similarity finds similar to `key` (the same rule as in the write batch; used to check
 * it agrees with similarChildNames). ?1 is not used here; it is bound as null so the numbering is the batch's.
 */
export async function similarNameKeys(db: D1Database, key: ChildNameKey, others: { id: string; key: ChildNameKey }[]): Promise<string[]> {
  const rows = JSON.stringify(others.map((o) => ({ id: o.id, name_key: o.key.nameKey, words_json: JSON.stringify(o.key.words) })));
  const sql = `${similarCte(`SELECT json_extract(value, '$.id') AS id, json_extract(value, '$.name_key') AS name_key, json_extract(value, '$.words_json') AS words_json FROM json_each(?4)`)}
    SELECT id FROM similar ORDER BY id`;
  return (await db.prepare(sql).bind(null, key.nameKey, JSON.stringify(key.words), rows).all<{ id: string }>()).results.map((r) => r.id);
}

/**
 * The possible-duplicate links of a birth case, written in the engine's batch after the case row (every statement
 * guarded by the case stamp). Why in the batch: a search before the write cannot see a similar case pushed at the
 * same instant by another clerk (both searches run before either batch commits, and each batch then writes only
 * what its search found). D1 runs batches one at a time, each atomic, so of two such pushes the later batch sees
 * the earlier one's case and name key and links both ways here.
 *
 * - The case's name key is stored (birth_child_keys) for the batches that come after.
 * - Linked: every case of the same mother, date and office whose stored key is similar now, and of `found` (what
 *   the hook's search found in code) those without a stored key (cases from before birth_child_keys).
 * - On a resubmit (`replace`), this case's other links are dropped: its child may have been corrected. A link
 *   another command made after the hook's search is in the similar set if it still holds, so it is never lost.
 * - Both directions are own rows (INSERT OR IGNORE): no writer of the other case can lose them, and the other
 *   case's version is not bumped (a flag is no action; a clerk's queued action on it must not turn into a
 *   conflict). Change-feed rows make clients pull the other cases whose flag changed.
 */
export function linkSimilarIf(
  db: D1Database,
  g: Guard,
  c: { caseId: string; key: ChildNameKey; motherNik: string; birthDate: string; officeCode: string },
  found: string[],
  replace: boolean,
  now: number,
): D1PreparedStatement[] {
  const guard = 'EXISTS (SELECT 1 FROM cases WHERE id = ?8 AND last_command_id = ?9)';
  const cte = similarCte(
    `SELECT c.id, k.name_key, k.words_json FROM cases c JOIN birth_child_keys k ON k.case_id = c.id
     WHERE c.service = 'birth' AND json_extract(c.data_json, '$.mother.nik') = ?4 AND json_extract(c.data_json, '$.child.birthDate') = ?5
       AND c.office_code = ?6 AND c.id != ?1`,
  );
  // A case with a stored key is judged by its key as it is now (its own resubmit may have changed it since the
  // hook's search); the search's finding stands only for cases from before birth_child_keys.
  const keep = `SELECT id FROM similar UNION SELECT value FROM json_each(?10) WHERE value NOT IN (SELECT case_id FROM birth_child_keys)`;
  const params = [c.caseId, c.key.nameKey, JSON.stringify(c.key.words), c.motherNik, c.birthDate, c.officeCode, now, g.caseId, g.commandId, JSON.stringify(found)] as const;
  // Numbered parameters: a statement takes as many values as its highest number (D1 refuses more).
  const bind = (sql: string) => db.prepare(sql).bind(...params.slice(0, Math.max(...[...sql.matchAll(/\?(\d+)/g)].map((m) => Number(m[1])))));
  const out: D1PreparedStatement[] = [
    bind(
      `INSERT INTO birth_child_keys (case_id, name_key, words_json) SELECT ?1, ?2, ?3 WHERE ${guard}
       ON CONFLICT (case_id) DO UPDATE SET name_key = excluded.name_key, words_json = excluded.words_json`,
    ),
  ];
  if (replace) {
    out.push(
      bind(
        `${cte} INSERT INTO changes (case_id, office_code, resident_nik, version, at)
         SELECT id, office_code, resident_nik, version, ?7 FROM cases
         WHERE id IN (SELECT other_case_id FROM birth_duplicates WHERE case_id = ?1 AND other_case_id NOT IN (${keep})) AND ${guard}`,
      ),
      bind(
        `${cte} DELETE FROM birth_duplicates
         WHERE ((case_id = ?1 AND other_case_id NOT IN (${keep})) OR (other_case_id = ?1 AND case_id NOT IN (${keep}))) AND ${guard}`,
      ),
    );
  }
  out.push(
    bind(`${cte} INSERT OR IGNORE INTO birth_duplicates (case_id, other_case_id, found_at) SELECT ?1, id, ?7 FROM (${keep}) WHERE id IN (SELECT id FROM cases) AND ${guard}`),
    bind(
      `INSERT OR IGNORE INTO birth_duplicates (case_id, other_case_id, found_at) SELECT other_case_id, case_id, found_at FROM birth_duplicates
       WHERE case_id = ?1 AND ${guard}`,
    ),
    bind(
      `INSERT INTO changes (case_id, office_code, resident_nik, version, at)
       SELECT id, office_code, resident_nik, version, ?7 FROM cases
       WHERE id IN (SELECT other_case_id FROM birth_duplicates WHERE case_id = ?1 AND found_at = ?7) AND ${guard}`,
    ),
  );
  return out;
}

// ---- register sequence and certificates ----

/**
 * The day's register counter, incremented inside the signing batch (an UPSERT guarded by the case stamp): the
 * batch is one transaction, so a signing that loses its race or fails rolls the number back — no gaps, no repeats.
 */
export function nextRegisterIf(db: D1Database, g: Guard, officeCode: string, day: string): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO birth_register_counters (office_code, day, last) SELECT ?, ?, 1 WHERE ${GUARD}
       ON CONFLICT (office_code, day) DO UPDATE SET last = last + 1 RETURNING last`,
    )
    .bind(officeCode, day, g.caseId, g.commandId);
}

/** The certificate row numbered from the counter just incremented; `prefix` is e.g. "6309-LT-30112026". */
export function insertCertificateIf(
  db: D1Database,
  g: Guard,
  c: { prefix: string; officeCode: string; day: string; caseVersion: number; signedAt: number; signedBy: string },
): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO birth_certificates (register_no, case_id, case_version, office_code, signed_at, signed_by, status)
       SELECT printf('%s-%04d', ?, last), ?, ?, ?, ?, ?, 'pending_document'
       FROM birth_register_counters WHERE office_code = ? AND day = ? AND ${GUARD}`,
    )
    .bind(c.prefix, g.caseId, c.caseVersion, c.officeCode, c.signedAt, c.signedBy, c.officeCode, c.day, g.caseId, g.commandId);
}

export interface CertificateRow {
  register_no: string;
  case_id: string;
  case_version: number;
  office_code: string;
  signed_at: number;
  signed_by: string;
  content_hash: string | null;
  pdf_sha256: string | null;
  r2_key: string | null;
  qr: string | null;
  status: 'pending_document' | 'issued' | 'revoked';
  revoked_at: number | null;
  revoke_reason: string | null;
}

export function getCertificate(db: D1Database, registerNo: string): Promise<CertificateRow | null> {
  return db.prepare('SELECT * FROM birth_certificates WHERE register_no = ?').bind(registerNo).first<CertificateRow>();
}

export async function certificatesOfCase(db: D1Database, caseId: string): Promise<CertificateRow[]> {
  return (await db.prepare('SELECT * FROM birth_certificates WHERE case_id = ? ORDER BY signed_at, register_no').bind(caseId).all<CertificateRow>()).results;
}

export function getCertificateByPdfHash(db: D1Database, sha256: string): Promise<CertificateRow | null> {
  return db.prepare('SELECT * FROM birth_certificates WHERE pdf_sha256 = ?').bind(sha256).first<CertificateRow>();
}

/** Stores the built document once; a second finisher racing the first changes nothing. */
export function setCertificateDocument(db: D1Database, registerNo: string, d: { contentHash: string; pdfSha256: string; r2Key: string; qr: string }): D1PreparedStatement {
  return db
    .prepare("UPDATE birth_certificates SET content_hash = ?, pdf_sha256 = ?, r2_key = ?, qr = ?, status = 'issued' WHERE register_no = ? AND status = 'pending_document'")
    .bind(d.contentHash, d.pdfSha256, d.r2Key, d.qr, registerNo);
}

export function revokeCertificatesIf(db: D1Database, g: Guard, now: number, reason: string): D1PreparedStatement {
  return db
    .prepare(`UPDATE birth_certificates SET status = 'revoked', revoked_at = ?, revoke_reason = ? WHERE case_id = ? AND status != 'revoked' AND ${GUARD}`)
    .bind(now, reason, g.caseId, g.caseId, g.commandId);
}

export async function revokedOfOffice(db: D1Database, officeCode: string): Promise<{ register_no: string; revoked_at: number }[]> {
  return (
    await db
      .prepare("SELECT register_no, revoked_at FROM birth_certificates WHERE office_code = ? AND status = 'revoked' ORDER BY revoked_at")
      .bind(officeCode)
      .all<{ register_no: string; revoked_at: number }>()
  ).results;
}

// ---- signing grants ----

export function insertGrant(db: D1Database, grantHash: string, sessionHash: string, expiresAt: number): D1PreparedStatement {
  return db.prepare('INSERT INTO birth_sign_grants (grant_hash, session_hash, expires_at) VALUES (?, ?, ?)').bind(grantHash, sessionHash, expiresAt);
}

export async function grantIsLive(db: D1Database, grantHash: string, sessionHash: string, now: number): Promise<boolean> {
  const row = await db
    .prepare('SELECT 1 AS ok FROM birth_sign_grants WHERE grant_hash = ? AND session_hash = ? AND expires_at > ?')
    .bind(grantHash, sessionHash, now)
    .first<{ ok: number }>();
  return row !== null;
}

export function deleteExpiredGrants(db: D1Database, now: number): D1PreparedStatement {
  return db.prepare('DELETE FROM birth_sign_grants WHERE expires_at <= ?').bind(now);
}

/**
 * A notification written only while the certificate still waits for its document: put before
 * setCertificateDocument in one batch, so two racing finishers send the parent one message, not two.
 */
export function notifyIfPendingDocument(db: D1Database, registerNo: string, n: { channel: 'email' | 'whatsapp'; recipient: string; subject: string; body: string; caseId: string }, now: number): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO notifications (id, channel, recipient, subject, body, case_id, status, attempts, next_attempt_at, created_at)
       SELECT ?, ?, ?, ?, ?, ?, 'pending', 0, ?, ? WHERE EXISTS (SELECT 1 FROM birth_certificates WHERE register_no = ? AND status = 'pending_document')`,
    )
    .bind(crypto.randomUUID(), n.channel, n.recipient.trim(), n.subject, n.body, n.caseId, now, now, registerNo);
}

/** Delivery state of a case's messages (step 7 → 8: a dead message sends the parent to the drive-thru). */
export async function deliveryOf(db: D1Database, caseId: string): Promise<{ channel: string; status: string; last_error: string | null }[]> {
  return (await db.prepare('SELECT channel, status, last_error FROM notifications WHERE case_id = ? ORDER BY created_at').bind(caseId).all<{ channel: string; status: string; last_error: string | null }>()).results;
}

/**
 * Signed birth cases whose certificate messages all failed for good (every one `dead`, none `sent`): seed 002
 * step 8, the parent collects at the drive-thru. At most `limit` per run.
 */
export async function undeliveredSignedCases(db: D1Database, limit = 50): Promise<{ id: string; office_code: string; version: number; errors: string | null }[]> {
  return (
    await db
      .prepare(
        `SELECT c.id, c.office_code, c.version, group_concat(n.channel || ': ' || ifnull(n.last_error, '?'), '; ') AS errors
         FROM cases c JOIN notifications n ON n.case_id = c.id AND n.subject = ?
         WHERE c.service = 'birth' AND c.state = 'signed'
         GROUP BY c.id HAVING sum(n.status = 'dead') = count(*) LIMIT ?`,
      )
      .bind(CERTIFICATE_MESSAGE_SUBJECT, limit)
      .all<{ id: string; office_code: string; version: number; errors: string | null }>()
  ).results;
}

/** The subject of the parent's "certificate issued" messages (worker/birth/issue.ts), by which delivery is followed. */
export const CERTIFICATE_MESSAGE_SUBJECT = 'Akta kelahiran sudah terbit';
