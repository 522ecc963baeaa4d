// `npm start`: local secrets, PWA build, D1 migrations, demo data, then wrangler dev serving API and PWA on one origin.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { ROOT, buildWeb, ensureDevVars, migrate, seed, startServer, QUIET_ENV } from './stack.mjs';

const port = Number(process.env.PORT ?? 8787);
const step = (s) => console.log(`\n▶ ${s}`);

step('Secrets (.dev.vars)');
await ensureDevVars();
step('Building the PWA');
buildWeb();
step('Applying D1 migrations (local)');
migrate();
step('Loading demo data (idempotent)');
seed();

const accounts = spawnSync(path.join(ROOT, 'node_modules/.bin/tsx'), ['scripts/seed.ts', '--print-accounts'], { cwd: ROOT, env: QUIET_ENV, encoding: 'utf8' });
step(`Starting wrangler dev on http://localhost:${port}`);
const { child, url } = await startServer({ port, inherit: true });
console.log(`\nLoket is running at ${url}`);
console.log(`API docs: ${url}/api/docs   ·   dev mailbox: ${url}/dev/mailbox`);
console.log(accounts.stdout || '(demo accounts: see README)');
const stop = () => child.kill('SIGTERM');
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
child.on('exit', (code) => process.exit(code ?? 0));
