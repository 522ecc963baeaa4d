/**
 * RETAS events beyond the SOP engine: the memo and the signed assignment letter (documents module), each officer's
 * acknowledgement of its copy, the public list of upcoming events, the offline roster's upload (judged in one D1
 * batch, exactly once per mark, conflicts kept) and the event report as CSV and PDF.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { MARKS_PER_UPLOAD, MATCHES_PER_REQUEST, REGISTRY_MATCHES, RosterMark, retasEligibility } from '../../schema/retas/roster';
import { maskNik } from '../../schema/nik';
import { officeToday } from '../../schema/ikd-rules';
import { uuid7 } from '../../schema/ids';
import { serviceHoursFromRow, TIME_ZONES } from '../../schema/service-time';
import { jsonBody, newApi, ok, problems } from '../api';
import { withAudit } from '../audit';
import { DECOY_PASSWORD_HASH, verifyPassword } from '../auth/password';
import { ACCOUNT_POLICY, clientIp, Throttle } from '../auth/throttle';
import { type CaseRow, getCase, getSteps } from '../db/cases';
import { findOffice } from '../db/offices';
import { type Registry, registryFor } from '../db/registry';
import * as rdb from '../db/retas';
import { findUserById } from '../db/users';
import { issueSignGrant } from '../documents/sign-grant';
import { documentLink } from '../documents/store';
import { applyCommand, checkObject } from '../engine';
import { ApiError } from '../errors';
import type { Session } from '../middleware/session';
import { requireRole } from '../middleware/session';
import { matchCounts, matchStudents } from '../retas/match';
import { eventData, issueLetter, renderMemo, renderReport, reportCounts, reportCsv, stepTimes, verifyLetterToken } from '../retas/documents';

export const retasEventRoutes = newApi();

const HEADS = ['head_of_division', 'head_of_office', 'admin'] as const;
const CaseParam = z.object({ id: z.string().min(1).max(64) });
/** States after the letter is signed: officers acknowledge, record and report. */
const LETTER_STATES = new Set(['letter_signed', 'published', 'recording', 'reported']);
/** A tablet may upload what it recorded once the event is published, and still after the report (never lose a record). */
const ROSTER_STATES = new Set(['published', 'recording', 'reported']);

/**
 * The RETAS case of `id` for a caller of `roles`: another service's or unknown case is not found, another office's
 * is refused; a field officer must be on the case's letter.
 */
async function retasCase(db: D1Database, session: Session, id: string): Promise<CaseRow> {
  const row = await getCase(db, id);
  if (!row || row.service !== 'retas') throw new ApiError('case_not_found');
  checkObject(session, row);
  const onLetter = (eventData(row).officerIds ?? []).includes(session.subjectId);
  if (!session.roles.some((r) => (HEADS as readonly string[]).includes(r)) && !onLetter) throw new ApiError('retas_not_assigned');
  return row;
}

const zoneMinutes = async (db: D1Database, officeCode: string) => {
  const office = await findOffice(db, officeCode);
  return office ? TIME_ZONES[office.time_zone] * 60 : 0;
};

retasEventRoutes.openapi(
  createRoute({
    method: 'get', path: '/api/retas/officers', tags: ['retas'], summary: "The office's active field officers, to name on an assignment letter",
    responses: { 200: ok(z.object({ officers: z.array(z.object({ id: z.string(), name: z.string() })) })), ...problems(401, 403) },
  }),
  async (c) => {
    const s = requireRole(c, ...HEADS);
    return c.json({ officers: (await rdb.fieldOfficers(c.env.DB, s.officeCode)).map((o) => ({ id: o.id, name: o.display_name })) }, 200);
  },
);

retasEventRoutes.openapi(
  createRoute({
    method: 'get', path: '/api/retas/cases/{id}/memo.pdf', tags: ['retas'], summary: 'The proposal memo (nota dinas) as PDF',
    request: { params: CaseParam },
    responses: { 200: { description: 'PDF', content: { 'application/pdf': { schema: z.string() } } }, ...problems(401, 403, 404) },
  }),
  async (c) => {
    const s = requireRole(c, ...HEADS);
    const row = await retasCase(c.env.DB, s, c.req.valid('param').id);
    const pdf = await renderMemo(c.env, row);
    return c.body(new Uint8Array(pdf), 200, { 'content-type': 'application/pdf', 'content-disposition': `inline; filename="nota-dinas-retas-${eventData(row).date}.pdf"` });
  },
);

const LetterView = z.object({
  letter: z.object({ no: z.string(), signedAt: z.number(), sha256: z.string(), downloadUrl: z.string(), verifyUrl: z.string() }).nullable(),
  officers: z.array(z.object({ id: z.string(), name: z.string(), acknowledgedAt: z.number().nullable() })),
});

async function letterView(env: Parameters<typeof issueLetter>[0], row: CaseRow): Promise<z.infer<typeof LetterView>> {
  const [letter, acks] = await Promise.all([rdb.findLetter(env.DB, row.id), rdb.listAcknowledgements(env.DB, row.id)]);
  return {
    letter: letter ? { no: letter.letter_no, signedAt: letter.signed_at, sha256: letter.pdf_sha256, downloadUrl: await documentLink(env, letter.r2_key, `surat-tugas-${eventData(row).date}.pdf`), verifyUrl: letter.verify_url } : null,
    officers: (eventData(row).officers ?? []).map((o) => ({ ...o, acknowledgedAt: acks.find((a) => a.officer_id === o.id)?.at ?? null })),
  };
}

retasEventRoutes.openapi(
  createRoute({
    method: 'get', path: '/api/retas/cases/{id}/letter', tags: ['retas'], summary: 'The assignment letter (link to the signed PDF) and who acknowledged its copy',
    request: { params: CaseParam },
    responses: { 200: ok(LetterView), ...problems(401, 403, 404) },
  }),
  async (c) => {
    const s = requireRole(c, ...HEADS, 'field_officer');
    const row = await retasCase(c.env.DB, s, c.req.valid('param').id);
    return c.json(await letterView(c.env, row), 200);
  },
);

retasEventRoutes.openapi(
  createRoute({
    method: 'post', path: '/api/retas/cases/{id}/letter/sign', tags: ['retas'],
    summary: 'Sign the assignment letter (head of office, password re-entered): the SOP step, then the PDF with TTE and QR; a retry finishes an unissued letter',
    request: { params: CaseParam, body: jsonBody(z.strictObject({ password: z.string().min(1).max(200), version: z.number().int().min(1), passphrase: z.string().min(1).max(200).optional() })) },
    responses: { 200: ok(LetterView.extend({ version: z.number() })), ...problems(401, 403, 404, 409, 422, 429, 502) },
  }),
  async (c) => {
    const s = requireRole(c, 'head_of_office');
    const { id } = c.req.valid('param');
    const body = c.req.valid('json');
    const db = c.env.DB;
    const ip = clientIp(c.req);
    let row = await retasCase(db, s, id);
    const limits = [{ key: `retas-sign:user:${s.subjectId}`, policy: ACCOUNT_POLICY }];
    const throttle = new Throttle(db);
    await throttle.assertAllowed(limits);
    const user = await findUserById(db, s.subjectId);
    if (!(await verifyPassword(body.password, user?.passwordHash ?? DECOY_PASSWORD_HASH, c.env.PEPPER)) || !user) {
      await throttle.fail(limits);
      await withAudit(db, [{ actor: `staff:${s.subjectId}`, action: 'retas.sign.reauth_failed', object: `case:${id}`, ip }], () => []);
      throw new ApiError('current_password_wrong', 'Kata sandi salah / wrong password');
    }
    await throttle.reset(limits[0]!.key);
    if (row.state === 'letter_drafted') {
      const grant = await issueSignGrant(db, s);
      const r = await applyCommand({ db, session: s, ip, now: Date.now(), registry: registryFor(c.env) }, { id: uuid7(), type: 'action', caseId: id, action: 'sign_letter', baseVersion: body.version, input: { grant } });
      if (r.status !== 'applied' && r.status !== 'duplicate') throw new ApiError(r.problem?.code === 'stale_version' ? 'stale_version' : 'illegal_action', r.problem?.detail ?? r.status);
      row = (await getCase(db, id))!;
    }
    if (!LETTER_STATES.has(row.state)) throw new ApiError('illegal_action', `Surat tugas tidak dapat ditandatangani pada tahap ini / not signable in state ${row.state}`);
    const letter = await issueLetter(c.env, row, s.subjectId, { passphrase: body.passphrase });
    await withAudit(db, [{ actor: `staff:${s.subjectId}`, action: 'retas.letter_issued', object: `case:${id}`, ip, detail: { letterNo: letter.letter_no, sha256: letter.pdf_sha256 } }], () => []);
    return c.json({ ...(await letterView(c.env, row)), version: row.version }, 200);
  },
);

retasEventRoutes.openapi(
  createRoute({
    method: 'post', path: '/api/retas/cases/{id}/acknowledgements', tags: ['retas'],
    summary: 'An officer on the letter acknowledges receiving its copy (seed 001 step 4, tanda terima salinan surat tugas)',
    request: { params: CaseParam },
    responses: { 200: ok(LetterView), ...problems(401, 403, 404, 409) },
  }),
  async (c) => {
    const s = requireRole(c, 'field_officer');
    const { id } = c.req.valid('param');
    const row = await retasCase(c.env.DB, s, id);
    if (!(eventData(row).officerIds ?? []).includes(s.subjectId)) throw new ApiError('retas_not_assigned');
    if (!LETTER_STATES.has(row.state) || !(await rdb.findLetter(c.env.DB, id))) throw new ApiError('retas_not_ready', 'Surat tugas belum terbit / the letter is not issued yet');
    const now = Date.now();
    await withAudit(c.env.DB, [{ actor: `staff:${s.subjectId}`, action: 'retas.letter_acknowledged', object: `case:${id}`, ip: clientIp(c.req) }], () => [rdb.insertAcknowledgement(c.env.DB, id, s.subjectId, now)]);
    return c.json(await letterView(c.env, row), 200);
  },
);

const PublicEvent = z.object({ office: z.string(), officeName: z.string(), school: z.string(), district: z.string().nullable(), date: z.string(), startTime: z.string(), endTime: z.string(), state: z.string() });

retasEventRoutes.openapi(
  createRoute({
    method: 'get', path: '/api/retas/events', tags: ['retas'], summary: 'Upcoming published RETAS events of every office (public: school, place and time only)',
    request: { query: z.object({ office: z.string().regex(/^\d{2}\.\d{2}$/, 'Kode kantor seperti 63.09 / office code like 63.09').optional() }) },
    responses: { 200: ok(z.object({ events: z.array(PublicEvent) })), ...problems(422) },
  }),
  async (c) => {
    const { office } = c.req.valid('query');
    // "Upcoming" by the earliest zone's date (WIB): an event today in any office is still listed.
    const rows = (await rdb.upcomingEvents(c.env.DB, officeToday('Asia/Jakarta', Date.now()), 200)).filter((r) => !office || r.office_code === office);
    const names = new Map<string, string>();
    for (const code of new Set(rows.map((r) => r.office_code))) names.set(code, (await findOffice(c.env.DB, code))?.name ?? code);
    const events = rows.map((r) => {
      const d = JSON.parse(r.data_json) as { schoolName: string; schoolDistrict?: string; date: string; startTime: string; endTime: string };
      return { office: r.office_code, officeName: names.get(r.office_code)!, school: d.schoolName, district: d.schoolDistrict ?? null, date: d.date, startTime: d.startTime, endTime: d.endTime, state: r.state };
    });
    c.header('cache-control', 'public, max-age=60');
    return c.json({ events }, 200);
  },
);

retasEventRoutes.openapi(
  createRoute({
    method: 'post', path: '/api/retas/letters/verify', tags: ['retas'], summary: "Check an assignment letter's QR (public): genuine, its officers, and whether the event still stands",
    request: { body: jsonBody(z.strictObject({ token: z.string().min(10).max(4000) })) },
    responses: { 200: ok(z.object({ no: z.string(), office: z.string(), school: z.string(), date: z.string(), officers: z.array(z.string()), cancelled: z.boolean() })), ...problems(422) },
  }),
  async (c) => {
    const claims = await verifyLetterToken(c.env, c.req.valid('json').token);
    const row = await getCase(c.env.DB, claims.caseId);
    return c.json({ no: claims.no, office: claims.office, school: claims.school, date: claims.date, officers: claims.officers, cancelled: !row || row.state === 'cancelled' }, 200);
  },
);

const MarkResult = z.object({
  id: z.string(),
  status: z.enum(['applied', 'duplicate', 'conflict', 'rejected']),
  /** For a conflict: the student's status as the server holds it (another tablet's). */
  current: z.object({ markId: z.string(), status: z.string(), note: z.string().nullable(), at: z.number(), deviceId: z.string(), officerId: z.string() }).optional(),
  problem: z.object({ code: z.string(), detail: z.string().optional() }).optional(),
});

retasEventRoutes.openapi(
  createRoute({
    method: 'post', path: '/api/retas/cases/{id}/marks', tags: ['retas'],
    summary: "Upload a tablet's roster marks (≤ 200, one per student): each applied exactly once, a resend answered duplicate, another tablet's student a conflict",
    request: { params: CaseParam, body: jsonBody(z.strictObject({ marks: z.array(z.unknown()).min(1).max(MARKS_PER_UPLOAD) })) },
    responses: { 200: ok(z.object({ results: z.array(MarkResult) })), ...problems(401, 403, 404, 409, 422) },
  }),
  async (c) => {
    const s = requireRole(c, 'field_officer');
    const { id } = c.req.valid('param');
    const row = await retasCase(c.env.DB, s, id);
    if (!(eventData(row).officerIds ?? []).includes(s.subjectId)) throw new ApiError('retas_not_assigned');
    if (!ROSTER_STATES.has(row.state)) throw new ApiError('retas_not_recording', `Tahap ${row.state}`);
    const d = eventData(row);
    // Answers in the order of the upload: rejected ones now, the others once the batch has judged them.
    const results: z.infer<typeof MarkResult>[] = [];
    const accepted: rdb.MarkIn[] = [];
    const slot = new Map<string, number>();
    const seen = new Set<string>();
    // Each mark is judged on its own: one bad mark never holds the others back.
    for (const raw of c.req.valid('json').marks) {
      const parsed = RosterMark.safeParse(raw);
      const markId = typeof (raw as { id?: unknown })?.id === 'string' ? String((raw as { id: string }).id).slice(0, 64) : '';
      if (!parsed.success) {
        results.push({ id: markId, status: 'rejected', problem: { code: 'validation_failed', detail: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ').slice(0, 300) } });
        continue;
      }
      const m = parsed.data;
      if (seen.has(m.studentKey) || seen.has(m.id)) {
        results.push({ id: m.id, status: 'rejected', problem: { code: 'validation_failed', detail: 'one mark per student per upload' } });
        continue;
      }
      seen.add(m.studentKey).add(m.id);
      if (m.status === 'recorded' && !retasEligibility(m.student.birthDate, d.date, d.earlyMonths ?? 0).eligible) {
        results.push({ id: m.id, status: 'rejected', problem: { code: 'student_not_eligible', detail: `${m.student.birthDate} / ${d.date}` } });
        continue;
      }
      slot.set(m.id, results.push({ id: m.id, status: 'rejected' }) - 1);
      accepted.push({ id: m.id, studentKey: m.studentKey, student: m.student, status: m.status, note: m.note ?? null, at: m.at, replaces: m.replaces, deviceId: m.deviceId });
    }
    if (accepted.length) {
      const requestId = uuid7();
      const rows = await rdb.judgeMarks(c.env.DB, { caseId: id, officeCode: row.office_code, officerId: s.subjectId, requestId, now: Date.now(), marks: accepted });
      const byId = new Map(rows.map((r) => [r.id, r]));
      let applied = 0;
      let conflicts = 0;
      for (const m of accepted) {
        const r = byId.get(m.id);
        const at = slot.get(m.id)!;
        if (!r || r.case_id !== id || !r.outcome) {
          results[at] = { id: m.id, status: 'rejected', problem: { code: 'validation_failed', detail: 'mark id used by another event' } };
          continue;
        }
        const current = r.s_mark_id ? { markId: r.s_mark_id, status: r.s_status!, note: r.s_note, at: r.s_marked_at!, deviceId: r.s_device_id!, officerId: r.s_officer_id! } : undefined;
        if (r.outcome === 'conflict') {
          if (r.request_id === requestId) conflicts++;
          results[at] = { id: m.id, status: 'conflict', ...(current ? { current } : {}) };
        } else {
          if (r.request_id === requestId) applied++;
          results[at] = { id: m.id, status: r.request_id === requestId ? 'applied' : 'duplicate' };
        }
      }
      if (applied || conflicts) {
        // One entry per upload (not per student): counts only, never a student's name.
        await withAudit(c.env.DB, [{ actor: `staff:${s.subjectId}`, action: 'retas.roster_upload', object: `case:${id}`, ip: clientIp(c.req), detail: { applied, conflicts } }], () => []);
      }
    }
    return c.json({ results }, 200);
  },
);

const MatchStudent = z.strictObject({
  studentKey: z.string().min(3).max(200),
  name: z.string().trim().min(2).max(120),
  birthDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  nik: z.string().regex(/^\d{16}$/, 'NIK 16 digit / NIK must be 16 digits'),
});

retasEventRoutes.openapi(
  createRoute({
    // POST so the NIKs travel in the body, never in a URL or a request log.
    method: 'post', path: '/api/retas/cases/{id}/registry-match', tags: ['retas'],
    summary: "Match a roster's students against the registry by NIK (≤ 200, one query): matched, differs or not found, nothing of the registry's record",
    request: { params: CaseParam, body: jsonBody(z.strictObject({ students: z.array(MatchStudent).min(1).max(MATCHES_PER_REQUEST) })) },
    responses: { 200: ok(z.object({ results: z.array(z.object({ studentKey: z.string(), match: z.enum(REGISTRY_MATCHES) })) })), ...problems(401, 403, 404, 409, 422) },
  }),
  async (c) => {
    const s = requireRole(c, ...HEADS, 'field_officer');
    const { id } = c.req.valid('param');
    const row = await retasCase(c.env.DB, s, id);
    if (!ROSTER_STATES.has(row.state) && row.state !== 'letter_signed') throw new ApiError('retas_not_recording', `Tahap ${row.state}`);
    const { students } = c.req.valid('json');
    const matches = await matchStudents(registryFor(c.env), students.map((x) => ({ key: x.studentKey, name: x.name, birthDate: x.birthDate, nik: x.nik })));
    // Counts only: the audit log never holds a student's NIK or name.
    await withAudit(c.env.DB, [{ actor: `staff:${s.subjectId}`, action: 'retas.registry_match', object: `case:${id}`, ip: clientIp(c.req), detail: matchCounts(matches) }], () => []);
    return c.json({ results: students.map((x) => ({ studentKey: x.studentKey, match: matches.get(x.studentKey)! })) }, 200);
  },
);

const RosterStudent = z.object({
  studentKey: z.string(), name: z.string(), birthDate: z.string(), nisn: z.string().nullable(), className: z.string().nullable(),
  /** Masked (the full NIK travels only in request bodies the tablet sends). */
  nikMasked: z.string().nullable(),
  registry: z.enum(REGISTRY_MATCHES),
  markId: z.string(), status: z.string(), note: z.string().nullable(), at: z.number(), deviceId: z.string(), officerId: z.string(),
});

retasEventRoutes.openapi(
  createRoute({
    method: 'get', path: '/api/retas/cases/{id}/roster', tags: ['retas'], summary: "The event's roster as the server holds it, counts by status, and the marks that lost a conflict",
    request: { params: CaseParam },
    responses: {
      200: ok(z.object({
        counts: z.object({ recorded: z.number(), absent: z.number(), refused: z.number(), problem: z.number() }),
        students: z.array(RosterStudent),
        conflicts: z.array(z.object({ markId: z.string(), studentKey: z.string(), name: z.string(), status: z.string(), note: z.string().nullable(), at: z.number(), deviceId: z.string(), officerId: z.string() })),
      })),
      ...problems(401, 403, 404),
    },
  }),
  async (c) => {
    const s = requireRole(c, ...HEADS, 'field_officer');
    const { id } = c.req.valid('param');
    await retasCase(c.env.DB, s, id);
    const [students, conflicts] = await Promise.all([rdb.listStudents(c.env.DB, id), rdb.listConflicts(c.env.DB, id)]);
    const matches = await matchOf(registryFor(c.env), students);
    return c.json({
      counts: reportCounts(students),
      students: students.map((x) => ({ studentKey: x.student_key, name: x.name, birthDate: x.birth_date, nisn: x.nisn, className: x.class_name, nikMasked: x.nik ? maskNik(x.nik) : null, registry: matches.get(x.student_key)!, markId: x.mark_id, status: x.status, note: x.note, at: x.marked_at, deviceId: x.device_id, officerId: x.officer_id })),
      conflicts: conflicts.map((x) => ({ markId: x.id, studentKey: x.student_key, name: String((JSON.parse(x.student_json) as { name?: unknown }).name ?? ''), status: x.status, note: x.note, at: x.marked_at, deviceId: x.device_id, officerId: x.officer_id })),
    }, 200);
  },
);

const matchOf = (registry: Registry, students: readonly rdb.StudentRow[]) =>
  matchStudents(registry, students.map((s) => ({ key: s.student_key, name: s.name, birthDate: s.birth_date, nik: s.nik })));

async function reportFacts(env: { DB: D1Database; PEPPER: string }, row: CaseRow) {
  const db = env.DB;
  const [students, conflicts, steps, office] = await Promise.all([rdb.listStudents(db, row.id), rdb.listConflicts(db, row.id), getSteps(db, row.id), findOffice(db, row.office_code)]);
  const officerNames = new Map((eventData(row).officers ?? []).map((o) => [o.id, o.name] as const));
  const matches = await matchOf(registryFor(env), students);
  return { row, students, conflicts, officerNames, matches, steps: stepTimes(steps, office ? serviceHoursFromRow(office) : null, Date.now()) };
}

retasEventRoutes.openapi(
  createRoute({
    method: 'get', path: '/api/retas/cases/{id}/report.csv', tags: ['retas'], summary: 'The event report as CSV: counts by status, then every student with status, time and officer',
    request: { params: CaseParam },
    responses: { 200: { description: 'CSV', content: { 'text/csv': { schema: z.string() } } }, ...problems(401, 403, 404) },
  }),
  async (c) => {
    const s = requireRole(c, ...HEADS, 'field_officer');
    const row = await retasCase(c.env.DB, s, c.req.valid('param').id);
    const csv = reportCsv(await reportFacts(c.env, row), await zoneMinutes(c.env.DB, row.office_code));
    return c.body(csv, 200, { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="laporan-retas-${eventData(row).date}.csv"` });
  },
);

retasEventRoutes.openapi(
  createRoute({
    method: 'get', path: '/api/retas/cases/{id}/report.pdf', tags: ['retas'], summary: 'The draft RETAS report as PDF: counts by status, officers, students needing follow-up',
    request: { params: CaseParam },
    responses: { 200: { description: 'PDF', content: { 'application/pdf': { schema: z.string() } } }, ...problems(401, 403, 404) },
  }),
  async (c) => {
    const s = requireRole(c, ...HEADS, 'field_officer');
    const row = await retasCase(c.env.DB, s, c.req.valid('param').id);
    const pdf = await renderReport(c.env, await reportFacts(c.env, row), await zoneMinutes(c.env.DB, row.office_code));
    return c.body(new Uint8Array(pdf), 200, { 'content-type': 'application/pdf', 'content-disposition': `inline; filename="laporan-retas-${eventData(row).date}.pdf"` });
  },
);
