/**
 * A fake camera for Chromium (`--use-file-for-fake-video-capture`): a Y4M video made from a PNG screenshot of the QR
 * code the app rendered, so the scanning side reads exactly what the other side shows (TOOLCHAIN.md item 11).
 */
import { writeFileSync } from 'node:fs';
import { inflateSync } from 'node:zlib';

/** 8-bit grey pixels, row by row. */
export interface Grey {
  width: number;
  height: number;
  luma: Uint8Array;
}

/**
 * Decodes the PNGs Chromium screenshots are (8-bit truecolour or greyscale, with or without alpha, not interlaced)
 * into luma (BT.601 weights), alpha composited over white.
 */
export function pngToGrey(png: Uint8Array): Grey {
  const sig = [137, 80, 78, 71, 13, 10, 26, 10];
  if (!sig.every((b, i) => png[i] === b)) throw new Error('not a PNG');
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  let width = 0;
  let height = 0;
  let colorType = 0;
  const idat: Uint8Array[] = [];
  for (let at = 8; at < png.length; ) {
    const len = view.getUint32(at);
    const type = String.fromCharCode(...png.subarray(at + 4, at + 8));
    const data = png.subarray(at + 8, at + 8 + len);
    if (type === 'IHDR') {
      width = view.getUint32(at + 8);
      height = view.getUint32(at + 12);
      const depth = data[8];
      colorType = data[9]!;
      if (depth !== 8 || data[12] !== 0) throw new Error(`unsupported PNG: depth ${depth}, interlace ${data[12]}`);
    } else if (type === 'IDAT') idat.push(data);
    else if (type === 'IEND') break;
    at += 12 + len;
  }
  const channels = ({ 0: 1, 2: 3, 4: 2, 6: 4 } as Record<number, number>)[colorType];
  if (!channels) throw new Error(`unsupported PNG colour type ${colorType}`);
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const pixels = new Uint8Array(stride * height);
  // Undo the per-row filters (PNG spec §9): None, Sub, Up, Average, Paeth.
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    const src = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const row = pixels.subarray(y * stride, (y + 1) * stride);
    const prev = y > 0 ? pixels.subarray((y - 1) * stride, y * stride) : new Uint8Array(stride);
    for (let x = 0; x < stride; x++) {
      const a = x >= channels ? row[x - channels]! : 0;
      const b = prev[x]!;
      const c = x >= channels ? prev[x - channels]! : 0;
      let add = 0;
      if (filter === 1) add = a;
      else if (filter === 2) add = b;
      else if (filter === 3) add = (a + b) >> 1;
      else if (filter === 4) {
        const p = a + b - c;
        const pa = Math.abs(p - a);
        const pb = Math.abs(p - b);
        const pc = Math.abs(p - c);
        add = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      } else if (filter !== 0) throw new Error(`bad PNG filter ${filter}`);
      row[x] = (src[x]! + add) & 0xff;
    }
  }
  const luma = new Uint8Array(width * height);
  for (let i = 0; i < width * height; i++) {
    const p = pixels.subarray(i * channels, (i + 1) * channels);
    const [r, g, b] = channels >= 3 ? [p[0]!, p[1]!, p[2]!] : [p[0]!, p[0]!, p[0]!];
    const alpha = channels === 4 ? p[3]! / 255 : channels === 2 ? p[1]! / 255 : 1;
    const y = 0.299 * r + 0.587 * g + 0.114 * b;
    luma[i] = Math.round(y * alpha + 255 * (1 - alpha));
  }
  return { width, height, luma };
}

/**
 * A Y4M video (4:2:0, full-range "C420jpeg") of `frames` identical frames: the image scaled (nearest neighbour, so
 * module edges stay sharp) to fit `size` pixels, centred on white; chroma neutral grey.
 */
export function greyToY4m(img: Grey, opts: { width?: number; height?: number; size?: number; frames?: number } = {}): Buffer {
  const W = opts.width ?? 640;
  const H = opts.height ?? 480;
  const size = Math.min(opts.size ?? 400, W, H);
  const scale = size / Math.max(img.width, img.height);
  const w = Math.round(img.width * scale);
  const h = Math.round(img.height * scale);
  const left = Math.floor((W - w) / 2);
  const top = Math.floor((H - h) / 2);
  const yPlane = Buffer.alloc(W * H, 255);
  for (let y = 0; y < h; y++) {
    const sy = Math.min(img.height - 1, Math.floor(y / scale));
    for (let x = 0; x < w; x++) {
      const sx = Math.min(img.width - 1, Math.floor(x / scale));
      yPlane[(top + y) * W + left + x] = img.luma[sy * img.width + sx]!;
    }
  }
  const chroma = Buffer.alloc((W * H) / 2, 128);
  const frame = Buffer.concat([Buffer.from('FRAME\n'), yPlane, chroma]);
  const header = Buffer.from(`YUV4MPEG2 W${W} H${H} F10:1 Ip A1:1 C420jpeg\n`);
  return Buffer.concat([header, ...Array.from({ length: opts.frames ?? 5 }, () => frame)]);
}

/** A plain grey picture: what the fake camera shows before a test puts a QR code in front of it. */
export function blankY4m(): Buffer {
  return greyToY4m({ width: 1, height: 1, luma: new Uint8Array([128]) }, { size: 1, frames: 2 });
}

/**
 * Writes the camera file from a screenshot of the QR element. Chromium names the file at launch
 * (`--use-file-for-fake-video-capture`), so the tests write it first and then launch the scanning side.
 */
export function writeCameraFile(path: string, png: Uint8Array): void {
  writeFileSync(path, greyToY4m(pngToGrey(png)));
}
