import { applyD1Migrations, env } from 'cloudflare:test';

declare global {
  namespace Cloudflare {
    interface Env extends Omit<import('../../worker/env').Env, 'ENVIRONMENT'> {
      ENVIRONMENT: string;
      TEST_MIGRATIONS: import('@cloudflare/vitest-pool-workers').D1Migration[];
    }
  }
}

await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
