// PWA and Worker size (`npm run bench:bundle`, after `npm run build`). The first screens are measured from what
// Chromium really requests: a fresh browser (HTTP cache off, no service worker yet) opens each screen against a
// local stack (HTTP cache off; what the service worker serves counts as well), and every JS and CSS file the page
// requested until that screen showed is counted, gzip level 9 (what a
// phone downloads on a weak link). A second figure adds what loads after the screen, until the network is idle
// (the sync engine and Dexie after a staff sign-in). Then the service-worker precache, the largest lazy chunks, and
// the Worker script as `wrangler deploy` would upload it (dry run, nothing sent). Sizes in KiB.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { ensureDevVars, migrate, seed, startServer } from '../../scripts/stack.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
// BUNDLE_DIST measures another build (e.g. an older commit's web/dist, for before/after figures).
const dist = process.env.BUNDLE_DIST ? path.resolve(process.env.BUNDLE_DIST) : path.join(root, 'web/dist');
const kib = (n) => `${(n / 1024).toFixed(1)}`;
const sizeOf = (rel) => {
  const bytes = readFileSync(path.join(dist, rel));
  return { raw: bytes.length, gz: gzipSync(bytes, { level: 9 }).length };
};
const sum = (files) => files.map(sizeOf).reduce((a, b) => ({ raw: a.raw + b.raw, gz: a.gz + b.gz }), { raw: 0, gz: 0 });

/** Budgets of issue 9 (gzip KiB): the sign-in and every role's first screen, and the two public entry points. */
const BUDGET = { signIn: 60, role: 60, cek: 80, ikd: 80 };
const PASSWORD = 'Loket-Demo-2026';
const ROLES = ['admin', 'front_office', 'operator', 'verifier', 'head_of_division', 'head_of_office', 'partner_operator', 'field_officer', 'complaint_handler'];
const USER_PREFIX = { admin: 'admin', front_office: 'fo', operator: 'operator', verifier: 'verifikator', head_of_division: 'kabid', head_of_office: 'kadis', partner_operator: 'mitra', field_officer: 'retas', complaint_handler: 'aduan' };

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Opens `url` in a fresh page of `context` with the HTTP cache off. In the page, a MutationObserver notes the
 * moment `selector` first matches (the screen is there); the page's resource timings then split the JS/CSS files
 * into those requested before that moment and those requested after it, until the network was idle.
 */
async function measure(context, url, selector) {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  await page.addInitScript((sel) => {
    const mark = () => {
      if (window.__shownAt === undefined && document.querySelector(sel)) window.__shownAt = performance.now();
    };
    new MutationObserver(mark).observe(document, { subtree: true, childList: true, attributes: true });
  }, selector);
  await page.goto(url, { waitUntil: 'domcontentloaded' });
  await page.waitForFunction(() => window.__shownAt !== undefined, undefined, { timeout: 30_000 });
  await page.waitForLoadState('networkidle');
  await page.waitForTimeout(1500); // idle-time loads (the sync engine) start within a second of the screen
  await page.waitForLoadState('networkidle');
  const { shownAt, entries } = await page.evaluate(() => ({
    shownAt: window.__shownAt,
    entries: performance.getEntriesByType('resource').map((e) => ({ name: e.name, start: e.startTime })),
  }));
  await page.close();
  const assets = entries.map((e) => ({ file: new URL(e.name).pathname.slice(1), start: e.start })).filter((e) => /^assets\/.*\.(js|css)$/.test(e.file));
  const first = [...new Set(assets.filter((e) => e.start <= shownAt).map((e) => e.file))];
  const later = [...new Set(assets.filter((e) => e.start > shownAt).map((e) => e.file))].filter((f) => !first.includes(f));
  return { first, later };
}

const persistTo = mkdtempSync(path.join(os.tmpdir(), 'loket-bundle-'));
const devVars = await ensureDevVars();
migrate(persistTo);
seed(persistTo, devVars, { videoSlots: false });
const port = await freePort();
const server = await startServer({ port, persistTo, assets: dist });
const base = server.url;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const rows = [];
try {
  const fresh = () => browser.newContext({ baseURL: base, serviceWorkers: 'allow', locale: 'id-ID' });
  const screen = async (label, budget, url, selector, prepare) => {
    const context = await fresh();
    if (prepare) await prepare(context);
    const { first, later } = await measure(context, url, selector);
    await context.close();
    rows.push({ label, budget, first: sum(first), files: first.length, later: sum(later), laterFiles: later.length, list: first });
  };
  await screen('sign-in (/login)', BUDGET.signIn, '/login', 'input[name=username]');
  for (const role of ROLES) {
    // A returning clerk: signed in once in this browser (cookie, remembered user), then opens the app cold.
    await screen(`${role} first screen (/)`, BUDGET.role, '/', 'main h1 + p.muted', async (context) => {
      const page = await context.newPage();
      await page.goto('/login');
      await page.fill('input[name=username]', `${USER_PREFIX[role]}.jambi`);
      await page.fill('input[name=password]', PASSWORD);
      await page.click('button[type=submit]');
      await page.waitForURL((u) => u.pathname === '/');
      await page.waitForLoadState('networkidle');
      await page.close();
    });
  }
  // Counted until the stored lists are read and shown (Dexie included), not merely until the page's text shows.
  await screen('checker (/cek)', BUDGET.cek, '/cek', '[data-testid=jwks-age]:not([data-fetched-at=""])');
  await screen('IKD entry (/ikd)', BUDGET.ikd, '/ikd', '[data-testid=ikd-register-link]');
} finally {
  await browser.close();
  server.child.kill();
  rmSync(persistTo, { recursive: true, force: true });
}

console.log(`# PWA size — ${new Date().toISOString().slice(0, 10)} — ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, node ${process.version}\n`);
console.log('First screens, as requested by Chromium (cold HTTP cache; files a service worker served count too):\n');
console.log('| screen | files | gzip KiB | budget | then, until idle |');
console.log('|---|---|---|---|---|');
let over = 0;
for (const r of rows) {
  const ok = r.first.gz / 1024 <= r.budget;
  if (!ok) over++;
  console.log(`| ${r.label} | ${r.files} | ${kib(r.first.gz)} | ${ok ? '≤' : '**>**'} ${r.budget} | +${kib(r.later.gz)} (${r.laterFiles} files) |`);
}
console.log(`\nSign-in files: ${rows[0].list.map((f) => path.basename(f)).join(', ')}`);
if (process.env.BUNDLE_FILES) for (const r of rows) console.log(`${r.label}: ${r.list.map((f) => `${path.basename(f).replace(/-[\w-]{8}\.(js|css)$/, '')} ${kib(sizeOf(f).gz)}`).join(', ')}`);

const assets = readdirSync(path.join(dist, 'assets')).map((f) => `assets/${f}`);
const precache = [...readFileSync(path.join(dist, 'sw.js'), 'utf8').matchAll(/"url":"([^"]+)"/g)].map((m) => m[1].replace(/^\//, '')).filter((f) => statSync(path.join(dist, f), { throwIfNoEntry: false }));
const lazy = assets.filter((f) => f.endsWith('.js')).map((f) => ({ f, ...sizeOf(f) })).sort((a, b) => b.gz - a.gz);
console.log('\n| part | files | raw KiB | gzip KiB |');
console.log('|---|---|---|---|');
const row = (label, files) => {
  const s = sum(files);
  console.log(`| ${label} | ${files.length} | ${kib(s.raw)} | ${kib(s.gz)} |`);
};
row('service-worker precache (offline)', precache);
row('all JS chunks', assets.filter((f) => f.endsWith('.js')));
console.log('\nLargest chunks (gzip KiB): ' + lazy.slice(0, 6).map((c) => `${path.basename(c.f).replace(/-[\w-]{8}\.js$/, '')} ${kib(c.gz)}`).join(', '));

// The Worker bundle, built by wrangler itself into a temp dir (no account or network needed for a dry run).
const out = mkdtempSync(path.join(os.tmpdir(), 'loket-worker-'));
const env = { ...process.env, WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false' };
const dry = spawnSync(path.join(root, 'node_modules/.bin/wrangler'), ['deploy', '--dry-run', '--outdir', out], { cwd: root, env, encoding: 'utf8' });
if (dry.status !== 0) throw new Error(`wrangler deploy --dry-run failed:\n${dry.stdout}${dry.stderr}`);
const script = readdirSync(out).filter((f) => f.endsWith('.js'));
const worker = script.map((f) => readFileSync(path.join(out, f))).reduce((a, b) => ({ raw: a.raw + b.length, gz: a.gz + gzipSync(b, { level: 9 }).length }), { raw: 0, gz: 0 });
rmSync(out, { recursive: true, force: true });
console.log(`Worker script (wrangler deploy --dry-run): ${kib(worker.raw)} KiB raw, ${kib(worker.gz)} KiB gzip (Workers limit: 3 MiB gzip on the free plan, 10 MiB paid).`);
if (over > 0) {
  console.error(`\n${over} screen(s) over budget`);
  process.exitCode = 1;
}
