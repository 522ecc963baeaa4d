// `npm run audit:verify [-- --persist-to DIR]`: checks the local audit log as the Worker's GET /api/audit/verify does —
// seq continuity, every entry's keyed stamp, every link, every signed checkpoint in R2 — and names the first broken
// entry. Reads the local D1 and R2 through wrangler's platform proxy with the secrets of .dev.vars. For production,
// call GET /api/audit/verify as the office admin (the keys exist only inside the Worker).
import path from 'node:path';
import { getPlatformProxy } from 'wrangler';
import { parseAuditKeys } from '../worker/audit-chain';
import { verifyAudit, type AnchorEnv } from '../worker/audit-seal';

const args = process.argv.slice(2);
const persistTo = args.includes('--persist-to') ? args[args.indexOf('--persist-to') + 1] : undefined;
const root = path.resolve(import.meta.dirname, '..');
// wrangler's --persist-to DIR keeps its state under DIR/v3; the proxy takes that inner folder.
const proxy = await getPlatformProxy<AnchorEnv & { AUDIT_KEYS: string }>({
  configPath: path.join(root, 'wrangler.toml'),
  persist: persistTo ? { path: path.join(path.resolve(persistTo), 'v3') } : true,
});
try {
  const report = await verifyAudit(proxy.env, parseAuditKeys(proxy.env.AUDIT_KEYS));
  if (report.ok) {
    console.log(`audit log OK: ${report.entries} entries (${report.sealed} sealed, the rest wait for the sealer), ${report.checkpoints} checkpoints, head ${report.head}`);
  } else {
    const where = report.reason === 'invalid_checkpoint' ? `checkpoints ${report.invalidCheckpoints.join(', ')}` : `seq ${report.brokenAt}`;
    console.error(`audit log BROKEN at ${where} (${report.reason}); ${report.entries} entries before it verify`);
    process.exitCode = 1;
  }
} finally {
  await proxy.dispose();
}
