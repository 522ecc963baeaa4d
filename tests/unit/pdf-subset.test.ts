// The font subset written by our synchronous writer (worker/documents/render.ts) is byte for byte what fontkit's own
// stream encoder produces, so certificates look and hash the same as before the change; concurrent renders agree too.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import fontkit from '@pdf-lib/fontkit';
import { describe, expect, it } from 'vitest';
import { type DocumentSpec, memoizedFontkit, renderPdfWith, SubsetWriter } from '../../worker/documents/render';

const require = createRequire(import.meta.url);
const FONT = new Uint8Array(readFileSync(require.resolve('dejavu-fonts-ttf/ttf/DejaVuSerif.ttf')));
const NAMES = ["Nur'aini Ṣalihah", 'Jean-Pierre Ñúñez', 'Ōkubo Ægir Ðorđević', 'I Gusti Ayu Kadek Ĉŭ'];

type Emitter = { on(event: string, fn: (arg?: unknown) => void): Emitter };
function streamed(subset: { encodeStream(): unknown }): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const parts: Uint8Array[] = [];
    (subset.encodeStream() as Emitter)
      .on('data', (b) => parts.push(b as Uint8Array))
      .on('end', () => resolve(Uint8Array.from(parts.flatMap((p) => [...p]))))
      .on('error', reject);
  });
}

const spec = (name: string): DocumentSpec => ({
  title: `Kutipan ${name}`,
  subject: '6309-LT-01122026-0001',
  createdAt: new Date('2026-12-01T02:00:00Z'),
  blocks: [{ text: 'KUTIPAN AKTA KELAHIRAN', size: 18, align: 'center' }, { text: name, size: 20, align: 'center', gap: 12 }, { text: `anak ke-1 dari ibu ${name}.` }],
});

describe('font subset writer', () => {
  it.each(NAMES)('writes the same subset bytes as fontkit for %s', async (name) => {
    const font = fontkit.create(FONT);
    const glyphs = font.layout(name).glyphs;
    const theirs = font.createSubset();
    const ours = font.createSubset() as unknown as { includeGlyph(g: unknown): void; encode(w: SubsetWriter): void };
    for (const g of glyphs) {
      theirs.includeGlyph(g);
      ours.includeGlyph(g);
    }
    const writer = new SubsetWriter();
    ours.encode(writer);
    const expected = await streamed(theirs);
    expect(expected.length).toBeGreaterThan(1000);
    expect(writer.result()).toEqual(expected);
  });

  it('a PDF rendered with the isolate kit equals one rendered with plain fontkit, also when four render at once', async () => {
    const kit = memoizedFontkit();
    const plain = await Promise.all(NAMES.map(async (n) => renderPdfWith(spec(n), FONT, fontkit)));
    const together = await Promise.all(NAMES.map((n) => renderPdfWith(spec(n), FONT, kit)));
    expect(together).toEqual(plain);
    expect(new Set(together.map((b) => b.length)).size).toBeGreaterThan(1);
  });

  it('grows past its first buffer and writes 24-bit and little-endian values as restructure does', () => {
    const w = new SubsetWriter();
    (w.writeUInt24BE as (v: number) => void)(0x010203);
    (w.writeInt24LE as (v: number) => void)(-2);
    (w.writeUInt16LE as (v: number) => void)(0xabcd);
    w.writeString('Hi', 'utf16be');
    w.fill(7, 70_000);
    const out = w.result();
    expect([...out.subarray(0, 12)]).toEqual([1, 2, 3, 0xfe, 0xff, 0xff, 0xcd, 0xab, 0, 72, 0, 105]);
    expect(out.length).toBe(12 + 70_000);
    expect(w.pos).toBe(out.length);
  });
});
