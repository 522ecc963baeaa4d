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

/**
 * fontkit whose `create` parses each font's bytes once (per isolate, keyed by the bytes object): pdf-lib calls it on
 * every embedFont, and parsing a 380 KiB TTF took most of a certificate's build. Every document still makes its
 * own subset from the parsed font (fontkit's createSubset), so documents share no output state.
 */
export function memoizedFontkit(kit: Fontkit = fontkit): Fontkit {
  const parsed = new WeakMap<Uint8Array, ParsedFont>();
  return {
    create(bytes: Uint8Array, postscriptName?: string) {
      if (postscriptName !== undefined) return kit.create(bytes, postscriptName);
      let font = parsed.get(bytes);
      if (!font) {
        font = kit.create(bytes);
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
