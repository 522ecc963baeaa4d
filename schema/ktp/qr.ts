/** QR symbols of a digital KTP with qrcode-generator: byte mode, level M, the smallest version that fits (≤ 15). */
import qrcode from 'qrcode-generator';
import { KtpFormatError } from './bytes';
import { QR_MAX_VERSION } from './format';

export interface QrSymbol {
  version: number;
  moduleCount: number;
  isDark(row: number, col: number): boolean;
}

type TypeNumber = Parameters<typeof qrcode>[0];

/** Each byte as one character 0–255: what qrcode-generator's default stringToBytes maps back to the same byte. */
function binaryString(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return s;
}

function latin1ToBytes(s: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) out.push(s.charCodeAt(i) & 0xff);
  return out;
}

/**
 * Encodes `bytes` at level M in the smallest version that holds them, at most `maxVersion` (default 15).
 * Throws KtpFormatError('too_large') when they do not fit.
 */
export function encodeQr(bytes: Uint8Array, maxVersion = QR_MAX_VERSION, level: 'L' | 'M' | 'Q' | 'H' = 'M'): QrSymbol {
  const data = binaryString(bytes);
  // Another module may have switched the library to UTF-8 (it is a global setting): bytes ≥ 0x80 must stay single bytes.
  const saved = qrcode.stringToBytes;
  qrcode.stringToBytes = latin1ToBytes;
  try {
    for (let v = 1; v <= maxVersion; v++) {
      const q = qrcode(v as TypeNumber, level);
      q.addData(data, 'Byte');
      try {
        q.make();
      } catch {
        continue; // does not fit this version
      }
      return { version: v, moduleCount: q.getModuleCount(), isDark: (r, c) => q.isDark(r, c) };
    }
  } finally {
    qrcode.stringToBytes = saved;
  }
  throw new KtpFormatError('too_large', `${bytes.length} bytes do not fit a version-${maxVersion} QR at level ${level}`);
}

/**
 * Grey pixels (0 black, 255 white) of a symbol with `scale` pixels per module and a quiet zone of `margin` modules.
 * @example const { width, pixels } = rasterizeQr(encodeQr(bytes), 4)
 */
export function rasterizeQr(symbol: QrSymbol, scale: number, margin = 4): { width: number; pixels: Uint8Array } {
  const width = (symbol.moduleCount + 2 * margin) * scale;
  const pixels = new Uint8Array(width * width).fill(255);
  for (let r = 0; r < symbol.moduleCount; r++) {
    for (let c = 0; c < symbol.moduleCount; c++) {
      if (!symbol.isDark(r, c)) continue;
      for (let y = 0; y < scale; y++) {
        const row = ((r + margin) * scale + y) * width + (c + margin) * scale;
        pixels.fill(0, row, row + scale);
      }
    }
  }
  return { width, pixels };
}
