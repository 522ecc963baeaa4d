/**
 * RETAS over HTTP against real D1 and R2: proposal → memo PDF → approval → letter naming real officers → signature
 * with the password (PDF in R2, verification QR) → each officer's acknowledgement → publication on the public list;
 * then the offline roster's uploads: exactly once, conflicts between tablets kept, concurrent tablets never lose or
 * double a record; the report as CSV and PDF; roles, offices and bad input.
 */
import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { studentKey } from '../../schema/retas/roster';
import { upsertSchool } from '../../worker/db/retas';
import { createStaff, KOTA_JAMBI, signIn, STAFF_PASSWORD, type SignedIn, TABALONG } from './helpers/auth';
import { seedMinimalOffice, uuid7 } from './helpers/fixtures';

let kabid: SignedIn;
let kadis: SignedIn;
let officers: { id: string; name: string; s: SignedIn }[];
let outsider: SignedIn;
let jambiKabid: SignedIn;
let fo: SignedIn;

const NPSN = '30207777';
const proposal = { schoolNpsn: NPSN, schoolName: 'SMAN 2', date: '2027-01-20', startTime: '08:00', endTime: '14:00', expectedStudents: 200, officersWanted: 2, equipment: ['mobile_unit', 'recording_kit'] };

beforeAll(async () => {
  await upsertSchool(env.DB, { office_code: TABALONG, npsn: NPSN, name: 'SMA NEGERI 2 TANJUNG', address: 'Jl. Pendidikan 2', district_code: '63.09.01', contact_name: null, contact_phone: null, active: 1, updated_at: Date.now() }).run();
  kabid = await signIn((await createStaff({ roles: ['head_of_division'] })).username, STAFF_PASSWORD);
  kadis = await signIn((await createStaff({ roles: ['head_of_office'] })).username, STAFF_PASSWORD);
  officers = [];
  for (const name of ['Rina Petugas', 'Dodi Petugas']) {
    const o = await createStaff({ roles: ['field_officer'], displayName: name });
    officers.push({ id: o.id, name, s: await signIn(o.username, STAFF_PASSWORD) });
  }
  outsider = await signIn((await createStaff({ roles: ['field_officer'] })).username, STAFF_PASSWORD);
  jambiKabid = await signIn((await createStaff({ roles: ['head_of_division'], officeCode: KOTA_JAMBI })).username, STAFF_PASSWORD);
  fo = await signIn((await createStaff({ roles: ['front_office'] })).username, STAFF_PASSWORD);
  // The office records those turning 17 within 3 months (its setting; every proposal here takes it).
  expect((await env.DB.prepare('UPDATE offices SET retas_early_months = 3 WHERE code = ?').bind(TABALONG).run()).meta.changes).toBe(1);
});

type CaseOut = { id: string; state: string; version: number; data: Record<string, unknown> };
async function push(who: SignedIn, cmd: Record<string, unknown>): Promise<{ status: string; case?: CaseOut; problem?: { code: string } }> {
  const res = await who.fetch('/api/sync/push', { method: 'POST', json: { commands: [{ id: uuid7(), ...cmd }] } });
  expect(res.status).toBe(200);
  return ((await res.json()) as { results: { status: string; case?: CaseOut; problem?: { code: string } }[] }).results[0]!;
}
const act = (who: SignedIn, caseId: string, baseVersion: number, action: string, input: Record<string, unknown> = {}) => push(who, { type: 'action', caseId, action, baseVersion, input });

async function problemOf(res: Response): Promise<{ code: string }> {
  expect(res.headers.get('content-type')).toContain('application/problem+json');
  return (await res.json()) as { code: string };
}

/** A case taken through the SOP to `until` over HTTP, as the PWA does it. */
async function eventUntil(until: 'approved' | 'letter_drafted' | 'letter_signed' | 'published'): Promise<{ id: string; version: number }> {
  const id = uuid7();
  const created = await push(kabid, { type: 'create', caseId: id, service: 'retas', input: proposal });
  expect(created.status, JSON.stringify(created.problem)).toBe('applied');
  let v = (await act(kadis, id, 1, 'approve')).case!.version;
  if (until === 'approved') return { id, version: v };
  v = (await act(kabid, id, v, 'forward_letter', { officerIds: officers.map((o) => o.id) })).case!.version;
  if (until === 'letter_drafted') return { id, version: v };
  const signed = await kadis.fetch(`/api/retas/cases/${id}/letter/sign`, { method: 'POST', json: { password: STAFF_PASSWORD, version: v } });
  expect(signed.status).toBe(200);
  v = ((await signed.json()) as { version: number }).version;
  if (until === 'letter_signed') return { id, version: v };
  for (const o of officers) expect((await o.s.fetch(`/api/retas/cases/${id}/acknowledgements`, { method: 'POST' })).status).toBe(200);
  const pub = await act(kabid, id, v, 'confirm_ready', { officersConfirmed: true, equipmentConfirmed: true });
  expect(pub.status).toBe('applied');
  return { id, version: pub.case!.version };
}

describe('a plain sync push cannot sign the letter', () => {
  it('sign_letter through /api/sync/push is refused (no grant or a made-up one): state, letter and steps unchanged', async () => {
    const { id, version } = await eventUntil('letter_drafted');
    for (const input of [{}, { grant: 'A'.repeat(43) }]) {
      const r = await act(kadis, id, version, 'sign_letter', input);
      expect(r).toMatchObject({ status: 'rejected', problem: { code: 'reauth_required' } });
      expect((r.problem as { detail?: string }).detail).toContain(`/api/retas/cases/${id}/letter/sign`);
    }
    const row = await env.DB.prepare('SELECT state, version FROM cases WHERE id = ?').bind(id).first<{ state: string; version: number }>();
    expect(row).toEqual({ state: 'letter_drafted', version });
    expect(await env.DB.prepare('SELECT COUNT(*) AS n FROM retas_letters WHERE case_id = ?').bind(id).first('n')).toBe(0);
    expect(await env.DB.prepare("SELECT COUNT(*) AS n FROM case_steps WHERE case_id = ? AND action = 'sign_letter'").bind(id).first('n')).toBe(0);
    // The route still signs, and what the step keeps of the input holds no grant.
    const signed = await kadis.fetch(`/api/retas/cases/${id}/letter/sign`, { method: 'POST', json: { password: STAFF_PASSWORD, version } });
    expect(signed.status).toBe(200);
    const step = await env.DB.prepare("SELECT input_json FROM case_steps WHERE case_id = ? AND action = 'sign_letter'").bind(id).first<{ input_json: string }>();
    expect(JSON.parse(step!.input_json)).toEqual({});
    expect(await env.DB.prepare('SELECT COUNT(*) AS n FROM retas_letters WHERE case_id = ?').bind(id).first('n')).toBe(1);
  });
});

describe('proposal to publication', () => {
  it('memo, approval, letter with real officers, signature with the password, acknowledgements, public list', async () => {
    const id = uuid7();
    expect((await push(kabid, { type: 'create', caseId: id, service: 'retas', input: proposal })).status).toBe('applied');
    const memo = await kadis.fetch(`/api/retas/cases/${id}/memo.pdf`);
    expect(memo.status).toBe(200);
    expect(memo.headers.get('content-type')).toBe('application/pdf');
    expect(new TextDecoder().decode((await memo.arrayBuffer()).slice(0, 5))).toBe('%PDF-');
    let v = (await act(kadis, id, 1, 'approve')).case!.version;

    const unknown = await act(kabid, id, v, 'forward_letter', { officerIds: [officers[0]!.id, fo.user.id] });
    expect(unknown).toMatchObject({ status: 'rejected', problem: { code: 'retas_officer_invalid' } });
    const fwd = await act(kabid, id, v, 'forward_letter', { officerIds: officers.map((o) => o.id) });
    expect(fwd.case!.data.officers).toEqual(officers.map((o) => ({ id: o.id, name: o.name })));
    v = fwd.case!.version;

    // Only the head of office signs, and only with the password re-entered.
    expect((await kabid.fetch(`/api/retas/cases/${id}/letter/sign`, { method: 'POST', json: { password: STAFF_PASSWORD, version: v } })).status).toBe(403);
    const wrong = await kadis.fetch(`/api/retas/cases/${id}/letter/sign`, { method: 'POST', json: { password: 'bukan-sandi', version: v } });
    expect(wrong.status).toBe(403);
    expect((await problemOf(wrong)).code).toBe('current_password_wrong');
    const early = await officers[0]!.s.fetch(`/api/retas/cases/${id}/acknowledgements`, { method: 'POST' });
    expect((await problemOf(early)).code).toBe('retas_not_ready');

    const signed = await kadis.fetch(`/api/retas/cases/${id}/letter/sign`, { method: 'POST', json: { password: STAFF_PASSWORD, version: v } });
    expect(signed.status).toBe(200);
    const view = (await signed.json()) as { version: number; letter: { no: string; downloadUrl: string; verifyUrl: string; sha256: string }; officers: { acknowledgedAt: number | null }[] };
    expect(view.letter.no).toBe(`800/RETAS/63.09/2027/${id.slice(-8).toUpperCase()}`);
    expect(view.officers.map((o) => o.acknowledgedAt)).toEqual([null, null]);
    const pdf = await fetchPath(view.letter.downloadUrl);
    expect(pdf.status).toBe(200);
    const bytes = new Uint8Array(await pdf.arrayBuffer());
    expect(new TextDecoder().decode(bytes.slice(0, 5))).toBe('%PDF-');
    // Signing again (a retry) finds the same letter.
    const again = (await (await kadis.fetch(`/api/retas/cases/${id}/letter/sign`, { method: 'POST', json: { password: STAFF_PASSWORD, version: view.version } })).json()) as typeof view;
    expect(again.letter.sha256).toBe(view.letter.sha256);

    // The QR: genuine with its officers; one changed character is not.
    const token = view.letter.verifyUrl.split('#t=')[1]!;
    const ok = await fetchPath('/api/retas/letters/verify', { method: 'POST', json: { token } });
    expect(await ok.json()).toEqual({ no: view.letter.no, office: 'Kabupaten Tabalong', school: 'SMA NEGERI 2 TANJUNG', date: '2027-01-20', officers: ['Rina Petugas', 'Dodi Petugas'], cancelled: false });
    const forged = await fetchPath('/api/retas/letters/verify', { method: 'POST', json: { token: `${token.slice(0, -3)}${token.slice(-3) === 'AAA' ? 'BBB' : 'AAA'}` } });
    expect(forged.status).toBe(422);
    expect((await problemOf(forged)).code).toBe('retas_letter_invalid');

    // Publishing waits for every officer's acknowledgement; an officer not on the letter cannot acknowledge.
    v = view.version;
    expect(await act(kabid, id, v, 'confirm_ready', { officersConfirmed: true, equipmentConfirmed: true })).toMatchObject({ status: 'rejected', problem: { code: 'retas_not_ready' } });
    expect((await problemOf(await outsider.fetch(`/api/retas/cases/${id}/acknowledgements`, { method: 'POST' }))).code).toBe('retas_not_assigned');
    for (const o of officers) expect((await o.s.fetch(`/api/retas/cases/${id}/acknowledgements`, { method: 'POST' })).status).toBe(200);
    const letter = (await (await kabid.fetch(`/api/retas/cases/${id}/letter`)).json()) as typeof view;
    expect(letter.officers.every((o) => typeof o.acknowledgedAt === 'number')).toBe(true);
    expect(await act(kabid, id, v, 'confirm_ready', { officersConfirmed: true, equipmentConfirmed: true })).toMatchObject({ status: 'applied', case: { state: 'published' } });

    const events = (await (await fetchPath('/api/retas/events?office=63.09')).json()) as { events: Record<string, unknown>[] };
    const mine = events.events.find((e) => e.school === 'SMA NEGERI 2 TANJUNG' && e.date === '2027-01-20');
    expect(mine).toEqual({ office: '63.09', officeName: 'Kabupaten Tabalong', school: 'SMA NEGERI 2 TANJUNG', district: '63.09.01', date: '2027-01-20', startTime: '08:00', endTime: '14:00', state: 'published' });
    // No personal data on the public list: no officer's name, no student, no case id.
    const text = JSON.stringify(events);
    for (const o of officers) expect(text).not.toContain(o.name);
    expect(text).not.toContain(id);
    expect((await problemOf(await fetchPath('/api/retas/events?office=abc'))).code).toBe('validation_failed');
  });
});

/** The public origin's paths (download links are absolute). */
function fetchPath(pathOrUrl: string, init: { method?: string; json?: unknown } = {}) {
  const path = pathOrUrl.replace(/^https?:\/\/[^/]+/, '');
  return officers[0]!.s.fetch(path, init).then((r) => r);
}

let seq = 0;
function student(i: number, birthDate = '2009-05-05') {
  return { name: `Siswa Nomor ${String.fromCharCode(65 + (i % 26))}${i}`, birthDate, nisn: String(9_000_000_000 + i).padStart(10, '0') };
}
function mark(i: number, o: { status?: string; replaces?: string | null; device?: string; birthDate?: string; note?: string } = {}) {
  const s = student(i, o.birthDate);
  seq++;
  return { id: uuid7(), studentKey: studentKey(s), student: s, status: o.status ?? 'recorded', at: Date.now() + seq, replaces: o.replaces ?? null, deviceId: o.device ?? 'tablet-aaaa-1', ...(o.note ? { note: o.note } : {}) };
}
type Result = { id: string; status: string; current?: { markId: string; status: string; deviceId: string }; problem?: { code: string } };
async function upload(who: SignedIn, caseId: string, marks: unknown[]): Promise<Result[]> {
  const res = await who.fetch(`/api/retas/cases/${caseId}/marks`, { method: 'POST', json: { marks } });
  expect(res.status, await res.clone().text()).toBe(200);
  return ((await res.json()) as { results: Result[] }).results;
}

describe('the roster upload', () => {
  it('exactly once; a second tablet on the same student is a conflict; a change names the mark it replaces', async () => {
    const { id } = await eventUntil('published');
    const [a, b] = [officers[0]!.s, officers[1]!.s];
    const first = [mark(1), mark(2, { status: 'absent' }), mark(3, { status: 'problem', note: 'Sidik jari tidak terbaca' })];
    expect((await upload(a, id, first)).map((r) => r.status)).toEqual(['applied', 'applied', 'applied']);
    expect((await upload(a, id, first)).map((r) => r.status)).toEqual(['duplicate', 'duplicate', 'duplicate']);

    const other = mark(1, { status: 'refused', device: 'tablet-bbbb-2' });
    const [c] = await upload(b, id, [other]);
    expect(c).toMatchObject({ status: 'conflict', current: { markId: first[0]!.id, status: 'recorded', deviceId: 'tablet-aaaa-1' } });
    // The conflict is remembered: a resend is the same conflict, never applied later by accident.
    expect((await upload(b, id, [other]))[0]!.status).toBe('conflict');

    // The absent student came after lunch: the change names what it replaces; a stale change is a conflict.
    const later = mark(2, { replaces: first[1]!.id });
    expect((await upload(a, id, [later]))[0]!.status).toBe('applied');
    expect((await upload(b, id, [mark(2, { status: 'absent', replaces: first[1]!.id, device: 'tablet-bbbb-2' })]))[0]!.status).toBe('conflict');

    // Rules per mark: under age, a problem without a note, a malformed mark; the good one beside them still applies.
    const young = mark(10, { birthDate: '2011-01-01' });
    const results = await upload(a, id, [young, { ...mark(11, { status: 'problem' }) }, { id: 'x' }, mark(12)]);
    expect(results.map((r) => [r.status, r.problem?.code])).toEqual([['rejected', 'student_not_eligible'], ['rejected', 'validation_failed'], ['rejected', 'validation_failed'], ['applied', undefined]]);
    // Turning 17 within the proposal's 3 months: recorded.
    expect((await upload(a, id, [mark(13, { birthDate: '2010-04-01' })]))[0]!.status).toBe('applied');

    const roster = (await (await kabid.fetch(`/api/retas/cases/${id}/roster`)).json()) as { counts: Record<string, number>; students: { status: string }[]; conflicts: { markId: string; name: string }[] };
    expect(roster.counts).toEqual({ recorded: 4, absent: 0, refused: 0, problem: 1 });
    expect(roster.students).toHaveLength(5);
    expect(roster.conflicts.map((x) => x.markId).sort()).toEqual([other.id].concat(roster.conflicts.filter((x) => x.markId !== other.id).map((x) => x.markId)).sort());
    expect(roster.conflicts).toHaveLength(2);

    const csv = await kabid.fetch(`/api/retas/cases/${id}/report.csv`);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const text = await csv.text();
    expect(text).toContain('"recorded","4"');
    expect(text).toContain('"konflik","2"');
    expect(text).toContain('"Sidik jari tidak terbaca"');
    // Each timed step against its standard (seed 001: proposal 15 min, …) and the recording at 5 min per student.
    expect(text).toMatch(/"proposed","15","\d+",/);
    expect(text).toMatch(/"letter_signed","15","\d+",/);
    expect(text).toMatch(/"perekaman","25","\d+",/);
    const pdf = await officers[0]!.s.fetch(`/api/retas/cases/${id}/report.pdf`);
    expect(pdf.status).toBe(200);
    expect(new TextDecoder().decode((await pdf.arrayBuffer()).slice(0, 5))).toBe('%PDF-');
  });

  it('concurrent tablets: every student once, every mark judged once, nothing lost or doubled', async () => {
    const { id } = await eventUntil('published');
    // 6 tablets (two officers) upload overlapping halves of 120 students at once, each upload sent twice in parallel.
    const N = 120;
    const tablets = Array.from({ length: 6 }, (_, t) => ({ who: officers[t % 2]!.s, marks: Array.from({ length: 60 }, (_, k) => mark((t * 20 + k) % N, { device: `tablet-conc-${t}` })) }));
    const sent = await Promise.all(tablets.flatMap((t) => [upload(t.who, id, t.marks), upload(t.who, id, t.marks)]));
    const allMarks = tablets.flatMap((t) => t.marks);
    const outcomes = new Map<string, Set<string>>();
    for (const results of sent) for (const r of results) outcomes.set(r.id, (outcomes.get(r.id) ?? new Set()).add(r.status));
    // Each mark: applied once then duplicate, or conflict both times.
    for (const m of allMarks) {
      const seen = [...outcomes.get(m.id)!].sort().join(',');
      expect(['applied,duplicate', 'conflict'], seen).toContain(seen);
    }
    const students = await env.DB.prepare('SELECT student_key, mark_id FROM retas_students WHERE case_id = ?').bind(id).all<{ student_key: string; mark_id: string }>();
    const touched = new Set(allMarks.map((m) => m.studentKey));
    expect(students.results).toHaveLength(touched.size);
    const marks = await env.DB.prepare('SELECT id, outcome FROM retas_marks WHERE case_id = ?').bind(id).all<{ id: string; outcome: string }>();
    expect(marks.results).toHaveLength(allMarks.length);
    expect(marks.results.every((m) => m.outcome === 'applied' || m.outcome === 'conflict')).toBe(true);
    const applied = marks.results.filter((m) => m.outcome === 'applied').map((m) => m.id).sort();
    expect(applied).toEqual(students.results.map((s) => s.mark_id).sort());
  });

  it('refuses officers not on the letter, other offices, events not open for recording, and bad input with problem+json', async () => {
    const published = await eventUntil('published');
    const approved = await eventUntil('approved');
    expect((await problemOf(await outsider.fetch(`/api/retas/cases/${published.id}/marks`, { method: 'POST', json: { marks: [mark(1)] } }))).code).toBe('retas_not_assigned');
    expect((await problemOf(await fo.fetch(`/api/retas/cases/${published.id}/marks`, { method: 'POST', json: { marks: [mark(1)] } }))).code).toBe('forbidden_role');
    expect((await problemOf(await jambiKabid.fetch(`/api/retas/cases/${published.id}/roster`))).code).toBe('forbidden_object');
    expect((await problemOf(await kabid.fetch(`/api/retas/cases/${uuid7()}/roster`))).code).toBe('case_not_found');
    // Forwarded with the officers but not signed: no recording yet.
    const drafted = await eventUntil('letter_drafted');
    expect((await problemOf(await officers[0]!.s.fetch(`/api/retas/cases/${drafted.id}/marks`, { method: 'POST', json: { marks: [mark(1)] } }))).code).toBe('retas_not_recording');
    expect((await problemOf(await officers[0]!.s.fetch(`/api/retas/cases/${approved.id}/marks`, { method: 'POST', json: { marks: [mark(1)] } }))).code).toBe('retas_not_assigned');
    const tooMany = await officers[0]!.s.fetch(`/api/retas/cases/${published.id}/marks`, { method: 'POST', json: { marks: Array.from({ length: 201 }, (_, i) => mark(i)) } });
    expect(tooMany.status).toBe(422);
    expect((await problemOf(tooMany)).code).toBe('validation_failed');
    expect((await problemOf(await officers[0]!.s.fetch(`/api/retas/cases/${published.id}/marks`, { method: 'POST', json: { marks: [] } }))).code).toBe('validation_failed');
    // A student twice in one upload: the second is refused (each upload names a student once).
    const twice = await upload(officers[0]!.s, published.id, [mark(50), { ...mark(50), id: uuid7() }]);
    expect(twice.map((r) => r.status)).toEqual(['applied', 'rejected']);
    expect((await problemOf(await fo.fetch('/api/retas/officers'))).code).toBe('forbidden_role');
    const list = (await (await kabid.fetch('/api/retas/officers')).json()) as { officers: { id: string }[] };
    expect(list.officers.map((o) => o.id)).toEqual(expect.arrayContaining(officers.map((o) => o.id)));
  });
});

describe('students against the registry', () => {
  const KNOWN_NIK = '6309014505090001';
  const OTHER_NIK = '6309014606090002';
  beforeAll(async () => {
    await seedMinimalOffice(env.DB);
    await env.DB.batch([
      env.DB.prepare(
        `INSERT OR IGNORE INTO residents (nik, kk_number, name, birth_place, birth_date, sex, marital_status, mother_maiden_name_hash, ektp_recorded, email, phone, region_code, office_code)
         VALUES (?, '6309010101200001', 'RINA MELATI', 'Tanjung', '2009-05-05', 'P', 'BELUM_KAWIN', 'x', 0, NULL, NULL, '63.09.01', '63.09')`,
      ).bind(KNOWN_NIK),
      env.DB.prepare(
        `INSERT OR IGNORE INTO residents (nik, kk_number, name, birth_place, birth_date, sex, marital_status, mother_maiden_name_hash, ektp_recorded, email, phone, region_code, office_code)
         VALUES (?, '6309010101200001', 'DEWI LESTARI', 'Tanjung', '2009-06-06', 'P', 'BELUM_KAWIN', 'x', 0, NULL, NULL, '63.09.01', '63.09')`,
      ).bind(OTHER_NIK),
    ]);
  });
  const withNik = (s: ReturnType<typeof student>, nik?: string, name?: string) => ({ ...s, ...(name ? { name } : {}), ...(nik ? { nik } : {}) });
  const markOf = (s: Record<string, unknown> & { name: string; birthDate: string; nisn?: string }, replaces: string | null = null) => ({
    id: uuid7(), studentKey: studentKey(s), student: s, status: 'recorded', at: Date.now() + ++seq, replaces, deviceId: 'tablet-nik-1',
  });

  it('matches by NIK in one request (NIK in the body only): matched, differs, not found; counts only in the audit log', async () => {
    const { id } = await eventUntil('published');
    const body = { students: [
      { studentKey: 'nisn:0000000001', name: 'Rina  Melati', birthDate: '2009-05-05', nik: KNOWN_NIK },
      { studentKey: 'nisn:0000000002', name: 'Dewi Lestari', birthDate: '2009-07-07', nik: OTHER_NIK },
      { studentKey: 'nisn:0000000003', name: 'Tidak Terdaftar', birthDate: '2009-05-05', nik: '6309010101090009' },
    ] };
    const res = await officers[0]!.s.fetch(`/api/retas/cases/${id}/registry-match`, { method: 'POST', json: body });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ results: [
      { studentKey: 'nisn:0000000001', match: 'matched' },
      { studentKey: 'nisn:0000000002', match: 'differs' },
      { studentKey: 'nisn:0000000003', match: 'not_found' },
    ] });
    const audit = await env.DB.prepare("SELECT detail_json FROM audit_log WHERE action = 'retas.registry_match' AND object = ? ").bind(`case:${id}`).first<{ detail_json: string }>();
    expect(JSON.parse(audit!.detail_json)).toEqual({ matched: 1, differs: 1, not_found: 1, no_nik: 0 });
    expect(audit!.detail_json).not.toContain(KNOWN_NIK);

    // Who may ask, and bad input.
    expect((await problemOf(await outsider.fetch(`/api/retas/cases/${id}/registry-match`, { method: 'POST', json: body }))).code).toBe('retas_not_assigned');
    expect((await problemOf(await fo.fetch(`/api/retas/cases/${id}/registry-match`, { method: 'POST', json: body }))).code).toBe('forbidden_role');
    expect((await problemOf(await jambiKabid.fetch(`/api/retas/cases/${id}/registry-match`, { method: 'POST', json: body }))).code).toBe('forbidden_object');
    const bad = await officers[0]!.s.fetch(`/api/retas/cases/${id}/registry-match`, { method: 'POST', json: { students: [{ ...body.students[0], nik: '123' }] } });
    expect(bad.status).toBe(422);
    const tooMany = await officers[0]!.s.fetch(`/api/retas/cases/${id}/registry-match`, { method: 'POST', json: { students: Array.from({ length: 201 }, () => body.students[0]) } });
    expect(tooMany.status).toBe(422);
    const proposed = await eventUntil('approved');
    expect((await problemOf(await kabid.fetch(`/api/retas/cases/${proposed.id}/registry-match`, { method: 'POST', json: body }))).code).toBe('retas_not_recording');
  });

  it('the roster and report list the students not matched (no NIK, unknown, other data); a NIK typed later is kept', async () => {
    const { id } = await eventUntil('published');
    const a = officers[0]!.s;
    const matched = withNik(student(501), KNOWN_NIK, 'Rina Melati');
    const differs = withNik(student(502), OTHER_NIK, 'Dewi Lestaari');
    const unknown = withNik(student(503), '6309010101090009');
    const noNik = student(504);
    const first = [markOf(matched), markOf(differs), markOf(unknown), markOf(noNik)];
    expect((await upload(a, id, first)).map((r) => r.status)).toEqual(['applied', 'applied', 'applied', 'applied']);
    const roster = async () => ((await (await kabid.fetch(`/api/retas/cases/${id}/roster`)).json()) as { students: { name: string; nikMasked: string | null; registry: string }[] }).students;
    const before = await roster();
    expect(Object.fromEntries(before.map((s) => [s.name, [s.registry, s.nikMasked]]))).toEqual({
      'Rina Melati': ['matched', '6309••••••••0001'],
      'Dewi Lestaari': ['differs', '6309••••••••0002'],
      [unknown.name]: ['not_found', '6309••••••••0009'],
      [noNik.name]: ['no_nik', null],
    });
    const csv = await (await kabid.fetch(`/api/retas/cases/${id}/report.csv`)).text();
    expect(csv).toContain('"belum_cocok_registri","3"');
    expect(csv).toContain(`"${noNik.name}","${noNik.nisn}","2009-05-05","","recorded","","`);
    expect(csv).not.toContain(KNOWN_NIK);
    expect(csv.split('\r\n').find((l) => l.startsWith('"Rina Melati"'))).toMatch(/"matched",""$/);
    expect(csv.split('\r\n').find((l) => l.startsWith(`"${noNik.name}"`))).toMatch(/"no_nik","ya"$/);

    // The officer types the NIK of the student without one on a later change: the server keeps it and matches.
    const typed = markOf(withNik(noNik, KNOWN_NIK), first[3]!.id);
    typed.status = 'problem';
    (typed as { note?: string }).note = 'NIK diketik di tempat, nama lain';
    expect((await upload(a, id, [typed]))[0]!.status).toBe('applied');
    expect((await roster()).find((s) => s.name === noNik.name)).toMatchObject({ registry: 'differs', nikMasked: '6309••••••••0001' });
  });
});
