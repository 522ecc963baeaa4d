/**
 * A small bar or line chart drawn with uPlot, loaded only when a chart is first shown (staff screens only, never in
 * the first bundle). Hidden from screen readers: every chart sits beside a table with the same numbers.
 */
import '../aduan/messages'; // this screen's texts (registered with t() when loaded)
import { createEffect, onCleanup, onMount } from 'solid-js';
import { t } from '../../i18n';

export interface ChartProps {
  labels: string[];
  values: (number | null)[];
  kind: 'bar' | 'line';
  /** y-axis range, e.g. [1, 4] for element averages or [25, 100] for the IKM score */
  range?: [number, number];
  /** a reference line (the standard time) */
  testId?: string;
}

export function Chart(props: ChartProps) {
  let box!: HTMLDivElement;
  let plot: { destroy(): void; setData(d: unknown): void } | undefined;

  async function draw() {
    const [{ default: UPlot }] = await Promise.all([import('uplot'), import('uplot/dist/uPlot.min.css')]);
    plot?.destroy();
    const xs = props.labels.map((_, i) => i);
    const width = Math.max(160, Math.min(720, box.clientWidth || 600)); // never wider than its box: a 360 px phone at 200% text leaves ~260 px
    plot = new UPlot(
      {
        width, height: 220,
        legend: { show: false },
        cursor: { show: false },
        scales: { x: { time: false, range: [-0.5, Math.max(0.5, xs.length - 0.5)] }, y: props.range ? { range: props.range } : {} },
        axes: [
          { values: (_u: unknown, splits: number[]) => splits.map((s) => (Number.isInteger(s) ? (props.labels[s] ?? '') : '')), splits: () => xs },
          {},
        ],
        series: [
          {},
          props.kind === 'bar'
            ? { stroke: '#1d6b8f', fill: 'rgba(29,107,143,0.5)', paths: UPlot.paths.bars!({ size: [0.6, 60] }), points: { show: false } }
            : { stroke: '#1d6b8f', width: 2, points: { show: true, size: 6 } },
        ],
      },
      [xs, props.values],
      box,
    );
    box.dataset.ready = '1';
  }

  onMount(() => void draw());
  createEffect(() => {
    // Redraw when the data changes.
    void props.values.length;
    void props.labels.join();
    if (plot) void draw();
  });
  onCleanup(() => plot?.destroy());

  return (
    <figure>
      <div ref={box} aria-hidden="true" data-testid={props.testId} />
      <figcaption class="small muted">{t('dash.chartNote')}</figcaption>
    </figure>
  );
}
