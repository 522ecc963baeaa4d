/** Digital-KTP QR symbols: the smallest version at level M, binary bytes intact through a real decoder (zxing-wasm). */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import qrcode from 'qrcode-generator';
import { prepareZXingModule, readBarcodes } from 'zxing-wasm/reader';
import { beforeAll, describe, expect, it } from 'vitest';
import { KtpFormatError, encodeQr, makePresentation, rasterizeQr, verifyKtp } from '../../schema/ktp';
import { T0, checker, deviceKey, issued, officeKey } from './ktp-helpers';

beforeAll(async () => {
  // Node: the wasm comes from node_modules (zxing-wasm would fetch it from a CDN otherwise).
  const wasmPath = createRequire(import.meta.url).resolve('zxing-wasm/reader/zxing_reader.wasm');
  const wasmBinary = readFileSync(wasmPath);
  await prepareZXingModule({ overrides: { wasmBinary: wasmBinary.buffer.slice(wasmBinary.byteOffset, wasmBinary.byteOffset + wasmBinary.byteLength) }, fireImmediately: true });
});

function rgba(gray: Uint8Array): Uint8ClampedArray {
  const out = new Uint8ClampedArray(gray.length * 4);
  for (let i = 0; i < gray.length; i++) {
    out[4 * i] = out[4 * i + 1] = out[4 * i + 2] = gray[i]!;
    out[4 * i + 3] = 255;
  }
  return out;
}

describe('QR symbols', () => {
  it('picks the smallest version at level M and refuses more than version 15 holds', () => {
    expect(encodeQr(new Uint8Array(213)).version).toBe(10);
    expect(encodeQr(new Uint8Array(214)).version).toBe(11);
    expect(encodeQr(new Uint8Array(412))).toMatchObject({ version: 15, moduleCount: 77 });
    expect(() => encodeQr(new Uint8Array(413))).toThrow(KtpFormatError);
  });

  it('keeps bytes ≥ 0x80 as single bytes even if another module switched qrcode-generator to UTF-8', () => {
    const saved = qrcode.stringToBytes;
    qrcode.stringToBytes = (text: string) => [...new TextEncoder().encode(text)];
    try {
      expect(encodeQr(new Uint8Array(412).fill(0xff)).version).toBe(15);
    } finally {
      qrcode.stringToBytes = saved;
    }
  });

  it('a rendered presentation decodes with zxing-wasm to the same bytes, which verify', async () => {
    const office = await officeKey('test-key-1');
    const device = await deviceKey();
    const qrBytes = await makePresentation({ held: await issued(office, device), reveal: ['nik', 'birthDate', 'address'], deviceKey: device.privateKey, now: T0 });
    const { width, pixels } = rasterizeQr(encodeQr(qrBytes), 3);
    const [hit, ...rest] = await readBarcodes({ data: rgba(pixels), width, height: width, colorSpace: 'srgb' } as unknown as Parameters<typeof readBarcodes>[0], { formats: ['QRCode'] });
    expect(rest).toEqual([]);
    expect(hit?.isValid).toBe(true);
    expect(new Uint8Array(hit!.bytes)).toEqual(qrBytes);
    expect((await verifyKtp(new Uint8Array(hit!.bytes), checker([office]))).status).toBe('valid');
  });
});
