// `npm test`: type-check, unit tests, worker tests in workerd against real D1, browser tests in Chromium. Stops at the first failing stage.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT, QUIET_ENV } from './stack.mjs';

const resultsDir = path.join(ROOT, '.tmp', 'test-results');
rmSync(resultsDir, { recursive: true, force: true });
mkdirSync(resultsDir, { recursive: true });

// A group of stages in one inner array runs at once (each stage's output is printed whole when it ends): these
// checks are independent, and running them side by side keeps CI under its 20 minutes on a 2-core machine.
const stages = [
  [
    // The worker test's typed client (tests/worker/generated/openapi.ts) must come from the current document.
    ['OpenAPI document: Redocly lint, typed client up to date', ['node', 'scripts/openapi.mjs']],
    ['type-check (worker, schema, tests)', ['npx', 'tsc', '-p', 'tsconfig.json', '--noEmit']],
    ['type-check (web)', ['npx', 'tsc', '-p', 'web/tsconfig.json', '--noEmit']],
    ['type-check (browser tests)', ['npx', 'tsc', '-p', 'tests/e2e/tsconfig.json', '--noEmit']],
  ],
  [
    ['unit tests', ['npx', 'vitest', 'run', '--config', 'tests/unit/vitest.config.ts', ...counted('unit')]],
    ['PWA unit tests', ['npx', 'vitest', 'run', '--config', 'web/vitest.config.ts', ...counted('web')]],
    ['build the PWA', ['npm', 'run', '--silent', 'build']],
  ],
  ['worker tests (workerd + D1)', ['npx', 'vitest', 'run', '--config', 'tests/worker/vitest.config.ts', ...counted('worker')]],
  ['browser tests (Chromium)', ['node', 'tests/e2e/run.mjs', ...counted('e2e')]],
  // Short forms of `npm run test:faults` and `npm run test:load` (the full ones: 5,000 commands, 100 clients × 60 s).
  ['sync faults, short (600 commands, 6 faults)', ['npx', 'tsx', 'tests/load/faults.ts', '--commands', '600', '--report', path.join(resultsDir, 'faults.json')]],
  ['concurrent clients, short (20 clients × 10 s)', ['npx', 'tsx', 'tests/load/load.ts', '--clients', '20', '--seconds', '10', '--report', path.join(resultsDir, 'load.json')]],
];

/** Each vitest stage also writes a JSON report, so the run ends with one "N passed, N failed" line for all stages. */
function counted(name) {
  return ['--reporter=default', '--reporter=json', `--outputFile.json=${path.join(resultsDir, `${name}.json`)}`];
}

// wrangler.toml serves web/dist as assets; the worker tests need the folder before the first build.
const dist = path.join(ROOT, 'web/dist');
if (!existsSync(path.join(dist, 'index.html'))) {
  mkdirSync(dist, { recursive: true });
  writeFileSync(path.join(dist, 'index.html'), '<!doctype html><title>Loket (not built yet)</title>\n');
}

const seconds = (started) => `${((Date.now() - started) / 1000).toFixed(1)} s`;

for (const stage of stages) {
  if (typeof stage[0] === 'string') {
    const [name, [cmd, ...args]] = stage;
    console.log(`\n━━ ${name} ━━ ${[cmd, ...args].join(' ')}`);
    const started = Date.now();
    const r = spawnSync(cmd, args, { cwd: ROOT, env: QUIET_ENV, stdio: 'inherit' });
    if (r.status !== 0) {
      console.error(`\n✗ ${name} failed (exit ${r.status})`);
      process.exit(r.status || 1);
    }
    console.log(`✓ ${name} (${seconds(started)})`);
    continue;
  }
  const started = Date.now();
  const results = await Promise.all(stage.map(([name, [cmd, ...args]]) => runBuffered(name, cmd, args)));
  const failedStage = results.find((r) => r.status !== 0);
  if (failedStage) {
    console.error(`\n✗ ${failedStage.name} failed (exit ${failedStage.status})`);
    process.exit(failedStage.status || 1);
  }
  console.log(`✓ together (${seconds(started)})`);
}

/** Runs one stage of a group with its output kept, and prints it whole when the stage ends. */
function runBuffered(name, cmd, args) {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(cmd, args, { cwd: ROOT, env: QUIET_ENV, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('close', (status) => {
      console.log(`\n━━ ${name} ━━ ${[cmd, ...args].join(' ')}\n${out.trimEnd()}`);
      console.log(`${status === 0 ? '✓' : '✗'} ${name} (${seconds(started)})`);
      resolve({ name, status: status ?? 1 });
    });
  });
}
let passed = 0;
let failed = 0;
let skipped = 0;
for (const name of ['unit', 'web', 'worker', 'e2e', 'faults', 'load']) {
  const file = path.join(resultsDir, `${name}.json`);
  if (!existsSync(file)) continue; // e2e writes none when Chromium is missing and not required (reported loudly above)
  const r = JSON.parse(readFileSync(file, 'utf8'));
  passed += r.numPassedTests;
  failed += r.numFailedTests;
  skipped += r.numPendingTests + (r.numTodoTests ?? 0);
}
console.log('\nAll test stages passed.');
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
