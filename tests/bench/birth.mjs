// Birth certificates on the local stack (run by tsx: `npm run bench:birth`): attachment upload throughput into R2
// (whole and in parts), certificate PDF build and signing time (office key), PDF size and QR version. Bounded: 20
// cases, loopback only.
import os from 'node:os';
import { createHash, randomBytes } from 'node:crypto';
import { uuid7 } from '../../schema/ids.ts';
import { b64u } from '../../schema/ktp/bytes.ts';
import { encodeQr } from '../../schema/ktp/qr.ts';
import { ensureDevVars, migrate, seed, startServer } from '../../scripts/stack.mjs';

const CASES = Number(process.env.BENCH_CASES ?? 20);
const FILE_BYTES = 400 * 1024; // a phone photo after the PWA's compression
const port = 8798;
const dir = `${os.tmpdir()}/loket-bench-birth-${Date.now()}`;
await ensureDevVars();
migrate(dir);
seed(dir);
const server = await startServer({ port, persistTo: dir });
const origin = `http://127.0.0.1:${port}`;
const login = async (username) => {
  const res = await fetch(`${origin}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json', origin }, body: JSON.stringify({ username, password: 'Loket-Demo-2026' }) });
  if (!res.ok) throw new Error(`login ${username}: ${res.status}`);
  // Sign-in also sets the known-browser cookie: take the session's by name.
  return res.headers.getSetCookie().find((c) => c.startsWith('loket_session=')).split(';')[0];
};
const call = async (cookie, path, body) => {
  const res = await fetch(`${origin}${path}`, { method: body ? 'POST' : 'GET', headers: { 'content-type': 'application/json', origin, cookie }, body: body ? JSON.stringify(body) : undefined });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return res.json();
};
const push = async (cookie, commands) => {
  const { results } = await call(cookie, '/api/sync/push', { commands });
  if (results.some((r) => r.status !== 'applied')) throw new Error(JSON.stringify(results.find((r) => r.status !== 'applied')));
};

try {
  const [mitra, op, ver, kadis] = await Promise.all(['mitra.tabalong', 'operator.tabalong', 'verifikator.tabalong', 'kadis.tabalong'].map(login));
  const birthDate = new Date(Date.now() - 5 * 86_400_000).toISOString().slice(0, 10);
  const files = [];
  const ids = [];
  for (let i = 0; i < CASES; i++) {
    const caseId = uuid7();
    ids.push(caseId);
    const atts = ['surat_lahir', 'buku_nikah', 'kk'].map((requirement) => {
      const bytes = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(FILE_BYTES - 4)]);
      const ref = { id: uuid7(), requirement, contentType: 'image/jpeg', size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
      files.push({ ...ref, bytes });
      return ref;
    });
    const input = {
      child: { name: `Nur'aini Siti-Ḥasanah ${String.fromCharCode(97 + (i % 26))}`, sex: 'P', birthDate, birthTime: '07:45', birthPlace: 'RSUD H. Badaruddin Kasim', birthOrder: 1, weightGrams: 3100, lengthCm: 49 },
      mother: { nik: `630901410195${String(1000 + i)}`, name: 'Siti Aminah' }, kkNumber: '6309010101200001', parentsMarriage: 'kawin_tercatat',
      reporter: { name: 'Siti Aminah', phone: '081200000001', email: 'ibu@example.test' }, attachments: atts,
    };
    await push(mitra, [{ id: uuid7(), type: 'create', caseId, service: 'birth', input }]);
  }
  // Uploads, four at a time as the PWA's queue could, over loopback: half of the files whole, half in 256 KiB parts
  // (GET which parts the server has, PUT each, POST complete), as the PWA sends a file larger than one part.
  const half = Math.floor(files.length / 2);
  const headers = { origin, cookie: mitra };
  const whole = async (f) => {
    const res = await fetch(`${origin}/api/birth/attachments/${f.id}`, { method: 'PUT', headers: { ...headers, 'content-type': 'image/jpeg' }, body: f.bytes });
    if (!res.ok) throw new Error(`upload ${res.status} ${await res.text()}`);
  };
  const inParts = async (f) => {
    const base = `${origin}/api/birth/attachments/${f.id}`;
    const st = await (await fetch(`${base}/parts`, { headers })).json();
    for (let n = 0; n < st.partCount; n++) {
      if (st.received.includes(n)) continue;
      const res = await fetch(`${base}/parts/${n}`, { method: 'PUT', headers: { ...headers, 'content-type': 'application/octet-stream' }, body: f.bytes.subarray(n * st.partBytes, (n + 1) * st.partBytes) });
      if (!res.ok) throw new Error(`part ${n}: ${res.status} ${await res.text()}`);
    }
    const done = await fetch(`${base}/complete`, { method: 'POST', headers });
    if (!done.ok) throw new Error(`complete ${done.status} ${await done.text()}`);
  };
  const timed = async (list, send) => {
    const t = performance.now();
    for (let i = 0; i < list.length; i += 4) await Promise.all(list.slice(i, i + 4).map(send));
    return (performance.now() - t) / 1000;
  };
  const uploadS = await timed(files.slice(0, half), whole);
  const partsS = await timed(files.slice(half), inParts);
  for (const [who, action, base] of [[op, 'accept', 1], [op, 'record_input', 2], [ver, 'request_signature', 3]]) {
    await push(who, ids.map((caseId) => ({ id: uuid7(), type: 'action', caseId, action, baseVersion: base, input: {} })));
  }
  // Half the files in one request; the other half in four requests at the same moment (two browser tabs, or two
  // heads of office): every one must come back numbered with its document built.
  const oneRequest = ids.slice(0, Math.ceil(CASES / 2));
  const together = ids.slice(oneRequest.length);
  const t1 = performance.now();
  const { results } = await call(kadis, '/api/birth/sign', { password: 'Loket-Demo-2026', cases: oneRequest.map((id) => ({ id, version: 4 })) });
  const signS = (performance.now() - t1) / 1000;
  const t2 = performance.now();
  const quarters = [0, 1, 2, 3].map((k) => together.filter((_, i) => i % 4 === k)).filter((q) => q.length);
  const concurrent = (await Promise.all(quarters.map((q) => call(kadis, '/api/birth/sign', { password: 'Loket-Demo-2026', cases: q.map((id) => ({ id, version: 4 })) })))).flatMap((r) => r.results);
  const concurrentS = (performance.now() - t2) / 1000;
  if (concurrent.some((r) => !r.documentReady)) throw new Error(`concurrent signing: ${JSON.stringify(concurrent.find((r) => !r.documentReady))}`);
  const numbers = [...results, ...concurrent].map((r) => Number(r.registerNo.slice(-4))).sort((a, b) => a - b);
  if (new Set(numbers).size !== CASES || numbers.at(-1) - numbers[0] !== CASES - 1) throw new Error(`register numbers not consecutive: ${numbers}`);
  if (results.some((r) => !r.documentReady)) throw new Error(JSON.stringify(results.find((r) => !r.documentReady)));
  const pdfMs = [...results, ...concurrent].map((r) => r.timings.pdfMs).sort((a, b) => a - b);
  const tteMs = [...results, ...concurrent].map((r) => r.timings.signMs).sort((a, b) => a - b);
  const { certificates } = await call(op, `/api/birth/cases/${ids[0]}/certificates`);
  const pdf = await (await fetch(certificates[0].downloadUrl.replace(/^https?:\/\/[^/]+/, origin))).arrayBuffer();
  const qr = encodeQr(b64u.decode(certificates[0].qr), 40);
  const med = (a) => a[Math.floor(a.length / 2)];
  console.log(`# Birth certificates — ${new Date().toISOString().slice(0, 10)} — ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, node ${process.version}, wrangler dev (local D1 + R2)\n`);
  console.log('| measure | value |');
  console.log('|---|---|');
  const rate = (n, s) => `${(n * FILE_BYTES / 1024 / 1024 / s).toFixed(1)} MiB/s, ${(n / s).toFixed(1)} files/s`;
  console.log(`| attachment upload whole (${half} × ${FILE_BYTES / 1024} KiB, 4 at a time) | ${rate(half, uploadS)} |`);
  console.log(`| attachment upload in 256 KiB parts (${files.length - half} × ${FILE_BYTES / 1024} KiB, 4 files at a time) | ${rate(files.length - half, partsS)} |`);
  console.log(`| sign ${oneRequest.length} certificates in one request (re-auth, engine, PDF, TTE, R2, messages) | ${signS.toFixed(2)} s, ${(signS * 1000 / oneRequest.length).toFixed(0)} ms per certificate |`);
  console.log(`| sign ${together.length} certificates in ${quarters.length} requests at once | ${concurrentS.toFixed(2)} s, all documents built, register numbers ${numbers[0]}–${numbers.at(-1)} with no gap or repeat |`);
  console.log(`| PDF build (pdf-lib + DejaVu Serif subset), median / max | ${med(pdfMs)} / ${pdfMs.at(-1)} ms |`);
  console.log(`| TTE, local office-key adapter, median / max | ${med(tteMs)} / ${tteMs.at(-1)} ms |`);
  console.log(`| certificate PDF size | ${(pdf.byteLength / 1024).toFixed(1)} KiB |`);
  console.log(`| QR on the certificate | ${b64u.decode(certificates[0].qr).length} bytes, version ${qr.version} at level M |`);
} finally {
  await server.stop();
}
