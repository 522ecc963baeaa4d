// `npm run bench` (run by tsx, to share schema/ids.ts): sync push throughput against wrangler dev with local D1, and the bytes each case costs in D1
// (the numbers behind the one-database-per-office scale plan in docs/architecture.md). Bounded: fixed counts, loopback only.
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { uuid7 } from '../../schema/ids.ts';
import { d1Query, ensureDevVars, migrate, seed, startServer } from '../../scripts/stack.mjs';

const CASES = Number(process.env.BENCH_CASES ?? 300);
const PER_PUSH = 20;
const port = 8797;
const dir = `${os.tmpdir()}/loket-bench-${Date.now()}`;

await ensureDevVars();
migrate(dir);
seed(dir);
const niks = d1Query("SELECT nik FROM residents WHERE office_code = '63.09' LIMIT 50", dir).map((r) => r.nik);
const server = await startServer({ port, persistTo: dir });
const origin = `http://127.0.0.1:${port}`;
async function login(username) {
  const res = await fetch(`${origin}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json', origin }, body: JSON.stringify({ username, password: 'Loket-Demo-2026' }) });
  if (!res.ok) throw new Error(`login ${username}: ${res.status}`);
  return res.headers.getSetCookie()[0].split(';')[0];
}
const fo = await login('fo.tabalong');
const op = await login('operator.tabalong');

const latencies = [];
async function push(cookie, commands) {
  const t = performance.now();
  const res = await fetch(`${origin}/api/sync/push`, { method: 'POST', headers: { 'content-type': 'application/json', origin, cookie }, body: JSON.stringify({ commands }) });
  latencies.push(performance.now() - t);
  const body = await res.json();
  if (!res.ok || body.results.some((r) => r.status !== 'applied')) throw new Error(`push failed: ${JSON.stringify(body).slice(0, 300)}`);
}

try {
  const started = performance.now();
  for (let i = 0; i < CASES; i += PER_PUSH) {
    const ids = Array.from({ length: Math.min(PER_PUSH, CASES - i) }, () => uuid7());
    await push(fo, ids.map((caseId, k) => ({ id: uuid7(), type: 'create', caseId, service: 'ktpel', input: { nik: niks[(i + k) % niks.length], reason: 'baru', channel: 'counter', phone: '081234567890' } })));
    await push(fo, ids.map((caseId) => ({ id: uuid7(), type: 'action', caseId, action: 'accept', baseVersion: 1, input: {} })));
    await push(op, ids.map((caseId) => ({ id: uuid7(), type: 'action', caseId, action: 'record_input', baseVersion: 2, input: {} })));
    await push(op, ids.map((caseId) => ({ id: uuid7(), type: 'action', caseId, action: 'hand_to_fo', baseVersion: 3, input: { blankoSerial: `BLK-${randomUUID().slice(0, 8)}` } })));
    await push(fo, ids.map((caseId) => ({ id: uuid7(), type: 'action', caseId, action: 'collect', baseVersion: 4, input: {} })));
  }
  const seconds = (performance.now() - started) / 1000;
  const commands = CASES * 5;
  latencies.sort((a, b) => a - b);
  const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))].toFixed(1);

  // Bytes of stored values per table (SQLite overhead and indexes come on top; see docs/architecture.md).
  const tables = {
    cases: 'length(id)+length(service)+length(office_code)+length(state)+8+ifnull(length(resident_nik),0)+length(data_json)+24+length(created_by)+length(last_command_id)',
    case_steps: '8+length(case_id)+8+length(action)+ifnull(length(from_state),0)+length(to_state)+length(actor_id)+8+length(input_json)',
    commands: 'length(id)+length(subject_id)+8+length(status)+length(result_json)',
    changes: '8+length(case_id)+length(office_code)+ifnull(length(resident_nik),0)+16',
    audit_log: '8+length(at)+length(actor)+length(action)+length(object)+ifnull(length(ip),0)+length(detail_json)+128',
    notifications: 'length(id)+length(channel)+length(recipient)+length(subject)+length(body)+ifnull(length(case_id),0)+length(status)+40+ifnull(length(last_error),0)',
  };
  const sizes = {};
  for (const [t, expr] of Object.entries(tables)) {
    const [row] = d1Query(`SELECT count(*) AS n, sum(${expr}) AS bytes FROM ${t}`, dir);
    sizes[t] = row;
  }
  const perCase = Object.values(sizes).reduce((s, r) => s + (r.bytes ?? 0), 0) / CASES;
  console.log(JSON.stringify({
    date: new Date().toISOString(),
    machine: `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}`,
    cases: CASES, commands, pushes: latencies.length, commandsPerPush: PER_PUSH,
    commandsPerSecond: Math.round(commands / seconds),
    pushLatencyMs: { p50: pct(50), p95: pct(95), max: latencies.at(-1).toFixed(1) },
    bytesPerClosedKtpelCase: Math.round(perCase),
    tables: sizes,
  }, null, 2));
} finally {
  server.child.kill();
}
