// `npm run bench:write`: the write path on the local stack, two measures (issue 7's goals), loopback only:
// 1. drain: one tablet's 5,000 queued commands (creates and their acceptances) while 30% of
//    exchanges fail (pushes cut as the PWA cuts them: up to 100 commands or 64 KiB) (half never reach the server, half lose their answer after it applied them);
// 2. action cost: one workflow action through POST /api/sync/push against a bare D1 batch writing the same rows
//    through the Worker (test-only route), interleaved in one run, median and p99.
import { uuid7 } from '../../schema/ids';
import { PUSH_COMMANDS_MAX } from '../../web/src/sync/order';
import { Device, faultProxy, login, machine, percentile, pusher, seeded, startStack } from '../load/lib';

const COMMANDS = Number(process.env.BENCH_COMMANDS ?? 5000);
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 200);
const BATCH = Number(process.env.BENCH_BATCH ?? PUSH_COMMANDS_MAX);
const stack = await startStack(process.env.BENCH_VARS ? JSON.parse(process.env.BENCH_VARS) : {});
try {
  const cookie = await login(stack.origin, 'fo.tabalong');
  const niks = (await stack.sql<{ nik: string }>("SELECT nik FROM residents WHERE office_code = '63.09' AND birth_date < '2005-01-01' LIMIT 50")).map((r) => r.nik);

  // ── 1. drain ──
  const random = seeded(7);
  const proxy = await faultProxy(stack.port, () => { const r = random(); return r < 0.15 ? 'drop_request' : r < 0.3 ? 'drop_response' : 'pass'; });
  const device = new Device(pusher(`http://127.0.0.1:${proxy.port}`, cookie));
  for (let i = 0; i < COMMANDS / 2; i++) {
    const caseId = uuid7();
    device.create(caseId, { nik: niks[i % niks.length], reason: 'baru', channel: 'counter', notes: 'bench:drain' });
    device.action(caseId, 'accept', 1);
  }
  const t0 = performance.now();
  await device.drain(BATCH, 600_000);
  const drainSeconds = (performance.now() - t0) / 1000;
  proxy.close();
  const [drained] = await stack.sql<{ n: number }>(`SELECT count(*) AS n FROM cases WHERE state = 'accepted' AND data_json LIKE '%bench:drain%'`);

  // ── 2. action vs bare batch ──
  const action: number[] = [];
  const bare: number[] = [];
  const send = pusher(stack.origin, cookie);
  const prepared: string[] = [];
  for (let i = 0; i < SAMPLES * 2; i += 50) {
    const batch = Array.from({ length: 50 }, (_, k) => ({ id: uuid7(), type: 'create', caseId: uuid7(), service: 'ktpel', input: { nik: niks[(i + k) % niks.length], reason: 'baru', channel: 'counter' } }));
    await send(JSON.stringify({ commands: batch }));
    prepared.push(...batch.map((b) => b.caseId));
  }
  for (let i = 0; i < SAMPLES; i++) {
    const forAction = prepared[2 * i]!;
    const forBare = prepared[2 * i + 1]!;
    let t = performance.now();
    const answer = await send(JSON.stringify({ commands: [{ id: uuid7(), type: 'action', caseId: forAction, action: 'accept', baseVersion: 1, input: {} }] }));
    action.push(performance.now() - t);
    if (answer?.results[0]?.status !== 'applied') throw new Error(`action not applied: ${JSON.stringify(answer)}`);
    const now = Date.now();
    const commandId = uuid7();
    t = performance.now();
    await stack.batch([
      { sql: `UPDATE cases SET state = 'accepted', version = version + 1, data_json = data_json, step_started_at = ?, updated_at = ?, last_command_id = ? WHERE id = ? AND version = 1`, params: [now, now, commandId, forBare] },
      { sql: `INSERT INTO case_steps (case_id, version, action, from_state, to_state, actor_id, at, input_json) VALUES (?, 2, 'accept', 'submitted', 'accepted', 'staff:bench', ?, '{}')`, params: [forBare, now] },
      { sql: `INSERT INTO changes (case_id, office_code, resident_nik, version, at) VALUES (?, '63.09', NULL, 2, ?)`, params: [forBare, now] },
      { sql: `INSERT INTO commands (id, subject_id, received_at, status, result_json) VALUES (?, 'staff:bench', ?, 'applied', ?)`, params: [commandId, now, JSON.stringify({ commandId, status: 'applied', caseId: forBare })] },
      { sql: `INSERT INTO audit_log (at, actor, action, object, ip, detail_json, key_id, mac) VALUES (?, 'staff:bench', 'ktpel.accept', ?, NULL, '{}', 'bench', 'bench')`, params: [new Date(now).toISOString(), `case:${forBare}`] },
    ]);
    bare.push(performance.now() - t);
  }
  action.sort((a, b) => a - b);
  bare.sort((a, b) => a - b);
  const ms = (v: number) => Number(v.toFixed(1));
  console.log(JSON.stringify({
    date: new Date().toISOString(),
    machine: machine(),
    drain: {
      commands: COMMANDS, applied: (drained?.n ?? 0) * 2, batch: BATCH, exchanges: device.exchanges, failedExchanges: device.failedExchanges,
      seconds: Number(drainSeconds.toFixed(1)), commandsPerSecond: Math.round(COMMANDS / drainSeconds), goalSeconds: 15,
    },
    actionVsBareBatch: {
      samples: SAMPLES,
      actionMs: { p50: ms(percentile(action, 50)), p99: ms(percentile(action, 99)) },
      bareBatchMs: { p50: ms(percentile(bare, 50)), p99: ms(percentile(bare, 99)) },
      ratio: { p50: ms(percentile(action, 50) / percentile(bare, 50)), p99: ms(percentile(action, 99) / percentile(bare, 99)) },
      goalRatio: 2,
    },
  }, null, 2));
} finally {
  await stack.stop();
}
