// Lighthouse mobile scores of the public entry points (`npm run bench:lighthouse`, after `npm run build`): the stack
// as `npm start` runs it (own temp D1, a free port), Lighthouse 12.2.3 through npx (shared/TOOLCHAIN.md: 13 wants
// Node 22) with its default mobile preset (simulated slow 4G, 4× CPU slowdown), performance and accessibility.
// LH_RUNS runs per page (default 3); the median performance run is reported, since a shared machine's load moves TBT.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureDevVars, freePort, migrate, ROOT, seed, startServer } from '../../scripts/stack.mjs';

const PAGES = (process.env.LH_PAGES ?? '/login,/cek,/ikd').split(',');
const RUNS = Number(process.env.LH_RUNS ?? 3);
const persistTo = mkdtempSync(path.join(os.tmpdir(), 'loket-lh-'));
const out = mkdtempSync(path.join(os.tmpdir(), 'loket-lh-out-'));
const devVars = await ensureDevVars();
migrate(persistTo);
seed(persistTo, devVars, { videoSlots: false });
const port = await freePort();
const server = await startServer({ port, persistTo, assets: path.join(ROOT, 'web/dist') });
const rows = [];
try {
  for (const page of PAGES) {
    const runs = [];
    for (let i = 0; i < RUNS; i++) {
      const file = path.join(out, `run-${runs.length}.json`);
      const r = spawnSync(
        'npx',
        ['--yes', 'lighthouse@12.2.3', `${server.url}${page}`, '--only-categories=performance,accessibility', '--output=json', `--output-path=${file}`, '--quiet',
          `--chrome-path=${process.env.CHROMIUM_PATH || '/usr/bin/chromium'}`, '--chrome-flags=--headless=new --no-sandbox --disable-gpu'],
        { cwd: ROOT, encoding: 'utf8' },
      );
      if (r.status !== 0) throw new Error(`lighthouse failed on ${page}:\n${r.stderr.slice(-2000)}`);
      // LH_SAVE=<dir> keeps each report (which element was the LCP, what shifted, what blocked).
      if (process.env.LH_SAVE) copyFileSync(file, path.join(process.env.LH_SAVE, `${page.replace(/\W/g, '') || 'root'}-${runs.length}.json`));
      const lhr = JSON.parse(readFileSync(file, 'utf8'));
      const ms = (id) => lhr.audits[id]?.numericValue ?? NaN;
      runs.push({
        perf: Math.round(lhr.categories.performance.score * 100),
        a11y: Math.round(lhr.categories.accessibility.score * 100),
        fcp: ms('first-contentful-paint'),
        lcp: ms('largest-contentful-paint'),
        tbt: ms('total-blocking-time'),
        cls: lhr.audits['cumulative-layout-shift']?.numericValue ?? NaN,
        failedA11y: Object.values(lhr.audits).filter((a) => lhr.categories.accessibility.auditRefs.some((ref) => ref.id === a.id && ref.weight > 0) && a.score === 0).map((a) => a.id),
      });
    }
    runs.sort((a, b) => a.perf - b.perf);
    rows.push({ page, median: runs[Math.floor(runs.length / 2)], all: runs.map((r) => r.perf) });
  }
} finally {
  server.child.kill();
  rmSync(persistTo, { recursive: true, force: true });
  rmSync(out, { recursive: true, force: true });
}

console.log(`# Lighthouse 12.2.3, mobile — ${new Date().toISOString().slice(0, 10)} — ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, load ${os.loadavg()[0].toFixed(1)}\n`);
console.log('| page | performance (median; all runs) | accessibility | FCP | LCP | TBT | CLS | failed accessibility audits |');
console.log('|---|---|---|---|---|---|---|---|');
const s = (v) => `${(v / 1000).toFixed(1)} s`;
for (const { page, median: m, all } of rows) {
  console.log(`| \`${page}\` | ${m.perf} (${all.join(', ')}) | ${m.a11y} | ${s(m.fcp)} | ${s(m.lcp)} | ${Math.round(m.tbt)} ms | ${m.cls.toFixed(3)} | ${m.failedA11y.join(', ') || '—'} |`);
}
