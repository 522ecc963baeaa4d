/**
 * Official documents as PDF (birth certificates now; RETAS letters and IKM reports later): pdf-lib with an embedded
 * open font (DejaVu Serif, which has every Latin letter with diacritics a name in the registry may carry), simple
 * blocks with word wrap, and a QR code drawn as vector modules so it prints sharp at any size.
 */
import fontkit from '@pdf-lib/fontkit';
import fontBytes from 'dejavu-fonts-ttf/ttf/DejaVuSerif.ttf';
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

function wrap(font: PDFFont, text: string, size: number, width: number): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (const word of paragraph.split(/\s+/).filter(Boolean)) {
      const next = line ? `${line} ${word}` : word;
      if (font.widthOfTextAtSize(next, size) <= width || !line) line = next;
      else {
        lines.push(line);
        line = word;
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

/**
 * Renders `spec` on one A4 page.
 * @example const pdf = await renderPdf({ title: 'KUTIPAN AKTA KELAHIRAN', subject: '6309-LT-…', blocks: [{ text: 'Nama: Nur\'aini' }], createdAt: new Date() })
 */
export async function renderPdf(spec: DocumentSpec): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.registerFontkit(fontkit);
  // Subsetting keeps only the glyphs used: a certificate stays a few tens of KB.
  const font = await doc.embedFont(new Uint8Array(fontBytes), { subset: true });
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
