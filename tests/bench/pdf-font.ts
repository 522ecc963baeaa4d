// `npm run bench:pdf-font` (tsx): certificate PDF builds with the font parsed for every PDF (fontkit as pdf-lib
// calls it) against the font parsed once per isolate (worker/documents/render.ts memoizedFontkit). Same renderer,
// same certificate-shaped document, same V8 as workerd; bounded: BENCH_PDFS builds per variant, no network.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import fontkit from '@pdf-lib/fontkit';
import { encodeQr } from '../../schema/ktp/qr';
import { type DocumentSpec, memoizedFontkit, renderPdfWith } from '../../worker/documents/render';

const PDFS = Number(process.env.BENCH_PDFS ?? 40);
const require = createRequire(import.meta.url);
const font = new Uint8Array(readFileSync(require.resolve('dejavu-fonts-ttf/ttf/DejaVuSerif.ttf')));

/** A certificate like worker/birth/issue.ts builds, with a different child each time (the subset follows the name). */
const spec = (i: number): DocumentSpec => ({
  title: `Kutipan Akta Kelahiran 6309-LT-30112026-${String(i).padStart(4, '0')}`,
  subject: `6309-LT-30112026-${String(i).padStart(4, '0')}`,
  createdAt: new Date('2026-11-30T03:00:00Z'),
  blocks: [
    { text: 'REPUBLIK INDONESIA', size: 12, align: 'center' },
    { text: 'KUTIPAN AKTA KELAHIRAN', size: 18, align: 'center', gap: 6 },
    { text: `Nomor 6309-LT-30112026-${String(i).padStart(4, '0')}`, align: 'center', gap: 2 },
    { text: 'Dinas Kependudukan dan Pencatatan Sipil Kabupaten Tabalong', align: 'center', gap: 2 },
    { text: 'Berdasarkan laporan kelahiran yang diterima melalui mitra pelayanan, di RSUD H. Badaruddin Kasim pada tanggal 25 November 2026 pukul 07.45 telah lahir:', gap: 28 },
    { text: `Nur'aini Siti-Ḥasanah Çandrawati ${String.fromCharCode(65 + (i % 26))}`, size: 20, align: 'center', gap: 12 },
    { text: 'anak ke-1, perempuan, dari ayah Ahmad Fauzi dan ibu Siti Aminah.', gap: 12 },
    { text: 'Kabupaten Tabalong, 30 November 2026', gap: 36 },
  ],
  qr: { symbol: encodeQr(new Uint8Array(143).fill(i), 10), caption: ['Dokumen ini ditandatangani secara elektronik.', 'Nomor register 6309-LT-30112026.'] },
});

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

console.log(`PDF font bench — ${PDFS} certificates per variant — ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}`);
// The two variants alternate build by build, so load from other processes on this shared machine hits both alike.
// "before" is fontkit as pdf-lib uses it (parsed on every embedFont); "after" is one memoized kit for the run.
const variants = { before: { kit: fontkit, times: [] as number[] }, after: { kit: memoizedFontkit(), times: [] as number[] } };
let size = 0;
for (let i = -3; i < PDFS; i++) {
  for (const v of Object.values(variants)) {
    const t = performance.now();
    size = (await renderPdfWith(spec(i + 3), font, v.kit)).byteLength;
    if (i >= 0) v.times.push(performance.now() - t); // the first three of each warm V8 up
  }
}
for (const [name, v] of Object.entries(variants)) {
  console.log(`${name === 'before' ? 'parse per PDF (before)' : 'parse once (after)'}: median ${median(v.times).toFixed(1)} ms · max ${Math.max(...v.times).toFixed(1)} ms`);
}
console.log(`PDF size ${(size / 1024).toFixed(1)} KiB; median ${(median(variants.before.times) / median(variants.after.times)).toFixed(2)}× faster with the font parsed once`);
