// `npm run test:e2e`: the browser tests in real Chromium against `wrangler dev`; says so LOUDLY when no browser is installed.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { webBuildStale } from '../../scripts/stack.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const chromium = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

if (!existsSync(chromium)) {
  const required = process.env.LOKET_REQUIRE_BROWSER === '1';
  const bar = '!'.repeat(72);
  console.error(
    [
      '',
      bar,
      '!!  BROWSER TESTS NOT RUN — no Chromium at ' + chromium,
      '!!  install with: apt-get install chromium',
      '!!  (or point CHROMIUM_PATH at a Chromium/Chrome binary)',
      '!!  The offline sync proof (tests/e2e/offline-ktpel.test.ts) was SKIPPED.',
      required ? '!!  LOKET_REQUIRE_BROWSER=1: failing.' : '!!  Set LOKET_REQUIRE_BROWSER=1 to make this a failure.',
      bar,
      '',
    ].join('\n'),
  );
  process.exit(required ? 1 : 0);
}

const vitest = path.join(root, 'node_modules/.bin/vitest');
const env = { ...process.env, CHROMIUM_PATH: chromium, WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false' };
const args = process.argv.slice(2);
const named = args.some((a) => !a.startsWith('-'));

/**
 * The whole suite runs as two groups side by side, each in its own vitest with its own stack (own D1, own copy of
 * the PWA), so no test sees another group's data or the update test's changed service worker; within a group the
 * files still run one at a time. A run mostly waits (on sync, timers, the server): measured on the 2-core machine the
 * CPU was about half busy with one group. The first group is the accessibility sweep and the longest flows, chosen
 * by their measured times so the two end together (docs/benchmarks.md); every other file is in the second.
 */
const SWEEP_GROUP = [
  'tests/e2e/a11y-routes.test.ts',
  'tests/e2e/retas.test.ts',
  'tests/e2e/a11y-keyboard.test.ts',
  'tests/e2e/ikm-kiosk.test.ts',
  'tests/e2e/aduan.test.ts',
  'tests/e2e/conflict.test.ts',
];

if (named || process.env.LOKET_E2E_ONE_GROUP === '1') {
  const r = spawnSync(vitest, ['run', '--config', 'tests/e2e/vitest.config.ts', ...args], { cwd: root, stdio: 'inherit', env });
  if (r.status !== 0) printServerTail(path.join(root, '.tmp', 'e2e-server.log'));
  process.exit(r.status ?? 1);
}

// Built once here: two global setups would otherwise both build a fresh checkout's PWA into the same folder.
if (webBuildStale()) {
  if (spawnSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit', env }).status !== 0) process.exit(1);
}
// `--outputFile.json=X` (npm test's count): each group writes its own, merged into X at the end.
const jsonArg = args.find((a) => a.startsWith('--outputFile.json='));
const jsonOut = jsonArg?.slice('--outputFile.json='.length);
const groups = [
  { name: 'sweep', files: SWEEP_GROUP },
  { name: 'flows', files: SWEEP_GROUP.flatMap((f) => ['--exclude', f]) },
];
const started = Date.now();
const results = await Promise.all(
  groups.map(
    (g) =>
      new Promise((resolve) => {
        const own = args.map((a) => (a === jsonArg ? `--outputFile.json=${jsonOut}.${g.name}` : a));
        const child = spawn(vitest, ['run', '--config', 'tests/e2e/vitest.config.ts', ...g.files, ...own], { cwd: root, env: { ...env, LOKET_E2E_GROUP: g.name }, stdio: ['ignore', 'pipe', 'pipe'] });
        let out = '';
        child.stdout.on('data', (d) => (out += d));
        child.stderr.on('data', (d) => (out += d));
        child.on('close', (status) => {
          // Each group's output whole when it ends: two vitest reporters interleaved line by line cannot be read.
          console.log(`\n━━ browser tests, group "${g.name}" (${((Date.now() - started) / 1000).toFixed(1)} s) ━━\n${out.trimEnd()}`);
          if (status !== 0) printServerTail(path.join(root, '.tmp', `e2e-server-${g.name}.log`));
          resolve({ ...g, status: status ?? 1 });
        });
      }),
  ),
);
if (jsonOut) {
  const parts = groups.map((g) => `${jsonOut}.${g.name}`).filter((f) => existsSync(f)).map((f) => JSON.parse(readFileSync(f, 'utf8')));
  const sum = (k) => parts.reduce((n, p) => n + (p[k] ?? 0), 0);
  const merged = {
    numTotalTests: sum('numTotalTests'), numPassedTests: sum('numPassedTests'), numFailedTests: sum('numFailedTests'),
    numPendingTests: sum('numPendingTests'), numTodoTests: sum('numTodoTests'), numTotalTestSuites: sum('numTotalTestSuites'),
    success: parts.length === groups.length && parts.every((p) => p.success), testResults: parts.flatMap((p) => p.testResults),
  };
  writeFileSync(jsonOut, JSON.stringify(merged));
}
console.log(`\nbrowser tests: ${results.map((r) => `${r.name} ${r.status === 0 ? 'passed' : 'FAILED'}`).join(', ')} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
process.exit(results.every((r) => r.status === 0) ? 0 : 1);

/** The server's side of a failure: its last lines without the static files (written by global-setup.ts). */
function printServerTail(log) {
  if (!existsSync(log)) return;
  const lines = readFileSync(log, 'utf8').split('\n').filter((l) => !/ (GET|HEAD) \/(assets|icons)\/| \/favicon/.test(l));
  console.error(`\n── last ${Math.min(lines.length, 80)} lines of wrangler dev (${path.relative(root, log)}) ──\n${lines.slice(-80).join('\n')}`);
}
