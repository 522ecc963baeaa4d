// `npm run test:load [-- --clients 100 --seconds 60]`: many clients at once on the local stack, mixing reads (pull,
// case list), creates and workflow actions across two offices' accounts. Passes only with 0 errors: no 5xx from the
// Worker, no request left unanswered after the resends the PWA's outbox would make, no refusal other than the
// expected conflict of two clients acting on one case, and every applied create exactly one case in D1. Loopback only.
import { uuid7 } from '../../schema/ids';
import { login, machine, percentile, startStack, writeReport } from './lib';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const CLIENTS = arg('clients', 100);
const SECONDS = arg('seconds', 60);

const stack = await startStack();
const errors: string[] = [];
/** Transport failures the client resent (see `call`); not errors unless a resend also fails. */
const transport: string[] = [];
const latencies: Record<'read' | 'create' | 'action', number[]> = { read: [], create: [], action: [] };
const outcomes: Record<string, number> = {};
try {
  const offices = [
    { code: '63.09', fo: await login(stack.origin, 'fo.tabalong'), op: await login(stack.origin, 'operator.tabalong') },
    { code: '15.71', fo: await login(stack.origin, 'fo.jambi'), op: await login(stack.origin, 'operator.jambi') },
  ];
  const niks: Record<string, string[]> = {};
  for (const o of offices) {
    niks[o.code] = (await stack.sql<{ nik: string }>(`SELECT nik FROM residents WHERE office_code = '${o.code}' AND birth_date < '2005-01-01' LIMIT 40`)).map((r) => r.nik);
  }
  const countCases = async () => (await stack.sql<{ n: number }>("SELECT count(*) AS n FROM cases WHERE service = 'ktpel'"))[0]!.n;
  const casesBefore = await countCases();
  /** Cases created by the run, shared by all clients: actions race on them as counters and tablets would. */
  const open: { caseId: string; office: (typeof offices)[number]; version: number; state: string }[] = [];

  /**
   * One request as the PWA makes it. A 200 is an answer; a 5xx from the Worker (problem+json) is a bug and an error.
   * A failure of the transport (no answer, or a 502/503/504 that the Worker did not write: wrangler dev's proxy
   * answers "Your worker restarted mid-request" when a POST meets a pooled connection it is closing) is what the
   * PWA's outbox retries with the same body and command ids: the client resends after a short backoff, and only
   * a request still unanswered after 4 resends is an error. Every resend is counted and reported.
   */
  const call = async (kind: keyof typeof latencies, path: string, cookie: string, body?: unknown) => {
    for (let attempt = 0; ; attempt++) {
      const t = performance.now();
      let failure: string;
      try {
        const res = await fetch(`${stack.origin}${path}`, {
          method: body ? 'POST' : 'GET',
          headers: { origin: stack.origin, cookie, ...(body ? { 'content-type': 'application/json' } : {}) },
          body: body ? JSON.stringify(body) : undefined,
          signal: AbortSignal.timeout(30_000),
        });
        const text = await res.text();
        if (res.status === 200) {
          latencies[kind].push(performance.now() - t);
          return JSON.parse(text) as { results?: { status: string; problem?: { code: string }; case?: { version: number; state: string } }[] };
        }
        const fromWorker = (res.headers.get('content-type') ?? '').includes('problem+json');
        failure = `${kind} ${path} → ${res.status} ${text.slice(0, 200)}`;
        if (fromWorker || ![502, 503, 504].includes(res.status)) {
          errors.push(failure);
          return null;
        }
        transport.push(/restarted mid-request/.test(text) ? 'dev proxy 503 (restarted mid-request)' : `${res.status} ${text.slice(0, 80)}`);
      } catch (err) {
        // undici says only "fetch failed"; the cause names the socket error (reset, refused, …).
        const cause = (err as { cause?: { code?: string; message?: string } }).cause;
        failure = `${kind} ${path} → ${String(err)} ${cause?.code ?? cause?.message ?? ''}`;
        transport.push(`no answer: ${String(err).slice(0, 60)} ${cause?.code ?? cause?.message?.slice(0, 60) ?? ''}`.trim());
      }
      if (attempt === 4) {
        errors.push(`${failure} (after 4 resends)`);
        return null;
      }
      await new Promise((r) => setTimeout(r, 250 * 2 ** attempt * (0.5 + Math.random() / 2)));
    }
  };

  const end = Date.now() + SECONDS * 1000;
  const client = async (n: number) => {
    const office = offices[n % offices.length]!;
    let i = 0;
    while (Date.now() < end) {
      const r = (n * 7919 + i++ * 104729) % 10;
      if (r < 4) {
        await call('read', r < 2 ? '/api/sync/pull?cursor=0&limit=200' : '/api/cases?service=ktpel', office.fo);
      } else if (r < 7 || open.length < 10) {
        const caseId = uuid7();
        const nik = niks[office.code]![(n + i) % niks[office.code]!.length];
        const body = await call('create', '/api/sync/push', office.fo, { commands: [{ id: uuid7(), type: 'create', caseId, service: 'ktpel', input: { nik, reason: 'baru', channel: 'counter', notes: 'load' } }] });
        const result = body?.results?.[0];
        if (result) outcomes[`create:${result.status}`] = (outcomes[`create:${result.status}`] ?? 0) + 1;
        // A resend of a create the Worker had applied before the transport failed answers `duplicate`: applied once.
        if (result?.status === 'applied' || result?.status === 'duplicate') open.push({ caseId, office, version: 1, state: 'submitted' });
        else if (result) errors.push(`create → ${result.status} ${result.problem?.code}`);
      } else {
        const target = open[(n * 31 + i) % open.length]!;
        const next = target.state === 'submitted' ? { action: 'accept', cookie: target.office.fo, input: {} } : target.state === 'accepted' ? { action: 'record_input', cookie: target.office.op, input: {} } : null;
        if (!next) {
          await call('read', `/api/cases/${target.caseId}`, target.office.fo);
          continue;
        }
        const body = await call('action', '/api/sync/push', next.cookie, { commands: [{ id: uuid7(), type: 'action', caseId: target.caseId, action: next.action, baseVersion: target.version, input: next.input }] });
        const result = body?.results?.[0];
        if (!result) continue;
        outcomes[`action:${result.status}`] = (outcomes[`action:${result.status}`] ?? 0) + 1;
        if (result.case && result.case.version > target.version) {
          target.version = result.case.version;
          target.state = result.case.state;
        }
        // Two clients acting on one case: one applies, the other is told it moved on. Anything else is an error.
        // `duplicate`: a resend of an action the Worker had applied before the transport failed (applied once).
        if (result.status !== 'applied' && result.status !== 'duplicate' && !(result.status === 'conflict' && result.problem?.code === 'stale_version')) errors.push(`action → ${result.status} ${result.problem?.code}`);
      }
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: CLIENTS }, (_, n) => client(n)));
  const seconds = (performance.now() - t0) / 1000;
  const summary = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    return { n: s.length, p50: Number(percentile(s, 50).toFixed(1)), p99: Number(percentile(s, 99).toFixed(1)) };
  };
  const total = Object.values(latencies).reduce((n, xs) => n + xs.length, 0);
  // Exactly once, counted in D1: every create a client saw applied is one case, resends included.
  const casesMade = (await countCases()) - casesBefore;
  if (casesMade !== open.length) errors.push(`cases in D1: ${casesMade}, creates applied: ${open.length}`);
  const [audit] = await stack.sql<{ unsealed: number }>('SELECT count(*) AS unsealed FROM audit_log WHERE hash IS NULL');
  console.log(JSON.stringify({
    date: new Date().toISOString(), machine: machine(), clients: CLIENTS, seconds: Number(seconds.toFixed(1)),
    requests: total, requestsPerSecond: Math.round(total / seconds), errors: errors.length,
    resentAfterTransportFailure: transport.length, transportFailures: Object.fromEntries([...new Set(transport)].map((t) => [t, transport.filter((x) => x === t).length])),
    casesCreated: { applied: open.length, inD1: casesMade },
    latencyMs: { read: summary(latencies.read), create: summary(latencies.create), action: summary(latencies.action) },
    outcomes, auditUnsealedAtEnd: audit?.unsealed,
    workerRestarts: (stack.log().match(/restarted mid-request|Worker restarted/gi) ?? []).length,
  }, null, 2));
} finally {
  await stack.stop();
}
console.log(`load: ${CLIENTS} clients for ${SECONDS} s; ${errors.length} errors; ${transport.length} transport failures resent`);
writeReport(errors.length ? 0 : 1, errors.length ? 1 : 0);
if (errors.length) {
  console.error([...new Set(errors)].slice(0, 20).join('\n'));
  process.exit(1);
}
// Done: leave no stray handle (a keep-alive socket, a wrangler child still exiting) holding the process open.
process.exit(process.exitCode ?? 0);
