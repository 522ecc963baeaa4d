/**
 * Shared by the load and fault suites and the drain benchmark: a fresh local stack, demo sign-ins, a device that
 * drains its outbox the way the PWA does (web/src/sync/order.ts decides what goes next), and a loopback proxy that
 * injects faults into the exchanges. Loopback only; every loop is bounded in count and time.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { uuid7 } from '../../schema/ids';
import { DEMO_PASSWORD } from '../../schema/demo';
import { TEST_SQL_HEADER, TEST_SQL_PATH } from '../../schema/test-stack';
import type { OutboxCommand } from '../../web/src/db';
import { dueInOrder, takeBatch } from '../../web/src/sync/order';
// stack.mjs is plain JS shared with `npm start`.
import * as stack from '../../scripts/stack.mjs';

export interface Stack {
  origin: string;
  port: number;
  dir: string;
  /** Ends wrangler and its workerd (the whole process group) and removes the stack's data; resolves when gone. */
  stop(): Promise<void>;
  /** Kills the Worker process at once (SIGKILL, mid-request if any) and starts it again on the same data. */
  killAndRestart(): Promise<void>;
  /** What wrangler dev printed so far (its own 503s for a restarted Worker show here). */
  log(): string;
  /** SQL on the stack's D1 through the test-only route (no second process on the database file). */
  sql<T = Record<string, unknown>>(query: string): Promise<T[]>;
  /** Statements with bound params as one D1 batch, through the same route. */
  batch(statements: { sql: string; params: unknown[] }[]): Promise<number[]>;
}

const TEST_SQL_KEY = Buffer.from(crypto.getRandomValues(new Uint8Array(24))).toString('hex');

export async function startStack(extraVars: Record<string, string> = {}): Promise<Stack> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'loket-load-'));
  await stack.ensureDevVars();
  stack.migrate(dir);
  stack.seed(dir);
  const port = (await stack.freePort()) as number;
  const vars = { ENVIRONMENT: 'test', TEST_SQL_KEY, ...extraVars };
  let server = await stack.startServer({ port, persistTo: dir, vars } as Parameters<typeof stack.startServer>[0]);
  const origin = `http://127.0.0.1:${port}`;
  return {
    origin,
    port,
    dir,
    async stop() {
      await server.stop();
      // Leave no database behind in /tmp once the Worker has let go of it.
      rmSync(dir, { recursive: true, force: true });
    },
    async killAndRestart() {
      server.cron?.();
      // workerd (wrangler's child) serves the requests: kill it first, mid-request, then the rest of the group.
      spawnSync('pkill', ['-KILL', '-f', `socket-addr=entry=127.0.0.1:${port}`]);
      await server.stop();
      await new Promise((r) => setTimeout(r, 500));
      server = await stack.startServer({ port, persistTo: dir, vars } as Parameters<typeof stack.startServer>[0]);
    },
    log: () => server.log(),
    async batch(statements) {
      const res = await fetch(`${origin}${TEST_SQL_PATH}`, { method: 'POST', headers: { 'content-type': 'application/json', origin, [TEST_SQL_HEADER]: TEST_SQL_KEY }, body: JSON.stringify({ batch: statements }) });
      if (!res.ok) throw new Error(`batch ${res.status}: ${await res.text()}`);
      return ((await res.json()) as { changes: number[] }).changes;
    },
    async sql<T>(query: string) {
      const res = await fetch(`${origin}${TEST_SQL_PATH}`, { method: 'POST', headers: { 'content-type': 'application/json', origin, [TEST_SQL_HEADER]: TEST_SQL_KEY }, body: JSON.stringify({ sql: query }) });
      if (!res.ok) throw new Error(`sql ${res.status}: ${await res.text()}`);
      return ((await res.json()) as { results: T[] }).results;
    },
  };
}

export async function login(origin: string, username: string): Promise<string> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const res = await fetch(`${origin}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json', origin }, body: JSON.stringify({ username, password: DEMO_PASSWORD }) });
    // The session cookie by name: sign-in also sets the known-browser cookie (issue 8).
    const session = res.headers.getSetCookie().map((c) => c.split(';')[0]!).find((c) => c.startsWith('loket_session='));
    if (res.ok && session) return session;
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`login ${username} failed`);
}

export type Outcome = 'applied' | 'duplicate' | 'conflict' | 'rejected' | 'deferred';

/** What a device made, as the PWA's outbox keeps it: local sequence, id, payload. */
type Queued = Pick<OutboxCommand, 'id' | 'seq' | 'caseId' | 'deferred' | 'nextAttemptAt' | 'status'> & { wire: Record<string, unknown> };

/**
 * A tablet with an outbox: commands are queued in the order made, with ids from a clock that may be off by hours,
 * and drained in batches as the PWA does; a failed exchange is resent as it was (same ids).
 */
export class Device {
  private seq = 0;
  readonly queue: Queued[] = [];
  readonly answered = new Map<string, Outcome>();
  exchanges = 0;
  failedExchanges = 0;

  constructor(
    private readonly send: (body: string) => Promise<{ results: { commandId: string; status: Outcome }[] } | null>,
    private readonly clockOffsetMs: () => number = () => 0,
  ) {}

  private add(wire: Record<string, unknown> & { caseId: string }) {
    const id = uuid7(Date.now() + this.clockOffsetMs());
    this.queue.push({ id, seq: ++this.seq, caseId: wire.caseId, status: 'pending', nextAttemptAt: 0, wire: { ...wire, id } });
    return id;
  }

  create(caseId: string, input: Record<string, unknown>, service = 'ktpel') {
    return this.add({ type: 'create', caseId, service, input });
  }

  action(caseId: string, action: string, baseVersion: number, input: Record<string, unknown> = {}) {
    return this.add({ type: 'action', caseId, action, baseVersion, input });
  }

  /** Sends until the outbox is empty or `deadlineMs` passes, in pushes cut as the PWA cuts them (`takeBatch`). */
  async drain(batchSize: number, deadlineMs: number): Promise<void> {
    const end = Date.now() + deadlineMs;
    const sentNow = new Set<string>();
    let failedInARow = 0;
    while (this.queue.length && Date.now() < end) {
      let due = dueInOrder(this.queue as unknown as OutboxCommand[], sentNow, true) as unknown as Queued[] | 'waiting';
      if (due === 'waiting' || !due.length) {
        // Only deferred commands left, all sent once this round: a new round may send them again.
        sentNow.clear();
        due = dueInOrder(this.queue as unknown as OutboxCommand[], sentNow, true) as unknown as Queued[];
        if (!due.length) break;
      }
      const batch = takeBatch(due, (q) => JSON.stringify(q.wire).length, batchSize);
      this.exchanges++;
      const answer = await this.send(JSON.stringify({ commands: batch.map((q) => q.wire) }));
      if (!answer) {
        this.failedExchanges++;
        failedInARow++;
        // Resent as it was after a short backoff (the PWA backs off longer; a benchmark waits less).
        await new Promise((r) => setTimeout(r, Math.min(1000, 20 * 2 ** Math.min(failedInARow, 6))));
        continue;
      }
      failedInARow = 0;
      const byId = new Map(answer.results.map((r) => [r.commandId, r.status]));
      for (const q of batch) {
        const status = byId.get(q.id);
        if (!status) continue;
        if (status === 'deferred') {
          q.deferred = true;
          sentNow.add(q.id);
          continue;
        }
        this.answered.set(q.id, status);
        this.queue.splice(this.queue.indexOf(q), 1);
      }
    }
  }
}

/** POSTs a push; null for anything that is not a 200 with results (the device then resends). */
export function pusher(origin: string, cookie: string, timeoutMs = 15_000) {
  return async (body: string) => {
    try {
      const res = await fetch(`${origin}/api/sync/push`, { method: 'POST', headers: { 'content-type': 'application/json', origin, cookie }, body, signal: AbortSignal.timeout(timeoutMs) });
      if (res.status !== 200) {
        await res.body?.cancel();
        return null;
      }
      return (await res.json()) as { results: { commandId: string; status: Outcome }[] };
    } catch {
      return null;
    }
  };
}

export type Fault = 'pass' | 'drop_request' | 'drop_response' | 'twice' | 'ten_at_once';

/**
 * A loopback proxy in front of the stack that spoils exchanges as `plan` says: the request never arrives, the
 * answer never comes back (after the server applied it), or the same request arrives twice or ten times at once.
 */
export async function faultProxy(target: number, plan: (n: number) => Fault): Promise<{ port: number; counts: Record<Fault, number>; close(): void }> {
  const counts: Record<Fault, number> = { pass: 0, drop_request: 0, drop_response: 0, twice: 0, ten_at_once: 0 };
  let n = 0;
  const forward = (method: string, url: string, headers: IncomingMessage['headers'], body: Buffer) =>
    new Promise<{ status: number; headers: IncomingMessage['headers']; body: Buffer }>((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port: target, method, path: url, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 502, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(body);
    });
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const body = Buffer.concat(chunks);
      const fault = req.url?.startsWith('/api/sync/push') ? plan(n++) : 'pass';
      counts[fault]++;
      try {
        if (fault === 'drop_request') {
          res.socket?.destroy();
          return;
        }
        const copies = fault === 'twice' ? 2 : fault === 'ten_at_once' ? 10 : 1;
        const answers = await Promise.allSettled(Array.from({ length: copies }, () => forward(req.method!, req.url!, req.headers, body)));
        if (fault === 'drop_response') {
          res.socket?.destroy();
          return;
        }
        const first = answers.find((a) => a.status === 'fulfilled') as PromiseFulfilledResult<{ status: number; headers: IncomingMessage['headers']; body: Buffer }> | undefined;
        if (!first) {
          res.socket?.destroy();
          return;
        }
        const { 'transfer-encoding': _te, 'content-length': _cl, ...headers } = first.value.headers;
        res.writeHead(first.value.status, headers);
        res.end(first.value.body);
      } catch {
        res.socket?.destroy();
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const addr = server.address();
  return { port: typeof addr === 'object' && addr ? addr.port : 0, counts, close: () => server.close() };
}

/** The fault plans are seeded, so a suite's plan is the same on every run (deterministic CI). */
export { seeded } from '../../scripts/seeded';

export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

export const machine = () => `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}`;

/** `--report FILE`: the suite's checks in the shape `npm test` sums (vitest's JSON report counters). */
export function writeReport(passed: number, failed: number) {
  const i = process.argv.indexOf('--report');
  if (i < 0) return;
  writeFileSync(process.argv[i + 1]!, JSON.stringify({ numPassedTests: passed, numFailedTests: failed, numPendingTests: 0 }));
}
