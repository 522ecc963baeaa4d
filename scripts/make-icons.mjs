// Draws the Loket app icons (an ID card on a counter-blue tile) as PNGs with node:zlib, so no image tool is needed.
// Run: node scripts/make-icons.mjs  → web/public/icons/{icon-192,icon-512,icon-maskable-512,apple-touch-icon}.png
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

const OUT = join(dirname(fileURLToPath(import.meta.url)), '..', 'web', 'public', 'icons');

const BLUE = [11, 79, 108];   // theme colour #0b4f6c
const WHITE = [255, 255, 255];
const GOLD = [242, 183, 5];   // the Garuda-gold stripe of a KTP
const INK = [11, 79, 108];
const SKY = [190, 222, 235];

// --- PNG encoding -------------------------------------------------------------------------------
const CRC_TABLE = new Int32Array(256).map((_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c;
});
function crc32(buf) {
  let c = -1;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ -1) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}
function encodePng(size, rgba) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0; // filter: none
    rgba.copy(raw, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

// --- Shapes in unit coordinates (0..1 across the icon) -----------------------------------------
const roundRect = (x, y, w, h, r) => (px, py) => {
  const dx = Math.max(x + r - px, 0, px - (x + w - r));
  const dy = Math.max(y + r - py, 0, py - (y + h - r));
  return px >= x && px <= x + w && py >= y && py <= y + h && dx * dx + dy * dy <= r * r;
};
const circle = (cx, cy, r) => (px, py) => (px - cx) ** 2 + (py - cy) ** 2 <= r * r;

/** Layers painted in order; `scale` shrinks the artwork into the maskable safe zone. */
function layers(fullBleed, scale) {
  const s = (v) => 0.5 + (v - 0.5) * scale;
  const sr = (x, y, w, h, r) => roundRect(s(x), s(y), w * scale, h * scale, r * scale);
  const sc = (cx, cy, r) => circle(s(cx), s(cy), r * scale);
  return [
    [fullBleed ? () => true : roundRect(0.02, 0.02, 0.96, 0.96, 0.2), BLUE],
    // the card: gold with rounded corners, then its white body below the stripe (square top edge)
    [sr(0.14, 0.26, 0.72, 0.48, 0.06), GOLD],
    [sr(0.14, 0.34, 0.72, 0.4, 0.06), WHITE],
    [sr(0.14, 0.34, 0.72, 0.08, 0.0), WHITE],
    // photo: head and shoulders
    [sr(0.2, 0.41, 0.2, 0.26, 0.03), SKY],
    [sc(0.3, 0.49, 0.05), INK],
    [sr(0.23, 0.56, 0.14, 0.11, 0.06), INK],
    [sr(0.2, 0.62, 0.2, 0.05, 0.0), SKY],
    // text lines
    [sr(0.46, 0.44, 0.32, 0.045, 0.02), INK],
    [sr(0.46, 0.53, 0.26, 0.045, 0.02), INK],
    [sr(0.46, 0.62, 0.18, 0.045, 0.02), INK],
  ];
}

/** Renders with 4×4 supersampling so edges are smooth. */
function render(size, fullBleed, scale) {
  const paint = layers(fullBleed, scale);
  const out = Buffer.alloc(size * size * 4);
  const N = 4;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let r = 0, g = 0, b = 0, a = 0;
      for (let sy = 0; sy < N; sy++) {
        for (let sx = 0; sx < N; sx++) {
          const px = (x + (sx + 0.5) / N) / size;
          const py = (y + (sy + 0.5) / N) / size;
          let col = null;
          for (const [inside, c] of paint) if (inside(px, py)) col = c;
          if (col) { r += col[0]; g += col[1]; b += col[2]; a += 1; }
        }
      }
      const i = (y * size + x) * 4;
      // Colour is averaged over covered samples only (no dark fringe); alpha is the coverage.
      out[i] = a ? Math.round(r / a) : 0;
      out[i + 1] = a ? Math.round(g / a) : 0;
      out[i + 2] = a ? Math.round(b / a) : 0;
      out[i + 3] = Math.round((a / (N * N)) * 255);
    }
  }
  return out;
}

mkdirSync(OUT, { recursive: true });
const icons = [
  ['icon-192.png', 192, false, 1],
  ['icon-512.png', 512, false, 1],
  // Maskable: the artwork must stay inside the central 80 % circle, so shrink it and paint full bleed.
  ['icon-maskable-512.png', 512, true, 0.78],
  ['apple-touch-icon.png', 180, true, 0.9],
];
for (const [name, size, fullBleed, scale] of icons) {
  const png = encodePng(size, render(size, fullBleed, scale));
  writeFileSync(join(OUT, name), png);
  console.log(`wrote web/public/icons/${name} (${png.length} bytes)`);
}
