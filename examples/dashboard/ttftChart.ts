import { seriesColor, svgElement, tickStep } from './svgElement';

const WIDTH = 360;
const ROW = 40;
const MARGIN = { top: 8, right: 64, bottom: 24, left: 72 };

/**
 * Renders the time to first token of each stream as a horizontal bar, drawn by hand in an SVG:
 * a stream still waiting for its first token has no bar yet. Each bar carries `data-ttft` (its
 * key) and `data-value` (the milliseconds), for tests and tools.
 *
 * @param svg The chart's SVG element.
 * @param figures Each stream's key and time to first token, in pane order.
 */
export function renderTtftChart(svg: SVGSVGElement, figures: readonly { readonly key: string; readonly ttftMs: number | undefined }[]): void {
  const height = MARGIN.top + MARGIN.bottom + ROW * figures.length;
  svg.setAttribute('viewBox', `0 0 ${WIDTH} ${height}`);
  const maxMs = Math.max(100, ...figures.map((figure) => figure.ttftMs ?? 0)) * 1.1;
  const width = WIDTH - MARGIN.left - MARGIN.right;
  const x = (ms: number) => MARGIN.left + (ms / maxMs) * width;

  const children: SVGElement[] = [];
  const step = tickStep(maxMs, 4);
  for (let ms = 0; ms <= maxMs; ms += step) {
    children.push(svgElement('line', { x1: x(ms), x2: x(ms), y1: MARGIN.top, y2: height - MARGIN.bottom, class: 'grid' }));
    children.push(svgElement('text', { x: x(ms), y: height - 8, 'text-anchor': 'middle', class: 'tick' }, `${Math.round(ms)} ms`));
  }
  figures.forEach(({ key, ttftMs }, index) => {
    const top = MARGIN.top + index * ROW;
    children.push(svgElement('text', { x: MARGIN.left - 8, y: top + ROW / 2 + 4, 'text-anchor': 'end', class: 'label' }, key));
    if (ttftMs === undefined) return;
    children.push(
      svgElement('rect', { x: x(0), y: top + 6, width: Math.max(1, x(ttftMs) - x(0)), height: ROW - 12, rx: 3, fill: seriesColor(index), 'data-ttft': key, 'data-value': ttftMs }),
    );
    children.push(svgElement('text', { x: x(ttftMs) + 6, y: top + ROW / 2 + 4, class: 'value' }, `${Math.round(ttftMs)} ms`));
  });
  svg.replaceChildren(...children);
}
