// `npm run test:faults [-- --commands N]`: one tablet's outbox through six kinds of sync fault against the local stack,
// then counts in D1 that nothing was lost and nothing doubled. Deterministic (seeded fault plan); loopback only.
import { uuid7 } from '../../schema/ids';
import { PUSH_COMMANDS_MAX } from '../../web/src/sync/order';
import { Device, faultProxy, login, machine, pusher, seeded, startStack, writeReport, type Fault } from './lib';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
/** Commands in all (creates and accepts, half each), split over the scenarios. */
const TOTAL = arg('commands', 5000);
// Pushes as large as the PWA makes them, cut smaller when a scenario is short so every fault meets several
// exchanges (the kill lands on the third).
let BATCH = PUSH_COMMANDS_MAX;
const HOUR = 60 * 60_000;

const stack = await startStack();
const failures: string[] = [];
const rows: { scenario: string; commands: number; exchanges: number; failedExchanges: number; lost: number; duplicated: number; refused: number; seconds: number }[] = [];
try {
  const cookie = await login(stack.origin, 'fo.tabalong');
  const niks = (await stack.sql<{ nik: string }>("SELECT nik FROM residents WHERE office_code = '63.09' AND birth_date < '2005-01-01' LIMIT 50")).map((r) => r.nik);
  const random = seeded(20261130);

  const scenarios: { name: string; plan: (n: number) => Fault; clock?: () => number; run?: (d: Device, send: ReturnType<typeof pusher>) => Promise<void> }[] = [
    { name: 'dropped requests (30%)', plan: () => (random() < 0.3 ? 'drop_request' : 'pass') },
    { name: 'dropped responses (30%)', plan: () => (random() < 0.3 ? 'drop_response' : 'pass') },
    { name: 'the same batch twice, and 10× at once', plan: () => { const r = random(); return r < 0.15 ? 'twice' : r < 0.3 ? 'ten_at_once' : 'pass'; } },
    {
      name: 'batches reordered',
      plan: () => 'pass',
      // Two tabs or a service worker racing: the later batches go first, then the outbox drains as usual.
      run: async (d, send) => {
        const batches: string[] = [];
        for (let i = 0; i < d.queue.length; i += BATCH) batches.push(JSON.stringify({ commands: d.queue.slice(i, i + BATCH).map((q) => q.wire) }));
        await Promise.all(batches.reverse().map((b) => send(b)));
      },
    },
    { name: 'worker killed mid-batch and restarted', plan: () => 'pass' },
    { name: 'device clock ±2 h', plan: () => (random() < 0.1 ? 'drop_response' : 'pass'), clock: (() => { let k = 0; return () => (k++ % 2 ? 2 : -2) * HOUR; })() },
  ];
  const per = Math.floor(TOTAL / scenarios.length / 2) * 2;
  BATCH = Math.min(PUSH_COMMANDS_MAX, Math.max(5, Math.floor(per / 8)));

  for (const s of scenarios) {
    const tag = `fault:${s.name}`;
    const proxy = await faultProxy(stack.port, s.plan);
    const plainSend = pusher(`http://127.0.0.1:${proxy.port}`, cookie);
    let exchange = 0;
    let restarted: Promise<void> | undefined;
    // The kill scenario: the third exchange is in flight when the Worker process is killed (SIGKILL), then restarted.
    const send: typeof plainSend = s.name.startsWith('worker killed')
      ? async (body) => {
          if (++exchange !== 3) return plainSend(body);
          const inFlight = plainSend(body);
          await new Promise((r) => setTimeout(r, 15));
          restarted = stack.killAndRestart();
          const answer = await inFlight;
          await restarted;
          return answer;
        }
      : plainSend;
    const d = new Device(send, s.clock);
    for (let i = 0; i < per / 2; i++) {
      // Case ids are UUIDv7 from the device's (possibly wrong) clock, like the PWA's.
      const caseId = uuid7(Date.now() + (s.clock?.() ?? 0));
      d.create(caseId, { nik: niks[i % niks.length], reason: 'baru', channel: 'counter', notes: tag });
      d.action(caseId, 'accept', 1);
    }
    const started = performance.now();
    if (s.run) await s.run(d, send);
    await d.drain(BATCH, 180_000);
    if (s.name.startsWith('worker killed') && !restarted) failures.push('the Worker was never killed: too few exchanges');
    const seconds = (performance.now() - started) / 1000;
    proxy.close();

    const [found] = await stack.sql<{ cases: number; accepted: number; steps: number; changes: number; audit: number; commands: number }>(`
      SELECT count(*) AS cases, sum(state = 'accepted' AND version = 2) AS accepted,
        (SELECT count(*) FROM case_steps WHERE case_id IN (SELECT id FROM cases WHERE data_json LIKE '%${tag}%')) AS steps,
        (SELECT count(*) FROM changes WHERE case_id IN (SELECT id FROM cases WHERE data_json LIKE '%${tag}%')) AS changes,
        (SELECT count(*) FROM audit_log WHERE object IN (SELECT 'case:' || id FROM cases WHERE data_json LIKE '%${tag}%')) AS audit,
        (SELECT count(*) FROM commands WHERE status = 'applied' AND json_extract(result_json, '$.caseId') IN (SELECT id FROM cases WHERE data_json LIKE '%${tag}%')) AS commands
      FROM cases WHERE data_json LIKE '%${tag}%'`);
    const expectedCases = per / 2;
    const lost = expectedCases - (found?.accepted ?? 0) + d.queue.length;
    const duplicated = Math.max(0, (found?.cases ?? 0) - expectedCases) + Math.max(0, (found?.steps ?? 0) - per) + Math.max(0, (found?.changes ?? 0) - per) + Math.max(0, (found?.audit ?? 0) - per) + Math.max(0, (found?.commands ?? 0) - per);
    const refused = [...d.answered.values()].filter((o) => o === 'conflict' || o === 'rejected').length;
    rows.push({ scenario: s.name, commands: per, exchanges: d.exchanges, failedExchanges: d.failedExchanges, lost, duplicated, refused, seconds: Number(seconds.toFixed(1)) });
    if (lost || duplicated || refused) failures.push(`${s.name}: lost ${lost}, duplicated ${duplicated}, refused ${refused} (${JSON.stringify(found)})`);
  }
} finally {
  await stack.stop();
}

console.log(JSON.stringify({ date: new Date().toISOString(), machine: machine(), batch: BATCH, scenarios: rows }, null, 2));
const lost = rows.reduce((n, r) => n + r.lost, 0);
const duplicated = rows.reduce((n, r) => n + r.duplicated, 0);
const commands = rows.reduce((n, r) => n + r.commands, 0);
console.log(`faults: ${commands} commands through ${rows.length} fault scenarios; lost ${lost}, duplicated ${duplicated}`);
writeReport(rows.length - failures.length, failures.length || (rows.length ? 0 : 1));
if (failures.length) {
  console.error(failures.join('\n'));
  process.exit(1);
}
// Done: leave no stray handle (a keep-alive socket, a wrangler child still exiting) holding the process open.
process.exit(process.exitCode ?? 0);
