/** Renders text as a QR code (qrcode-generator, error correction level M) in crisp SVG; reusable by any screen. */
import qrcode from 'qrcode-generator';
import { type JSX, createMemo } from 'solid-js';

export interface QrCodeProps {
  /** What the code says, e.g. a `LOKETB1.…` binding payload. */
  text: string;
  /** Accessible description of what the code is for. */
  label: string;
  /** Rendered width in CSS pixels (the SVG scales without blur). */
  size?: number;
  /** Quiet zone in modules; the QR standard asks for 4. */
  margin?: number;
  testId?: string;
}

/**
 * Dark modules of `text` at level M, automatic version (the smallest that fits).
 * @example qrMatrix('LOKETB2.…').length // 33 for version 4
 */
export function qrMatrix(text: string): boolean[][] {
  const qr = qrcode(0, 'M');
  qr.addData(text, 'Byte');
  qr.make();
  const n = qr.getModuleCount();
  return Array.from({ length: n }, (_, r) => Array.from({ length: n }, (_, c) => qr.isDark(r, c)));
}

/** QR version from the module count (21 + 4·(v−1)), for checks such as "binding codes stay ≤ version 10". */
export function qrVersion(text: string): number {
  return (qrMatrix(text).length - 17) / 4;
}

export function QrCode(props: QrCodeProps): JSX.Element {
  const drawn = createMemo(() => {
    const m = qrMatrix(props.text);
    const margin = props.margin ?? 4;
    const n = m.length + margin * 2;
    // One path of 1×1 squares: small, and no anti-aliased seams between neighbouring modules.
    let d = '';
    m.forEach((row, r) =>
      row.forEach((dark, c) => {
        if (dark) d += `M${c + margin} ${r + margin}h1v1h-1z`;
      }),
    );
    return { n, d, modules: m.length };
  });
  return (
    <svg
      xmlns="http://www.w3.org/2000/svg"
      viewBox={`0 0 ${drawn().n} ${drawn().n}`}
      width={props.size ?? 240}
      height={props.size ?? 240}
      role="img"
      aria-label={props.label}
      shape-rendering="crispEdges"
      data-testid={props.testId}
      data-text={props.text}
      data-modules={drawn().modules}
      style={{ background: '#fff', display: 'block', 'max-width': '100%', height: 'auto' }}
    >
      <rect width={drawn().n} height={drawn().n} fill="#fff" />
      <path d={drawn().d} fill="#000" />
    </svg>
  );
}
