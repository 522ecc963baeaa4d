/**
 * Official documents as PDF (birth certificates now; RETAS letters and IKM reports later), in DejaVu Serif, which has
 * every Latin letter with diacritics a name in the registry may carry. The font is parsed once per isolate.
 */
import fontData from 'dejavu-fonts-ttf/ttf/DejaVuSerif.ttf';
import { type DocumentSpec, memoizedFontkit, renderPdfWith } from './render';

export type { DocumentSpec, TextBlock } from './render';

/** One bytes object for the isolate's life: the memoized fontkit keys its parsed font on it. */
const FONT = new Uint8Array(fontData);
const kit = memoizedFontkit();

/**
 * Renders `spec` on one A4 page.
 * @example const pdf = await renderPdf({ title: 'KUTIPAN AKTA KELAHIRAN', subject: '6309-LT-…', blocks: [{ text: 'Nama: Nur\'aini' }], createdAt: new Date() })
 */
export function renderPdf(spec: DocumentSpec): Promise<Uint8Array> {
  return renderPdfWith(spec, FONT, kit);
}
