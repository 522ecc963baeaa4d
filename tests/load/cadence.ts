// `npx tsx tests/load/cadence.ts [--requests N]`: finds where wrangler dev's "Your worker restarted mid-request"
// 503 comes from. One client POSTs a push on a steady cadence: 5.0 s (the idle timeout of the dev proxy's pooled
// connection to workerd) and, as the control, 4.0 s. A 503 with wrangler's text at 5.0 s and none at 4.0 s
// says the local dev proxy drops the request (cloudflare/workers-sdk#14641), not the Worker: production has no such hop.
import { uuid7 } from '../../schema/ids';
import { login, machine, startStack } from './lib';

const i = process.argv.indexOf('--requests');
const REQUESTS = i > 0 ? Number(process.argv[i + 1]) : 20;
const stack = await startStack();
const rows: { cadenceMs: number; requests: number; ok: number; restarted503: number; appliedDespite503: number; other: number }[] = [];
try {
  const cookie = await login(stack.origin, 'fo.tabalong');
  const [resident] = await stack.sql<{ nik: string }>("SELECT nik FROM residents WHERE office_code = '63.09' AND birth_date < '2005-01-01' LIMIT 1");
  for (const cadenceMs of [5000, 4000]) {
    const row = { cadenceMs, requests: REQUESTS, ok: 0, restarted503: 0, appliedDespite503: 0, other: 0 };
    const dropped: string[] = [];
    for (let n = 0; n < REQUESTS; n++) {
      const started = Date.now();
      const caseId = uuid7();
      const body = JSON.stringify({ commands: [{ id: uuid7(), type: 'create', caseId, service: 'ktpel', input: { nik: resident!.nik, reason: 'baru', channel: 'counter', notes: 'cadence' } }] });
      const res = await fetch(`${stack.origin}/api/sync/push`, { method: 'POST', headers: { 'content-type': 'application/json', cookie, origin: stack.origin }, body });
      const text = await res.text();
      if (res.ok) row.ok++;
      else if (res.status === 503 && /restarted mid-request/.test(text)) {
        row.restarted503++;
        dropped.push(caseId);
      }
      else row.other++;
      await new Promise((r) => setTimeout(r, Math.max(0, cadenceMs - (Date.now() - started))));
    }
    // Did the Worker run the dropped requests? (The client must resend either way; command ids make that safe.)
    if (dropped.length) {
      const [n] = await stack.sql<{ n: number }>(`SELECT count(*) AS n FROM cases WHERE id IN (${dropped.map((id) => `'${id}'`).join(',')})`);
      row.appliedDespite503 = n?.n ?? 0;
    }
    rows.push(row);
  }
} finally {
  await stack.stop();
}
console.log(JSON.stringify({ date: new Date().toISOString(), machine: machine(), rows }, null, 2));

