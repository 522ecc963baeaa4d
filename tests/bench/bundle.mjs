// PWA and Worker size (`npm run bench:bundle`, after `npm run build`): what a phone downloads before the first
// screen (the entry script, its preloaded chunks and the stylesheet named in index.html), the precache the service
// worker stores for offline use, the largest lazy chunks, and the Worker script as `wrangler deploy` would upload
// it (dry run, nothing sent). Sizes raw and gzip (level 9), in KiB.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const dist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../web/dist');
const html = readFileSync(path.join(dist, 'index.html'), 'utf8');
const kib = (n) => `${(n / 1024).toFixed(1)}`;
const sizeOf = (rel) => {
  const bytes = readFileSync(path.join(dist, rel));
  return { raw: bytes.length, gz: gzipSync(bytes, { level: 9 }).length };
};
const sum = (files) => files.map(sizeOf).reduce((a, b) => ({ raw: a.raw + b.raw, gz: a.gz + b.gz }), { raw: 0, gz: 0 });

const firstScreen = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.(?:js|css))"/g)].map((m) => m[1]);
const assets = readdirSync(path.join(dist, 'assets')).map((f) => `assets/${f}`);
const lazy = assets.filter((f) => f.endsWith('.js') && !firstScreen.includes(f)).map((f) => ({ f, ...sizeOf(f) })).sort((a, b) => b.gz - a.gz);
const precache = [...readFileSync(path.join(dist, 'sw.js'), 'utf8').matchAll(/"url":"([^"]+)"/g)].map((m) => m[1].replace(/^\//, '')).filter((f) => statSync(path.join(dist, f), { throwIfNoEntry: false }));

console.log(`# PWA size — ${new Date().toISOString().slice(0, 10)} — ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, node ${process.version}\n`);
console.log('| part | files | raw KiB | gzip KiB |');
console.log('|---|---|---|---|');
const row = (label, files) => {
  const s = sum(files);
  console.log(`| ${label} | ${files.length} | ${kib(s.raw)} | ${kib(s.gz)} |`);
};
row('first screen (entry, preloads, CSS)', firstScreen);
row('service-worker precache (offline)', precache);
row('all JS chunks', assets.filter((f) => f.endsWith('.js')));
console.log('\nLargest lazy chunks (gzip KiB): ' + lazy.slice(0, 6).map((c) => `${path.basename(c.f).replace(/-[\w-]{8}\.js$/, '')} ${kib(c.gz)}`).join(', '));

// The Worker bundle, built by wrangler itself into a temp dir (no account or network needed for a dry run).
const root = path.resolve(dist, '../..');
const out = mkdtempSync(path.join(os.tmpdir(), 'loket-worker-'));
const env = { ...process.env, WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false' };
const dry = spawnSync(path.join(root, 'node_modules/.bin/wrangler'), ['deploy', '--dry-run', '--outdir', out], { cwd: root, env, encoding: 'utf8' });
if (dry.status !== 0) throw new Error(`wrangler deploy --dry-run failed:\n${dry.stdout}${dry.stderr}`);
const script = readdirSync(out).filter((f) => f.endsWith('.js'));
const worker = script.map((f) => readFileSync(path.join(out, f))).reduce((a, b) => ({ raw: a.raw + b.length, gz: a.gz + gzipSync(b, { level: 9 }).length }), { raw: 0, gz: 0 });
rmSync(out, { recursive: true, force: true });
console.log(`Worker script (wrangler deploy --dry-run): ${kib(worker.raw)} KiB raw, ${kib(worker.gz)} KiB gzip (Workers limit: 3 MiB gzip on the free plan, 10 MiB paid).`);

