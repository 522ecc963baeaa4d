/** Byte-level building blocks of the compact KTP format: a writer/reader pair, BCD digits and base64url. */
import { base64url } from 'jose';

/** Why bytes could not be read as a KTP credential or presentation; verification reports it as `malformed`. */
export class KtpFormatError extends Error {
  constructor(readonly reason: 'not_ktp' | 'version' | 'truncated' | 'trailing_bytes' | 'bad_field' | 'too_large', message: string) {
    super(message);
    this.name = 'KtpFormatError';
  }
}

const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

export function utf8(s: string): Uint8Array {
  return utf8Encoder.encode(s);
}

export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

export const b64u = {
  encode: (bytes: Uint8Array | string): string => base64url.encode(bytes),
  /** Throws KtpFormatError on anything that is not canonical base64url. */
  decode(text: string): Uint8Array {
    if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new KtpFormatError('bad_field', 'not base64url');
    try {
      return base64url.decode(text);
    } catch {
      throw new KtpFormatError('bad_field', 'not base64url');
    }
  },
};

/** Packs a string of decimal digits two per byte (high nibble first); an odd count is refused. */
export function bcd(digits: string): Uint8Array {
  if (!/^\d*$/.test(digits) || digits.length % 2 !== 0) throw new RangeError(`bcd needs an even number of digits, got "${digits}"`);
  const out = new Uint8Array(digits.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = (Number(digits[2 * i]) << 4) | Number(digits[2 * i + 1]);
  return out;
}

export function unbcd(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) {
    const hi = b >> 4;
    const lo = b & 0x0f;
    if (hi > 9 || lo > 9) throw new KtpFormatError('bad_field', 'BCD nibble above 9');
    s += `${hi}${lo}`;
  }
  return s;
}

/** Appends fields to a growing buffer. */
export class ByteWriter {
  private parts: Uint8Array[] = [];

  u8(n: number): this {
    if (!Number.isInteger(n) || n < 0 || n > 0xff) throw new RangeError(`u8 out of range: ${n}`);
    this.parts.push(Uint8Array.of(n));
    return this;
  }

  u32(n: number): this {
    if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) throw new RangeError(`u32 out of range: ${n}`);
    this.parts.push(Uint8Array.of(n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff));
    return this;
  }

  bytes(b: Uint8Array, expectLength?: number): this {
    if (expectLength !== undefined && b.length !== expectLength) throw new RangeError(`expected ${expectLength} bytes, got ${b.length}`);
    this.parts.push(b);
    return this;
  }

  /** A UTF-8 string behind a one-byte length, at most `max` bytes. */
  text(s: string, max: number): this {
    const b = utf8(s);
    if (b.length === 0 || b.length > max) throw new RangeError(`text must be 1..${max} UTF-8 bytes, got ${b.length}`);
    return this.u8(b.length).bytes(b);
  }

  finish(): Uint8Array {
    return concat(...this.parts);
  }
}

/** Reads fields in order; every short read is `truncated`, every out-of-range value `bad_field`. */
export class ByteReader {
  private at = 0;
  constructor(private readonly buf: Uint8Array) {}

  get offset(): number {
    return this.at;
  }

  get remaining(): number {
    return this.buf.length - this.at;
  }

  bytes(n: number): Uint8Array {
    if (this.at + n > this.buf.length) throw new KtpFormatError('truncated', `needs ${n} more bytes at offset ${this.at}`);
    const out = this.buf.slice(this.at, this.at + n);
    this.at += n;
    return out;
  }

  u8(): number {
    return this.bytes(1)[0]!;
  }

  u32(): number {
    const b = this.bytes(4);
    return ((b[0]! << 24) >>> 0) + (b[1]! << 16) + (b[2]! << 8) + b[3]!;
  }

  text(max: number): string {
    const n = this.u8();
    if (n === 0 || n > max) throw new KtpFormatError('bad_field', `text length ${n} outside 1..${max}`);
    try {
      return utf8Decoder.decode(this.bytes(n));
    } catch (err) {
      if (err instanceof KtpFormatError) throw err;
      throw new KtpFormatError('bad_field', 'text is not UTF-8');
    }
  }

  /** Everything read so far, from `from`. */
  slice(from: number, to = this.at): Uint8Array {
    return this.buf.slice(from, to);
  }

  end(): void {
    if (this.at !== this.buf.length) throw new KtpFormatError('trailing_bytes', `${this.buf.length - this.at} bytes after the end`);
  }
}

/** SHA-256 with WebCrypto (a copy keeps the DOM typings happy about SharedArrayBuffer-backed views). */
export async function sha256(bytes: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', new Uint8Array(bytes)));
}
