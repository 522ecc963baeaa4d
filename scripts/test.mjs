// `npm test`: type-check, unit tests, worker tests in workerd against real D1, browser tests in Chromium. Stops at the first failing stage.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT, QUIET_ENV } from './stack.mjs';

const stages = [
  ['type-check (worker, schema, tests)', ['npx', 'tsc', '-p', 'tsconfig.json', '--noEmit']],
  ['type-check (web)', ['npx', 'tsc', '-p', 'web/tsconfig.json', '--noEmit']],
  ['type-check (browser tests)', ['npx', 'tsc', '-p', 'tests/e2e/tsconfig.json', '--noEmit']],
  ['unit tests', ['npx', 'vitest', 'run', '--config', 'tests/unit/vitest.config.ts']],
  ['PWA unit tests', ['npx', 'vitest', 'run', '--config', 'web/vitest.config.ts']],
  ['worker tests (workerd + D1)', ['npx', 'vitest', 'run', '--config', 'tests/worker/vitest.config.ts']],
  ['build the PWA', ['npm', 'run', '--silent', 'build']],
  ['browser tests (Chromium)', ['node', 'tests/e2e/run.mjs']],
];

// wrangler.toml serves web/dist as assets; the worker tests need the folder before the first build.
const dist = path.join(ROOT, 'web/dist');
if (!existsSync(path.join(dist, 'index.html'))) {
  mkdirSync(dist, { recursive: true });
  writeFileSync(path.join(dist, 'index.html'), '<!doctype html><title>Loket (not built yet)</title>\n');
}

for (const [name, [cmd, ...args]] of stages) {
  console.log(`\n━━ ${name} ━━ ${[cmd, ...args].join(' ')}`);
  const started = Date.now();
  const r = spawnSync(cmd, args, { cwd: ROOT, env: QUIET_ENV, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`\n✗ ${name} failed (exit ${r.status})`);
    process.exit(r.status || 1);
  }
  console.log(`✓ ${name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
}
console.log('\nAll test stages passed.');
