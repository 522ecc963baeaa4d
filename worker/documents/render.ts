/**
 * The document renderer behind worker/documents/pdf.ts, without the bundled font (so Node benchmarks can load it):
 * pdf-lib with an embedded font subset, simple blocks with word wrap, and a QR code drawn as vector modules.
 */
import fontkit from '@pdf-lib/fontkit';
import { PDFDocument, type PDFFont, type PDFPage, rgb } from 'pdf-lib';
import type { QrSymbol } from '../../schema/ktp/qr';

export interface TextBlock {
  text: string;
  size?: number;
  align?: 'left' | 'center';
  /** Extra space above, in points. */
  gap?: number;
}

export interface DocumentSpec {
  title: string;
  /** PDF metadata subject and keywords (register number etc.). */
  subject: string;
  blocks: TextBlock[];
  /** A QR symbol printed at the bottom left with a caption beside it. */
  qr?: { symbol: QrSymbol; caption: string[] };
  /** Fixed creation date, so the same document data yields the same bytes. */
  createdAt: Date;
}

const A4: [number, number] = [595.28, 841.89];
const MARGIN = 56;

/**
 * Greedy word wrap. Widths are taken per word and summed with the space's: pdf-lib shapes the whole string on every
 * widthOfTextAtSize (a few ms each), so measuring each growing line made wrapping most of a certificate's build.
 */
function wrap(font: PDFFont, text: string, size: number, width: number): string[] {
  const known = new Map<string, number>();
  const widthOf = (s: string) => {
    let w = known.get(s);
    if (w === undefined) known.set(s, (w = font.widthOfTextAtSize(s, size)));
    return w;
  };
  const space = widthOf(' ');
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    let lineWidth = 0;
    for (const word of paragraph.split(/\s+/).filter(Boolean)) {
      const next = line ? lineWidth + space + widthOf(word) : widthOf(word);
      if (next <= width || !line) {
        line = line ? `${line} ${word}` : word;
        lineWidth = next;
      } else {
        lines.push(line);
        line = word;
        lineWidth = widthOf(word);
      }
    }
    lines.push(line);
  }
  return lines;
}

function drawQr(page: PDFPage, symbol: QrSymbol, x: number, y: number, size: number): void {
  const cell = size / symbol.moduleCount;
  for (let r = 0; r < symbol.moduleCount; r++) {
    for (let c = 0; c < symbol.moduleCount; c++) {
      // Rows run top-down in the symbol, PDF y runs bottom-up.
      if (symbol.isDark(r, c)) page.drawRectangle({ x: x + c * cell, y: y + size - (r + 1) * cell, width: cell, height: cell, color: rgb(0, 0, 0) });
    }
  }
}

type Fontkit = Parameters<PDFDocument['registerFontkit']>[0];
type ParsedFont = Awaited<ReturnType<Fontkit['create']>>;

const WIDTHS = { Int8: 1, UInt8: 1, Int16: 2, UInt16: 2, Int24: 3, UInt24: 3, Int32: 4, UInt32: 4, Float: 4, Double: 8 } as const;

/**
 * The writer fontkit's subset encoder expects (restructure's EncodeStream API: write<Type><Endian>, writeBuffer,
 * writeString, fill, pos), collecting into one growing byte array synchronously instead of a Node stream.
 */
export class SubsetWriter {
  pos = 0;
  private bytes = new Uint8Array(64 * 1024);
  private view = new DataView(this.bytes.buffer);
  [method: string]: unknown;

  constructor() {
    for (const [type, width] of Object.entries(WIDTHS)) {
      const setter = `set${type === 'Float' ? 'Float32' : type === 'Double' ? 'Float64' : type.replace('UInt', 'Uint')}` as keyof DataView;
      for (const endian of width === 1 ? [''] : ['BE', 'LE']) {
        this[`write${type}${endian}`] = (value: number) => {
          this.ensure(width);
          if (width === 3) this.write24(value, endian === 'LE');
          else (this.view[setter] as (o: number, v: number, le?: boolean) => void).call(this.view, this.pos, value, endian === 'LE');
          this.pos += width;
        };
      }
    }
  }

  private ensure(n: number) {
    if (this.pos + n <= this.bytes.length) return;
    const grown = new Uint8Array(Math.max(this.bytes.length * 2, this.pos + n));
    grown.set(this.bytes.subarray(0, this.pos));
    this.bytes = grown;
    this.view = new DataView(grown.buffer);
  }

  private write24(value: number, le: boolean) {
    const v = value < 0 ? value + 0x1000000 : value;
    const b = [(v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff];
    this.bytes.set(le ? b.reverse() : b, this.pos);
  }

  writeBuffer(buffer: Uint8Array) {
    this.ensure(buffer.length);
    this.bytes.set(buffer, this.pos);
    this.pos += buffer.length;
  }

  writeString(text: string, encoding = 'ascii') {
    if (encoding === 'utf8') return this.writeBuffer(new TextEncoder().encode(text));
    if (encoding === 'ascii') return this.writeBuffer(Uint8Array.from(text, (ch) => ch.charCodeAt(0) & 0x7f));
    if (encoding === 'utf16le' || encoding === 'ucs2' || encoding === 'utf16be') {
      const out = new Uint8Array(text.length * 2);
      for (let i = 0; i < text.length; i++) {
        const code = text.charCodeAt(i);
        const [hi, lo] = [code >> 8, code & 0xff];
        out.set(encoding === 'utf16be' ? [hi, lo] : [lo, hi], i * 2);
      }
      return this.writeBuffer(out);
    }
    throw new Error(`font subset: unsupported string encoding ${encoding}`);
  }

  fill(value: number, length: number) {
    this.ensure(length);
    this.bytes.fill(value, this.pos, this.pos + length);
    this.pos += length;
  }

  result(): Uint8Array {
    return this.bytes.slice(0, this.pos);
  }
}

type Subset = ReturnType<ParsedFont['createSubset']> & { encode(stream: SubsetWriter): void };

/**
 * fontkit's `encodeStream` hands its work to a bundled `process.nextTick` shim whose queue is shared by the whole
 * isolate and drained by the timer of whichever request queued first: with two documents rendering at once, one
 * request's font subset finished inside the other request, and workerd refused the next R2 write ("Cannot perform
 * I/O on behalf of a different request"). This encodes the subset in the caller's own microtask instead, giving
 * pdf-lib the data/end events it listens for.
 */
function encodeInOwnTask(subset: Subset) {
  const handlers: Record<string, (arg?: unknown) => void> = {};
  const emitter = {
    on(event: string, fn: (arg?: unknown) => void) {
      handlers[event] = fn;
      return emitter;
    },
  };
  queueMicrotask(() => {
    let bytes: Uint8Array;
    try {
      const writer = new SubsetWriter();
      subset.encode(writer);
      bytes = writer.result();
    } catch (err) {
      handlers.error?.(err);
      return;
    }
    handlers.data?.(bytes);
    handlers.end?.();
  });
  return emitter;
}

function withOwnTaskSubsets(font: ParsedFont): ParsedFont {
  const createSubset = font.createSubset.bind(font);
  font.createSubset = () => {
    const subset = createSubset() as Subset;
    subset.encodeStream = (() => encodeInOwnTask(subset)) as unknown as Subset['encodeStream'];
    return subset;
  };
  return font;
}

/**
 * fontkit whose `create` parses each font's bytes once (per isolate, keyed by the bytes object): pdf-lib calls it on
 * every embedFont, and parsing a 380 KiB TTF took most of a certificate's build. Every document still makes its
 * own subset from the parsed font (fontkit's createSubset), so documents share no output state.
 */
export function memoizedFontkit(kit: Fontkit = fontkit): Fontkit {
  const parsed = new WeakMap<Uint8Array, ParsedFont>();
  return {
    create(bytes: Uint8Array, postscriptName?: string) {
      if (postscriptName !== undefined) return withOwnTaskSubsets(kit.create(bytes, postscriptName));
      let font = parsed.get(bytes);
      if (!font) {
        font = withOwnTaskSubsets(kit.create(bytes));
        parsed.set(bytes, font);
      }
      return font;
    },
  } as Fontkit;
}

/**
 * Renders `spec` on one A4 page with `fontBytes` (pass the same Uint8Array each time so `kit` can reuse the parse).
 * @example const pdf = await renderPdfWith({ title: 'KUTIPAN AKTA KELAHIRAN', subject: '6309-LT-…', blocks: [{ text: 'Nama: Nur\'aini' }], createdAt: new Date() }, bytes, memoizedFontkit())
 */
export async function renderPdfWith(spec: DocumentSpec, fontBytes: Uint8Array, kit: Fontkit): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.registerFontkit(kit);
  // Subsetting keeps only the glyphs used: a certificate stays a few tens of KB.
  const font = await doc.embedFont(fontBytes, { subset: true });
  doc.setTitle(spec.title);
  doc.setSubject(spec.subject);
  doc.setProducer('Loket');
  doc.setCreator('Loket');
  doc.setCreationDate(spec.createdAt);
  doc.setModificationDate(spec.createdAt);
  const page = doc.addPage(A4);
  const width = A4[0] - 2 * MARGIN;
  let y = A4[1] - MARGIN;
  for (const b of spec.blocks) {
    const size = b.size ?? 11;
    y -= b.gap ?? 0;
    for (const line of wrap(font, b.text, size, width)) {
      y -= size * 1.4;
      const x = b.align === 'center' ? MARGIN + (width - font.widthOfTextAtSize(line, size)) / 2 : MARGIN;
      page.drawText(line, { x, y, size, font, color: rgb(0, 0, 0) });
    }
  }
  if (spec.qr) {
    const size = 110;
    drawQr(page, spec.qr.symbol, MARGIN, MARGIN, size);
    let cy = MARGIN + size - 10;
    for (const line of spec.qr.caption) {
      for (const l of wrap(font, line, 8, width - size - 16)) {
        page.drawText(l, { x: MARGIN + size + 16, y: cy, size: 8, font });
        cy -= 11;
      }
    }
  }
  return doc.save({ useObjectStreams: true });
}
