// A RETAS school day synced from one tablet (run by tsx: `npm run bench:retas`), against the real local stack
// (wrangler dev, local D1): 200 students recorded offline — 150 with a NIK of the demo registry, 50 without — then,
// once online, the registry match and the upload of the marks exactly as the tablet sends them (the PWA's own
// nextUpload: one mark per student per upload, ≤ 200), then 20 students changed after lunch. Measures wall time,
// bytes sent and received (HTTP bodies) and round trips; checks every student is in D1 exactly once.
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { uuid7 } from '../../schema/ids.ts';
import { MARKS_PER_UPLOAD, MATCHES_PER_REQUEST, studentKey } from '../../schema/retas/roster.ts';
import { nextUpload } from '../../web/src/features/retas/roster-logic.ts';
import { d1Query, ensureDevVars, migrate, seed, startServer } from '../../scripts/stack.mjs';

const STUDENTS = Number(process.env.BENCH_STUDENTS ?? 200);
const WITH_NIK = Math.round(STUDENTS * 0.75);
const CHANGED = 20;
const port = 8799;
const dir = `${os.tmpdir()}/loket-bench-retas-${Date.now()}`;
await ensureDevVars();
migrate(dir);
seed(dir);
// The API only: an empty asset directory instead of a built PWA (web/dist need not exist).
mkdirSync(`${dir}-assets`, { recursive: true });
writeFileSync(`${dir}-assets/index.html`, '<!doctype html><title>bench</title>');
const server = await startServer({ port, persistTo: dir, assets: `${dir}-assets` });
const origin = `http://127.0.0.1:${port}`;
const enc = new TextEncoder();

/** Request and response bodies of the timed phase (HTTP headers left out: they depend on the client). */
const meter = { sent: 0, received: 0, trips: 0 };
const login = async (username) => {
  const res = await fetch(`${origin}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json', origin }, body: JSON.stringify({ username, password: 'Loket-Demo-2026' }) });
  if (!res.ok) throw new Error(`login ${username}: ${res.status}`);
  return res.headers.getSetCookie().find((c) => c.startsWith('loket_session=')).split(';')[0];
};
const call = async (cookie, path, body, method = body ? 'POST' : 'GET') => {
  const payload = body ? JSON.stringify(body) : undefined;
  const res = await fetch(`${origin}${path}`, { method, headers: { 'content-type': 'application/json', origin, cookie }, body: payload });
  const text = await res.text();
  meter.trips++;
  meter.sent += payload ? enc.encode(payload).length : 0;
  meter.received += enc.encode(text).length;
  if (!res.ok) throw new Error(`${path}: ${res.status} ${text}`);
  return JSON.parse(text);
};
const push = async (cookie, cmd) => {
  const { results } = await call(cookie, '/api/sync/push', { commands: [{ id: uuid7(), ...cmd }] });
  if (results[0].status !== 'applied') throw new Error(JSON.stringify(results[0]));
  return results[0].case;
};

try {
  const [kabid, kadis, petugas] = await Promise.all(['kabid.tabalong', 'kadis.tabalong', 'retas.tabalong'].map(login));
  // The event, taken through the SOP to recording (not timed).
  const npsn = '30209999';
  await call(kabid, `/api/retas/schools/${npsn}`, { name: 'SMA NEGERI BENCH TANJUNG', address: 'Jl. Pendidikan 9', districtCode: '63.09.01', contactName: 'Ibu Guru', contactPhone: '081234567890' }, 'PUT');
  const date = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);
  const caseId = uuid7();
  let c = await push(kabid, { type: 'create', caseId, service: 'retas', input: { schoolNpsn: npsn, schoolName: 'SMAN Bench', date, startTime: '07:30', endTime: '15:00', expectedStudents: STUDENTS, officersWanted: 1, equipment: ['mobile_unit', 'recording_kit'] } });
  c = await push(kadis, { type: 'action', caseId, action: 'approve', baseVersion: c.version, input: {} });
  const { officers } = await call(kabid, '/api/retas/officers');
  const officer = officers.find((o) => o.name.includes('Tabalong')) ?? officers[0];
  c = await push(kabid, { type: 'action', caseId, action: 'forward_letter', baseVersion: c.version, input: { officerIds: [officer.id] } });
  const signed = await call(kadis, `/api/retas/cases/${caseId}/letter/sign`, { password: 'Loket-Demo-2026', version: c.version });
  await call(petugas, `/api/retas/cases/${caseId}/acknowledgements`, {});
  c = await push(kabid, { type: 'action', caseId, action: 'confirm_ready', baseVersion: signed.version, input: { officersConfirmed: true, equipmentConfirmed: true } });
  await push(petugas, { type: 'action', caseId, action: 'start_recording', baseVersion: c.version, input: {} });

  // The school's list: residents of the demo registry (both offices: a student may be registered elsewhere) of age
  // on the day, with their NIK; the rest without one.
  const cutoff = `${Number(date.slice(0, 4)) - 17}${date.slice(4)}`;
  // In pages of 100 (what one `wrangler d1 execute --json` answer holds here).
  const residents = [];
  for (let offset = 0; residents.length < WITH_NIK; offset += 100) {
    const page = d1Query(`SELECT nik, name, birth_date FROM residents WHERE birth_date <= '${cutoff}' ORDER BY birth_date DESC, nik LIMIT 100 OFFSET ${offset}`, dir);
    if (!page.length) break;
    residents.push(...page.slice(0, WITH_NIK - residents.length));
  }
  if (residents.length < WITH_NIK) throw new Error(`only ${residents.length} residents of age in the demo registry`);
  const students = Array.from({ length: STUDENTS }, (_, i) => {
    const r = residents[i];
    return r ? { name: r.name, birthDate: r.birth_date, nik: r.nik, className: `XII-${1 + (i % 6)}` } : { name: `Siswa Tanpa NIK ${String.fromCharCode(65 + (i % 26))}${i}`, birthDate: cutoff, nisn: String(9_100_000_000 + i), className: `XII-${1 + (i % 6)}` };
  });

  // Offline: every tap stored as the tablet stores it (the roster-store's mark rows), one after another.
  const deviceId = 'tablet-bench-1';
  let seq = 0;
  const marks = [];
  const tap = (s, status, replaces = null, note) => {
    const m = { id: uuid7(), caseId, studentKey: studentKey(s), student: s, status, ...(note ? { note } : {}), at: Date.now() + seq, replaces, deviceId, seq: ++seq, state: 'pending', userId: officer.id };
    marks.push(m);
    return m;
  };
  const first = students.map((s, i) => tap(s, i % 10 === 0 ? 'absent' : i % 37 === 0 ? 'problem' : 'recorded', null, i % 37 === 0 ? 'Sidik jari tidak terbaca' : undefined));
  // After lunch: absent students came back (their change names the mark it replaces).
  first.filter((m) => m.status === 'absent').slice(0, CHANGED).forEach((m) => tap(m.student, 'recorded', m.id));

  // Online: the registry match, then the uploads exactly as syncRoster sends them.
  meter.sent = meter.received = meter.trips = 0;
  const t0 = performance.now();
  const withNik = students.filter((s) => s.nik);
  const matches = [];
  for (let i = 0; i < withNik.length; i += MATCHES_PER_REQUEST) {
    const chunk = withNik.slice(i, i + MATCHES_PER_REQUEST);
    matches.push(...(await call(petugas, `/api/retas/cases/${caseId}/registry-match`, { students: chunk.map((s) => ({ studentKey: studentKey(s), name: s.name, birthDate: s.birthDate, nik: s.nik })) })).results);
  }
  const matchMs = performance.now() - t0;
  const matchTrips = meter.trips;
  const uploadTimes = [];
  for (;;) {
    const batch = nextUpload(marks.filter((m) => m.state === 'pending'), MARKS_PER_UPLOAD);
    if (!batch.length) break;
    const t = performance.now();
    const { results } = await call(petugas, `/api/retas/cases/${caseId}/marks`, { marks: batch.map((m) => ({ id: m.id, studentKey: m.studentKey, student: m.student, status: m.status, ...(m.note ? { note: m.note } : {}), at: m.at, replaces: m.replaces, deviceId: m.deviceId })) });
    uploadTimes.push({ n: batch.length, ms: performance.now() - t });
    for (const r of results) {
      if (r.status !== 'applied') throw new Error(`mark ${r.id}: ${JSON.stringify(r)}`);
      marks.find((m) => m.id === r.id).state = 'applied';
    }
  }
  const totalMs = performance.now() - t0;
  const whole = { ...meter };

  // Exactly once in D1, and a resend of the whole day answered duplicate (a lost answer costs nothing).
  const [row] = d1Query(`SELECT (SELECT COUNT(*) FROM retas_students WHERE case_id = '${caseId}') AS students, (SELECT COUNT(*) FROM retas_marks WHERE case_id = '${caseId}' AND outcome = 'applied') AS marks, (SELECT COUNT(*) FROM retas_students WHERE case_id = '${caseId}' AND status = 'recorded') AS recorded`, dir);
  if (row.students !== STUDENTS || row.marks !== marks.length) throw new Error(`D1 holds ${row.students} students and ${row.marks} marks, expected ${STUDENTS} and ${marks.length}`);
  const t2 = performance.now();
  const { results: again } = await call(petugas, `/api/retas/cases/${caseId}/marks`, { marks: first.map((m) => ({ id: m.id, studentKey: m.studentKey, student: m.student, status: m.status, ...(m.note ? { note: m.note } : {}), at: m.at, replaces: m.replaces, deviceId: m.deviceId })) });
  const resendMs = performance.now() - t2;
  if (again.some((r) => r.status !== 'duplicate')) throw new Error('a resent mark was not answered duplicate');
  const resendBytes = meter.sent - whole.sent;

  const kib = (b) => `${(b / 1024).toFixed(1)} KiB`;
  const byMatch = matches.reduce((acc, m) => ({ ...acc, [m.match]: (acc[m.match] ?? 0) + 1 }), {});
  const load = os.loadavg()[0].toFixed(1);
  console.log(`# RETAS school day sync — ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC — ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, node ${process.version}, wrangler dev (local D1), load average ${load}\n`);
  console.log('| measure | value |');
  console.log('|---|---|');
  console.log(`| students / marks (${CHANGED} absent students marked again after lunch) | ${STUDENTS} / ${marks.length} |`);
  console.log(`| registry match (${withNik.length} NIKs, ≤ ${MATCHES_PER_REQUEST} per request) | ${matchTrips} round trip(s), ${matchMs.toFixed(0)} ms; ${JSON.stringify(byMatch)} |`);
  console.log(`| mark uploads (one mark per student per upload, ≤ ${MARKS_PER_UPLOAD}) | ${uploadTimes.length} round trips: ${uploadTimes.map((u) => `${u.n} marks ${u.ms.toFixed(0)} ms`).join(', ')} |`);
  console.log(`| whole sync: time / round trips | ${(totalMs / 1000).toFixed(2)} s / ${whole.trips} |`);
  console.log(`| bytes sent / received (JSON bodies, whole sync) | ${kib(whole.sent)} / ${kib(whole.received)} (${(whole.sent / marks.length).toFixed(0)} B sent per mark) |`);
  console.log(`| resend of the first ${first.length} marks (answer lost): all duplicate | ${resendMs.toFixed(0)} ms, ${kib(resendBytes)} sent |`);
  console.log(`| in D1 afterwards | ${row.students} students once each, ${row.marks} marks applied, ${row.recorded} recorded |`);
} catch (err) {
  // The server's side of a failure: its last lines.
  console.error(server.log().split('\n').slice(-40).join('\n'));
  throw err;
} finally {
  server.child.kill();
}
