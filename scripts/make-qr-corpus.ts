/**
 * Makes a corpus of the project's own digital-KTP QR codes, distorted the way phone cameras see them (rotation,
 * blur, low contrast, glare, small scale, and mixes), for the decoder benchmark in tests/bench/ktp.mjs.
 * Deterministic (seeded); writes greyscale PGM (P5) images and manifest.json with each image's expected bytes.
 *
 *   npx tsx scripts/make-qr-corpus.ts [outDir]     (default .tmp/qr-corpus)
 *   npx tsx scripts/make-qr-corpus.ts --new-payloads   (prints fresh presentations to pin in PINNED)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { type ClaimName, type IssueInput, b64u, encodeQr, issueCredential, makePresentation, rasterizeQr } from '../schema/ktp';
import { seeded } from './seeded';

/** A greyscale image, 0 = black, 255 = white. */
export interface Gray {
  width: number;
  height: number;
  pixels: Float32Array;
}

function fromRaster(r: { width: number; pixels: Uint8Array }): Gray {
  return { width: r.width, height: r.width, pixels: Float32Array.from(r.pixels) };
}

function sample(img: Gray, x: number, y: number): number {
  if (x < 0 || y < 0 || x > img.width - 1 || y > img.height - 1) return 255;
  const x0 = Math.floor(x);
  const y0 = Math.floor(y);
  const x1 = Math.min(x0 + 1, img.width - 1);
  const y1 = Math.min(y0 + 1, img.height - 1);
  const fx = x - x0;
  const fy = y - y0;
  const p = img.pixels;
  const top = p[y0 * img.width + x0]! * (1 - fx) + p[y0 * img.width + x1]! * fx;
  const bottom = p[y1 * img.width + x0]! * (1 - fx) + p[y1 * img.width + x1]! * fx;
  return top * (1 - fy) + bottom * fy;
}

/** Rotates about the centre onto a canvas large enough for the corners (white background), bilinear. */
export function rotate(img: Gray, degrees: number): Gray {
  const a = (degrees * Math.PI) / 180;
  const cos = Math.cos(a);
  const sin = Math.sin(a);
  const size = Math.ceil(Math.abs(img.width * cos) + Math.abs(img.height * sin));
  const out = new Float32Array(size * size);
  const c = size / 2;
  const ic = img.width / 2;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const dx = x - c;
      const dy = y - c;
      out[y * size + x] = sample(img, cos * dx + sin * dy + ic, -sin * dx + cos * dy + ic);
    }
  }
  return { width: size, height: size, pixels: out };
}

/** Resamples to `factor` × the size (area-averaged when shrinking), as a QR far from the camera. */
export function scale(img: Gray, factor: number): Gray {
  const w = Math.max(1, Math.round(img.width * factor));
  const h = Math.max(1, Math.round(img.height * factor));
  const out = new Float32Array(w * h);
  const step = 1 / factor;
  const n = Math.max(1, Math.ceil(step));
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let sum = 0;
      for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) sum += sample(img, (x + (i + 0.5) / n) * step - 0.5, (y + (j + 0.5) / n) * step - 0.5);
      out[y * w + x] = sum / (n * n);
    }
  }
  return { width: w, height: h, pixels: out };
}

/** Separable Gaussian blur (out of focus, motion-free). */
export function blur(img: Gray, sigma: number): Gray {
  const r = Math.ceil(sigma * 3);
  const k: number[] = [];
  let total = 0;
  for (let i = -r; i <= r; i++) {
    const v = Math.exp(-(i * i) / (2 * sigma * sigma));
    k.push(v);
    total += v;
  }
  const kernel = k.map((v) => v / total);
  const pass = (src: Float32Array, horizontal: boolean): Float32Array => {
    const out = new Float32Array(src.length);
    for (let y = 0; y < img.height; y++) {
      for (let x = 0; x < img.width; x++) {
        let acc = 0;
        for (let i = -r; i <= r; i++) {
          const xx = horizontal ? Math.min(img.width - 1, Math.max(0, x + i)) : x;
          const yy = horizontal ? y : Math.min(img.height - 1, Math.max(0, y + i));
          acc += src[yy * img.width + xx]! * kernel[i + r]!;
        }
        out[y * img.width + x] = acc;
      }
    }
    return out;
  };
  return { ...img, pixels: pass(pass(img.pixels, true), false) };
}

/** Squeezes black and white towards a grey (dim screen, washed-out print): `range` 1 keeps, 0.1 leaves 10 %. */
export function contrast(img: Gray, range: number, centre = 150): Gray {
  return { ...img, pixels: img.pixels.map((v) => centre + (v - centre) * range) };
}

/** A bright reflection: a Gaussian spot added on top, saturating part of the code to white. */
export function glare(img: Gray, strength: number, radiusFraction: number, random: () => number): Gray {
  const cx = img.width * (0.3 + 0.4 * random());
  const cy = img.height * (0.3 + 0.4 * random());
  const r = img.width * radiusFraction;
  const out = new Float32Array(img.pixels.length);
  for (let y = 0; y < img.height; y++) {
    for (let x = 0; x < img.width; x++) {
      const d2 = (x - cx) ** 2 + (y - cy) ** 2;
      out[y * img.width + x] = img.pixels[y * img.width + x]! + strength * Math.exp(-d2 / (r * r));
    }
  }
  return { ...img, pixels: out };
}

/** Sensor noise, so no image is perfectly clean. */
export function noise(img: Gray, sd: number, random: () => number): Gray {
  return {
    ...img,
    pixels: img.pixels.map((v) => {
      const g = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
      return v + g * sd;
    }),
  };
}

export function toBytes(img: Gray): Uint8Array {
  return Uint8Array.from(img.pixels, (v) => Math.max(0, Math.min(255, Math.round(v))));
}

export function toPgm(img: Gray): Uint8Array {
  const header = new TextEncoder().encode(`P5\n${img.width} ${img.height}\n255\n`);
  const out = new Uint8Array(header.length + img.width * img.height);
  out.set(header);
  out.set(toBytes(img), header.length);
  return out;
}

/** Reads a P5 PGM written by toPgm. */
export function fromPgm(bytes: Uint8Array): { width: number; height: number; gray: Uint8Array } {
  const text = new TextDecoder('latin1').decode(bytes.subarray(0, 64));
  const m = /^P5\s+(\d+)\s+(\d+)\s+255\s/.exec(text);
  if (!m) throw new Error('not a P5 PGM');
  const width = Number(m[1]);
  const height = Number(m[2]);
  return { width, height, gray: bytes.subarray(m[0].length, m[0].length + width * height) };
}

export interface CorpusEntry {
  file: string;
  payload: string;
  kind: string;
  level: string;
  version: number;
  width: number;
  height: number;
}

/**
 * Three real presentations (default, NIK only, everything revealed) of a realistic resident, made once with
 * `--new-payloads` and pinned below: ECDSA signatures and salts are random, so fresh ones would change every image.
 */
const PINNED: Record<string, string> = {
  default: 'SwEBCWstMjAyNi0xMWsDkBBrKx0QYwkDEFPNmCtJVjyTEc8lqffllGpJSuJ8zoPQy7HiTAgFS4YBYwkAAyBOVVJVTCBISURBWUFIIEJJTlRJIEFCRFVMIFJBSE1BTlTE65BG50NCSjSdaO_cKkPtBvtO8_k4uBlZsheayKn7KdmQ1Sn0FhXFQBNh0z0Io1fZnBHWY4DLrJADmAanqDeDKDbPCR3RudXWjv7BBROP6D1paeTOMbuM1dxXsIthLmHcoI1Ef9IJ8sMN9d5TIkFQawOQEDyIeO4SpVehcd1vnADzCQ24-RSl1kVAYxF3EgjRywJyYlCJHKS4ajZM-y8xMWM1jwKs1FiI1uyubTSOIxgGWd0gKQlImW0Tn7PnJKis',
  nik: 'SwEBCWstMjAyNi0xMWsDkBBrKx0QYwkDEFPNmCtJVjyTEc8lqffllGpJSuJ8zoPQy7HiTAgFS4YBYwkAAyBOVVJVTCBISURBWUFIIEJJTlRJIEFCRFVMIFJBSE1BTlTE65BG50NCSjSdaO_cKkPtBvtO8_k4uBlZsheayKn7KdmQ1Sn0FhXFQBNh0z0Io1fZnBHWY4DLrJADmAanqDeDKDbPCR3RudXWjv7BBROP6D1paeTOMbuM1dxXsIthLmHcoI1Ef9IJ8sMN9d5TIkFQawOQEJkPRT8A_p6znZoqgQFoxoTlfA74QJPrWMBRUL-AYwkBVQeVAAMlGTpi6v8ASyfacguaql9ztsi86iX6bdoCLQbJYzEkHcfRJY4MjZQhaRHh-Z9Q8kbR1Lm9AnIZ15IfFaLetu5L',
  all: 'SwEBCWstMjAyNi0xMWsDkBBrKx0QYwkDEFPNmCtJVjyTEc8lqffllGpJSuJ8zoPQy7HiTAgFS4YBYwkAAyBOVVJVTCBISURBWUFIIEJJTlRJIEFCRFVMIFJBSE1BTlTE65BG50NCSjSdaO_cKkPtBvtO8_k4uBlZsheayKn7KdmQ1Sn0FhXFQBNh0z0Io1fZnBHWY4DLrJADmAanqDeDKDbPCR3RudXWjv7BBROP6D1paeTOMbuM1dxXsIthLmHcoI1Ef9IJ8sMN9d5TIkFQawOQEGbXuY95G6GKvLN1nQdoxoTlfA74QJPrWMBRUL-AYwkBVQeVAAOxRiYYWHngGAp4ZHmzKaloGZUHFS67vLvGrTYlPTx4QhUIei9jCQEoSmwuIFRhbmp1bmcgU2VsYXRhbiBOby4gMTcgUlQgMDA0L1JXIDAwMor2lpiCr2uYck_UNfCdpE7tbZjmS323dxwkRXJ512RyBa6K_ENl-n3J9t78u379wDeDpMvSy-MXUqIZIPJ3EdM',
};

async function freshPayloads(): Promise<{ name: string; bytes: Uint8Array }[]> {
  const office = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify'])) as CryptoKeyPair;
  const device = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify'])) as CryptoKeyPair;
  const devicePublicJwk = await crypto.subtle.exportKey('jwk', device.publicKey);
  const now = Date.UTC(2026, 10, 23, 1, 0, 0);
  const input: IssueInput = {
    name: 'NURUL HIDAYAH BINTI ABDUL RAHMAN',
    nik: '6309015507950003',
    birthDate: '1995-07-15',
    address: { street: 'Jl. Tanjung Selatan No. 17 RT 004/RW 002', districtCode: '63.09.01' },
    ageOver17: true,
    officeCode: '63.09',
    devicePublicJwk: devicePublicJwk as never,
    issuedAt: now / 1000,
    expiresAt: now / 1000 + 30 * 86_400,
  };
  const held = await issueCredential(input, { kid: 'k-2026-11', key: office.privateKey });
  const make = (reveal: ClaimName[]) => makePresentation({ held, reveal, deviceKey: device.privateKey, now });
  return [
    { name: 'default', bytes: await make([]) },
    { name: 'nik', bytes: await make(['nik']) },
    { name: 'all', bytes: await make(['nik', 'birthDate', 'address']) },
  ];
}

function pinnedPayloads(): { name: string; bytes: Uint8Array }[] {
  return Object.entries(PINNED).map(([name, text]) => ({ name, bytes: b64u.decode(text) }));
}

/** Builds the corpus in `outDir`; returns its manifest. */
export async function makeCorpus(outDir: string): Promise<CorpusEntry[]> {
  mkdirSync(outDir, { recursive: true });
  const entries: CorpusEntry[] = [];
  let seed = 1;
  for (const p of pinnedPayloads()) {
    const symbol = encodeQr(p.bytes);
    // 4 px per module, as a phone screen shows it to a camera at arm's length.
    const base = fromRaster(rasterizeQr(symbol, 4));
    const variants: [string, string, (random: () => number) => Gray][] = [
      ['clean', '4px', () => base],
      ...[5, 15, 30, 45].map((d): [string, string, (r: () => number) => Gray] => ['rotation', `${d}deg`, () => rotate(base, d)]),
      ...[1, 1.5, 2, 2.5, 3].map((s): [string, string, (r: () => number) => Gray] => ['blur', `sigma${s}`, () => blur(base, s)]),
      ...[0.4, 0.2, 0.1, 0.05].map((c): [string, string, (r: () => number) => Gray] => ['contrast', `${Math.round(c * 100)}pct`, () => contrast(base, c)]),
      ...[
        [150, 0.15],
        [250, 0.2],
        [350, 0.25],
        [500, 0.3],
      ].map(([s, r]): [string, string, (rnd: () => number) => Gray] => ['glare', `${s}@${r}`, (rnd) => glare(base, s!, r!, rnd)]),
      ...[0.75, 0.5, 0.4, 0.3].map((f): [string, string, (r: () => number) => Gray] => ['scale', `${(4 * f).toFixed(1)}px`, () => scale(base, f)]),
      ['mixed', 'rot10+blur1.5', () => blur(rotate(base, 10), 1.5)],
      ['mixed', 'contrast20+glare250', (rnd) => glare(contrast(base, 0.2), 250, 0.2, rnd)],
      ['mixed', 'scale0.6+rot20+blur1', () => blur(rotate(scale(base, 0.6), 20), 1)],
      ['mixed', 'contrast30+blur2', () => blur(contrast(base, 0.3), 2)],
    ];
    for (const [kind, level, make] of variants) {
      const random = seeded(seed++);
      const img = noise(make(random), 4, random);
      const file = `${p.name}-${kind}-${level}.pgm`.replace(/[^A-Za-z0-9.@+-]/g, '_');
      writeFileSync(path.join(outDir, file), toPgm(img));
      entries.push({ file, payload: b64u.encode(p.bytes), kind, level, version: symbol.version, width: img.width, height: img.height });
    }
  }
  writeFileSync(path.join(outDir, 'manifest.json'), `${JSON.stringify(entries, null, 1)}\n`);
  return entries;
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  if (process.argv[2] === '--new-payloads') {
    for (const p of await freshPayloads()) console.log(`  ${p.name}: '${b64u.encode(p.bytes)}',`);
    process.exit(0);
  }
  const outDir = path.resolve(process.argv[2] ?? '.tmp/qr-corpus');
  const entries = await makeCorpus(outDir);
  console.log(`${entries.length} images in ${outDir}`);
}
