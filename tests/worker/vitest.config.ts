import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-pool-workers';
import { defineConfig } from 'vitest/config';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');

/** A fresh ES256 office key per run, as `npm start` makes one for .dev.vars; tests never see a committed key. */
async function testSigningKeys(): Promise<string> {
  const { privateKey } = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify'])) as CryptoKeyPair;
  const jwk = await crypto.subtle.exportKey('jwk', privateKey);
  return JSON.stringify([{ ...jwk, kid: 'test-key-1', alg: 'ES256', use: 'sig' }]);
}

export default defineConfig(async () => ({
  plugins: [
    cloudflareTest({
      wrangler: { configPath: path.join(root, 'wrangler.toml') },
      miniflare: {
        bindings: {
          TEST_MIGRATIONS: await readD1Migrations(path.join(root, 'schema/migrations')),
          ENVIRONMENT: 'test',
          PEPPER: 'test-pepper-not-a-secret',
          // Tests read queued messages (activation PINs) before delivery; after-write.test.ts covers immediate sending.
          DELIVERY: 'cron',
          OFFICE_SIGNING_KEYS: await testSigningKeys(),
          AUDIT_KEYS: JSON.stringify([{ kid: 'test-audit-1', secret: Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64url') }]),
          // `npm run test:hostile` sets LOKET_HOSTILE=1: the generated suites (tests/worker/hostile) run in full.
          HOSTILE: process.env.LOKET_HOSTILE ?? '',
          // `LOKET_FUZZ_SHARD=2/4`: this process fuzzes every 4th route from the 2nd (the full form in parallel processes).
          FUZZ_SHARD: process.env.LOKET_FUZZ_SHARD ?? '',
          // The WhatsApp webhook's test secrets, so the generated suites reach its signature check (not 503).
          WA_APP_SECRET: 'test-wa-app-secret',
          WA_VERIFY_TOKEN: 'test-wa-verify-token',
        },
      },
    }),
  ],
  test: {
    root,
    include: ['tests/worker/**/*.test.ts'],
    setupFiles: ['tests/worker/setup.ts'],
    // PIN and password hashing (PBKDF2) make the IKD flows take seconds on a busy 2-core machine.
    testTimeout: 30_000,
    // Two test files at once even on 2 cores: a file mostly waits on workerd and D1 (measured on the loaded 2-core
    // machine: 15.1 min with vitest's default of one, 12.1 min with two; every file passed both ways).
    maxWorkers: 2,
  },
}));
