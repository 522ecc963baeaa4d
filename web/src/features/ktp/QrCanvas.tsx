/** Draws a QR symbol on a canvas, whole pixels per module with a 4-module quiet zone, so every phone camera reads it crisply. */
import { createEffect } from 'solid-js';
import type { QrSymbol } from '../../../../schema/ktp';

export function QrCanvas(props: { symbol: QrSymbol; pixels?: number; label: string; testId?: string }) {
  let canvas!: HTMLCanvasElement;
  createEffect(() => {
    const { symbol } = props;
    const margin = 4;
    const cells = symbol.moduleCount + 2 * margin;
    const scale = Math.max(2, Math.floor((props.pixels ?? 320) / cells));
    canvas.width = canvas.height = cells * scale;
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.fillStyle = '#000';
    for (let r = 0; r < symbol.moduleCount; r++) {
      for (let c = 0; c < symbol.moduleCount; c++) {
        if (symbol.isDark(r, c)) ctx.fillRect((c + margin) * scale, (r + margin) * scale, scale, scale);
      }
    }
  });
  return (
    <canvas
      ref={canvas}
      class="ktp-qr"
      role="img"
      aria-label={props.label}
      data-testid={props.testId}
      data-version={props.symbol.version}
      data-modules={props.symbol.moduleCount}
    />
  );
}
