// `npm run test:e2e`: the browser tests in real Chromium against `wrangler dev`; says so LOUDLY when no browser is installed.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
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
process.exit(r.status ?? 1);
