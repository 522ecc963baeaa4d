// `npm run test:e2e`: the browser tests in real Chromium against `wrangler dev`; says so LOUDLY when no browser is installed.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

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
const r = spawnSync(vitest, ['run', '--config', 'tests/e2e/vitest.config.ts', ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, CHROMIUM_PATH: chromium, WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false' },
});
if (r.status !== 0) {
  // The server's side of a failure: its last lines without the static files (written by global-setup.ts).
  const log = path.join(root, '.tmp', 'e2e-server.log');
  if (existsSync(log)) {
    const lines = readFileSync(log, 'utf8').split('\n').filter((l) => !/ (GET|HEAD) \/(assets|icons)\/| \/favicon/.test(l));
    console.error(`\n── last ${Math.min(lines.length, 80)} lines of wrangler dev (${path.relative(root, log)}) ──\n${lines.slice(-80).join('\n')}`);
  }
}
process.exit(r.status ?? 1);
