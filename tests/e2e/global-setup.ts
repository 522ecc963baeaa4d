/**
 * Starts one local stack for the browser tests: a built PWA, a fresh D1 in a temp dir with migrations and the demo
 * seed, and `wrangler dev` on a free port; stops it by PID afterwards. Built from scripts/stack.mjs (the same steps
 * as `npm start`).
 */
import { randomBytes } from 'node:crypto';
import { appendFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { ROOT, buildWeb, ensureDevVars, freePort, migrate, seed, startServer, webBuildStale } from '../../scripts/stack.mjs';

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
    testSqlKey: string;
    assetsDir: string;
    /** wrangler dev's output so far (a file under the run's state folder). */
    serverLog: string;
  }
}

/**
 * wrangler dev's output of the last browser-test run; one file per group when tests/e2e/run.mjs runs its groups
 * side by side, each against its own stack (LOKET_E2E_GROUP names the group).
 */
const group = process.env.LOKET_E2E_GROUP;
export const SERVER_LOG = path.join(ROOT, '.tmp', group ? `e2e-server-${group}.log` : 'e2e-server.log');

export default async function setup(project: TestProject) {
  const dist = path.join(ROOT, 'web/dist');
  // `npm test` builds first; a bare `npm run test:e2e` on a fresh checkout builds here.
  if (webBuildStale()) buildWeb();

  const persistTo = mkdtempSync(path.join(tmpdir(), 'loket-e2e-'));
  const devVars = await ensureDevVars();
  migrate(persistTo);
  // No demo video-call slots: the video-call test opens its own for the same operator.
  (seed as (p: string, d: string, o: { videoSlots: boolean; out: string }) => void)(persistTo, devVars, { videoSlots: false, out: path.join(persistTo, 'seed.sql') });

  const port = await freePort();
  // stack.mjs is plain JS: its inferred option type misses `persistTo`, so state the one we use.
  const start = startServer as (opts: { port: number; persistTo: string; vars: Record<string, string>; assets: string }) => ReturnType<typeof startServer>;
  // The tests' SQL goes through the Worker (worker/routes/test-sql.ts) with a key of this run only.
  const testSqlKey = randomBytes(32).toString('base64url');
  // The stack serves its own copy of the PWA, which the update test may change (a "new deployment").
  const assetsDir = path.join(persistTo, 'web');
  cpSync(dist, assetsDir, { recursive: true });
  const server = await start({ port, persistTo, vars: { ENVIRONMENT: 'test', TEST_SQL_KEY: testSqlKey }, assets: assetsDir });
  project.provide('baseUrl', server.url);
  project.provide('testSqlKey', testSqlKey);
  project.provide('assetsDir', assetsDir);
  // The server's output as it comes, for tests that read what it did (the emails the send_email binding wrote).
  const liveLog = path.join(persistTo, 'server.log');
  writeFileSync(liveLog, '');
  server.child.stdout?.on('data', (d: Buffer) => appendFileSync(liveLog, d));
  server.child.stderr?.on('data', (d: Buffer) => appendFileSync(liveLog, d));
  project.provide('serverLog', liveLog);

  return async () => {
    const child = server.child;
    if (child.exitCode === null) {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM'); // by the PID we started; wrangler stops its workerd with it
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(persistTo, { recursive: true, force: true });
    // Kept for a failed run: tests/e2e/run.mjs prints its tail (CI shows nothing else of the server).
    mkdirSync(path.dirname(SERVER_LOG), { recursive: true });
    writeFileSync(SERVER_LOG, server.log());
    if (process.env.LOKET_E2E_LOG) console.log(server.log());
  };
}
