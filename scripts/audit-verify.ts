// `npm run audit:verify [-- --persist-to DIR | --remote]`: walks the audit log's hash chain and reports the first broken link.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { type AuditRow, verifyChain } from '../worker/audit-chain';

const args = process.argv.slice(2);
const where = args.includes('--remote') ? ['--remote'] : ['--local', ...(args.includes('--persist-to') ? ['--persist-to', args[args.indexOf('--persist-to') + 1]!] : [])];
const wrangler = path.join(import.meta.dirname, '../node_modules/.bin/wrangler');
const r = spawnSync(wrangler, ['d1', 'execute', 'DB', ...where, '--json', '--command', 'SELECT * FROM audit_log ORDER BY seq'], {
  encoding: 'utf8',
  env: { ...process.env, WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false' },
  maxBuffer: 1 << 30,
});
if (r.status !== 0) {
  console.error(r.stderr || r.stdout);
  process.exit(2);
}
const rows = (JSON.parse(r.stdout) as { results: AuditRow[] }[])[0]!.results;
const report = await verifyChain(rows);
if (report.ok) {
  console.log(`audit log OK: ${report.entries} entries, head ${report.head}`);
} else {
  console.error(`audit log BROKEN at seq ${report.brokenAt} (${report.reason}); ${report.entries} entries before it verify`);
  process.exit(1);
}
