// Bootstraps production: SQL for an office row and its first admin account, to apply with
// `wrangler d1 execute DB --remote --file <out>`. The password comes from ADMIN_PASSWORD and PEPPER from the
// environment (the same value as the Worker secret), so neither lands in shell history or in the repo.
// Usage: PEPPER=… ADMIN_PASSWORD=… npx tsx scripts/create-admin.ts --office 63.09 --username admin.tabalong \
//          --name "Admin Tabalong" [--out .tmp/admin.sql]
// --office must be one of schema/offices.ts; add a new office there first (code, hours, holidays).
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Username } from '../schema/contracts/auth';
import { DEMO_OFFICES } from '../schema/offices';
import { hashPassword } from '../worker/auth/password';
import { weakPasswordReason } from '../worker/auth/password-policy';
import { officeSeedStatement, seedSql } from '../worker/db/registry';

const arg = (name: string) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const fail = (msg: string): never => {
  console.error(`create-admin: ${msg}`);
  process.exit(1);
};

const office = DEMO_OFFICES.find((o) => o.code === arg('--office')) ?? fail(`--office must be one of ${DEMO_OFFICES.map((o) => o.code).join(', ')}`);
const username = Username.safeParse(arg('--username'));
if (!username.success) fail('--username: 3–32 characters of a-z 0-9 . _ -');
const name = arg('--name') ?? fail('--name is required');
const pepper = process.env.PEPPER ?? fail('PEPPER must be set (the Worker secret of the same name)');
const password = process.env.ADMIN_PASSWORD ?? fail('ADMIN_PASSWORD must be set');
const weak = weakPasswordReason(password, username.data!);
if (weak) fail(`ADMIN_PASSWORD refused: ${weak}`);

const at = new Date().toISOString();
const sql = seedSql([
  officeSeedStatement(office),
  {
    sql: 'INSERT INTO users (id, username, display_name, office_code, roles_json, password_hash, disabled, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?)',
    params: [crypto.randomUUID(), username.data!, name, office.code, JSON.stringify(['admin']), await hashPassword(password, pepper), at, at],
  },
]);
const out = path.resolve(arg('--out') ?? '.tmp/admin.sql');
mkdirSync(path.dirname(out), { recursive: true });
writeFileSync(out, `-- First admin of ${office.name}; apply once with wrangler d1 execute DB --remote --file.\n${sql}\n`, { mode: 0o600 });
console.log(`create-admin: wrote ${out}; apply it, then delete it.`);
