// Digital-KTP benchmark (run by tsx: `npx tsx tests/bench/ktp.mjs`): time to make and verify a presentation, QR version
// and module count at level M, and zxing-wasm vs jsQR on the distorted corpus of scripts/make-qr-corpus.ts. Bounded
// (fixed counts), offline, prints a Markdown table for docs/benchmarks.md.
// jsQR is optional: from node_modules when the project has it, or from JSQR_MODULE=/path/to/jsQR.js.
import { readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { prepareZXingModule, readBarcodes } from 'zxing-wasm/reader';
import { MemoryNonceStore, OfficeKeySet, b64u, encodeQr, issueCredential, makePresentation, verifyKtp } from '../../schema/ktp/index.ts';
import { fromPgm, makeCorpus } from '../../scripts/make-qr-corpus.ts';

const ROUNDS = Number(process.env.BENCH_KTP_ROUNDS ?? 200);
const require = createRequire(import.meta.url);

const ms = (a) => `${a.toFixed(2)} ms`;
function stats(samples) {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q) => s[Math.min(s.length - 1, Math.floor(q * s.length))];
  return { p50: at(0.5), p95: at(0.95), mean: s.reduce((x, y) => x + y, 0) / s.length };
}

// ── make and verify ──
const ecdsa = { name: 'ECDSA', namedCurve: 'P-256' };
const office = await crypto.subtle.generateKey(ecdsa, false, ['sign', 'verify']);
const officeJwk = { ...(await crypto.subtle.exportKey('jwk', office.publicKey)), kid: 'k-bench', alg: 'ES256', use: 'sig' };
const device = await crypto.subtle.generateKey(ecdsa, false, ['sign', 'verify']);
const now = Date.now();
const devicePublicJwk = await crypto.subtle.exportKey('jwk', device.publicKey);
const mk = (name, street) => ({
  name,
  nik: '6309015507950003',
  birthDate: '1995-07-15',
  address: { street, districtCode: '63.09.01' },
  ageOver17: true,
  officeCode: '63.09',
  devicePublicJwk,
  issuedAt: Math.floor(now / 1000),
  expiresAt: Math.floor(now / 1000) + 30 * 86_400,
});

const typical = await issueCredential(mk('SITI AMINAH', 'Jl. Tanjung 1 RT 003/RW 002'), { kid: 'k-bench', key: office.privateKey });
const longest = await issueCredential(mk('NURUL HIDAYAH BINTI ABDUL RAHMAN', 'Jl. Tanjung Selatan No. 17 RT 004/RW 002'), { kid: 'k-bench', key: office.privateKey });
const ctx = { keys: new OfficeKeySet({ keys: [officeJwk] }), blocked: new Set(), nonces: new MemoryNonceStore(), now: () => Date.now() };

// warm-up (key import, JIT)
for (let i = 0; i < 20; i++) await verifyKtp(await makePresentation({ held: typical, reveal: [], deviceKey: device.privateKey }), ctx);
const makeTimes = [];
const verifyTimes = [];
for (let i = 0; i < ROUNDS; i++) {
  let t = performance.now();
  const qr = await makePresentation({ held: typical, reveal: ['birthDate'], deviceKey: device.privateKey });
  makeTimes.push(performance.now() - t);
  t = performance.now();
  const r = await verifyKtp(qr, ctx);
  verifyTimes.push(performance.now() - t);
  if (r.status !== 'valid') throw new Error(`verify said ${r.status}`);
}

const sizes = [];
for (const [label, held, reveal] of [
  ['typical name, default disclosure', typical, []],
  ['typical name, + full NIK', typical, ['nik']],
  ['typical name, everything revealed', typical, ['nik', 'birthDate', 'address']],
  ['long name and street, default', longest, []],
  ['long name and street, everything revealed', longest, ['nik', 'birthDate', 'address']],
]) {
  const bytes = await makePresentation({ held, reveal, deviceKey: device.privateKey });
  const sym = encodeQr(bytes);
  sizes.push({ label, bytes: bytes.length, version: sym.version, modules: sym.moduleCount });
}

// ── decoders on the corpus ──
const corpusDir = path.join(os.tmpdir(), `loket-qr-corpus-${process.pid}`);
const corpus = await makeCorpus(corpusDir);
const wasm = readFileSync(require.resolve('zxing-wasm/reader/zxing_reader.wasm'));
await prepareZXingModule({ overrides: { wasmBinary: wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) }, fireImmediately: true });

let jsQR;
let jsqrFrom = 'not installed';
try {
  const spec = process.env.JSQR_MODULE ? pathToFileURL(process.env.JSQR_MODULE).href : 'jsqr';
  const mod = await import(spec);
  jsQR = mod.default?.default ?? mod.default ?? mod;
  const pkg = process.env.JSQR_MODULE ? path.join(path.dirname(process.env.JSQR_MODULE), '..', 'package.json') : require.resolve('jsqr/package.json');
  jsqrFrom = `${JSON.parse(readFileSync(pkg, 'utf8')).version}${process.env.JSQR_MODULE ? ', via JSQR_MODULE' : ''}`;
} catch {
  jsQR = undefined;
}

function rgba(gray) {
  const out = new Uint8ClampedArray(gray.length * 4);
  for (let i = 0; i < gray.length; i++) {
    out[4 * i] = out[4 * i + 1] = out[4 * i + 2] = gray[i];
    out[4 * i + 3] = 255;
  }
  return out;
}

const equal = (a, b) => a.length === b.length && a.every((v, i) => v === b[i]);
const byKind = new Map();
const decodeTimes = { zxing: [], jsqr: [] };
for (const e of corpus) {
  const { width, height, gray } = fromPgm(readFileSync(path.join(corpusDir, e.file)));
  const data = rgba(gray);
  const expected = b64u.decode(e.payload);
  const row = byKind.get(e.kind) ?? { n: 0, zxing: 0, jsqr: 0 };
  row.n++;
  let t = performance.now();
  const [hit] = await readBarcodes({ data, width, height, colorSpace: 'srgb' }, { formats: ['QRCode'], tryHarder: true, maxNumberOfSymbols: 1 });
  decodeTimes.zxing.push(performance.now() - t);
  if (hit?.isValid && equal(new Uint8Array(hit.bytes), expected)) row.zxing++;
  if (jsQR) {
    t = performance.now();
    const r = jsQR(data, width, height, { inversionAttempts: 'dontInvert' });
    decodeTimes.jsqr.push(performance.now() - t);
    if (r && equal(Uint8Array.from(r.binaryData), expected)) row.jsqr++;
  }
  byKind.set(e.kind, row);
}

// ── report ──
const m = stats(makeTimes);
const v = stats(verifyTimes);
const lines = [];
lines.push(`## ${new Date().toISOString().slice(0, 10)} — digital KTP — ${os.cpus().length} × ${os.cpus()[0]?.model.trim()}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.versions.node}`);
lines.push('');
lines.push('| measure | value |');
lines.push('|---|---|');
lines.push(`| make a presentation (device ES256 + SHA-256, ${ROUNDS} runs) | p50 ${ms(m.p50)}, p95 ${ms(m.p95)} |`);
lines.push(`| verify a presentation (2 × ES256, thumbprint, digests) | p50 ${ms(v.p50)}, p95 ${ms(v.p95)} |`);
for (const s of sizes) lines.push(`| QR, ${s.label} | ${s.bytes} B → version ${s.version}, ${s.modules}×${s.modules} modules (level M) |`);
lines.push('');
const corpusLine = `Decoders on ${corpus.length} images of the project's own QR codes (3 payloads, versions ${[...new Set(corpus.map((e) => e.version))].join('/')}, 4 px/module base, sensor noise) from scripts/make-qr-corpus.ts; success = exact bytes:`;
lines.push(corpusLine);
lines.push('');
lines.push(`| distortion | images | zxing-wasm 3.1 | jsQR ${jsqrFrom} |`);
lines.push('|---|---|---|---|');
let nAll = 0;
let zAll = 0;
let jAll = 0;
for (const [kind, r] of byKind) {
  nAll += r.n;
  zAll += r.zxing;
  jAll += r.jsqr;
  lines.push(`| ${kind} | ${r.n} | ${r.zxing}/${r.n} | ${jsQR ? `${r.jsqr}/${r.n}` : '—'} |`);
}
lines.push(`| **all** | ${nAll} | **${zAll}/${nAll} (${Math.round((100 * zAll) / nAll)} %)** | ${jsQR ? `**${jAll}/${nAll} (${Math.round((100 * jAll) / nAll)} %)**` : '—'} |`);
const z = stats(decodeTimes.zxing);
lines.push(`| decode time per image | | p50 ${ms(z.p50)}, p95 ${ms(z.p95)} | ${jsQR ? (() => { const j = stats(decodeTimes.jsqr); return `p50 ${ms(j.p50)}, p95 ${ms(j.p95)}`; })() : '—'} |`);
rmSync(corpusDir, { recursive: true, force: true });
console.log(lines.join('\n'));
