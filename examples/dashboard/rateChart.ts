import { seriesColor, svgElement, tickStep } from './svgElement';

/** One point of a stream's line: milliseconds since the run started, and its tokens per second then. */
interface RatePoint {
  readonly ms: number;
  readonly rate: number;
}

const WIDTH = 560;
const HEIGHT = 220;
const MARGIN = { top: 12, right: 16, bottom: 28, left: 44 };
/** Past this many points a line is thinned to every other point: a run of any length draws in constant time. */
const MAX_POINTS = 400;

/**
 * The line chart of tokens per second over time, one line per stream, drawn by hand in an SVG.
 *
 * `add()` records a stream's figures (a point only when its time moved on); `render()` redraws the
 * axes and the lines, and is called at most once per animation frame by the dashboard. Each line
 * carries `data-series` (its key) and `data-points` (how many points it has), for tests and tools.
 */
export class RateChart {
  private readonly series = new Map<string, RatePoint[]>();
  private readonly plot: SVGGElement;
  private readonly keys: readonly string[];

  /**
   * @param svg The chart's SVG element, drawn into from now on.
   * @param keys The streams, in pane order (their colours follow it).
   */
  constructor(svg: SVGSVGElement, keys: readonly string[]) {
    this.keys = keys;
    svg.setAttribute('viewBox', `0 0 ${WIDTH} ${HEIGHT}`);
    this.plot = svgElement('g');
    svg.replaceChildren(this.plot);
    this.reset();
  }

  /** Forgets every point: a new run starts. */
  reset(): void {
    for (const key of this.keys) this.series.set(key, []);
    this.render();
  }

  /** Records a stream's rate at `ms`; nothing when its time has not moved since its last point. */
  add(key: string, ms: number, rate: number): void {
    const points = this.series.get(key);
    if (!points || (points.length > 0 && points[points.length - 1]!.ms >= ms)) return;
    points.push({ ms, rate });
    if (points.length > MAX_POINTS) this.series.set(key, points.filter((_, index) => index % 2 === 0 || index === points.length - 1));
  }

  /** Redraws the chart from the points recorded so far. */
  render(): void {
    const all = [...this.series.values()].flat();
    const maxMs = Math.max(1000, ...all.map((point) => point.ms));
    const maxRate = Math.max(10, ...all.map((point) => point.rate)) * 1.1;
    const width = WIDTH - MARGIN.left - MARGIN.right;
    const height = HEIGHT - MARGIN.top - MARGIN.bottom;
    const x = (ms: number) => MARGIN.left + (ms / maxMs) * width;
    const y = (rate: number) => MARGIN.top + height - (rate / maxRate) * height;

    const children: SVGElement[] = [];
    const rateStep = tickStep(maxRate);
    for (let rate = 0; rate <= maxRate; rate += rateStep) {
      children.push(svgElement('line', { x1: MARGIN.left, x2: WIDTH - MARGIN.right, y1: y(rate), y2: y(rate), class: 'grid' }));
      children.push(svgElement('text', { x: MARGIN.left - 6, y: y(rate) + 4, 'text-anchor': 'end', class: 'tick' }, String(Math.round(rate))));
    }
    const secondStep = tickStep(maxMs / 1000);
    for (let second = 0; second * 1000 <= maxMs; second += secondStep) {
      children.push(svgElement('text', { x: x(second * 1000), y: HEIGHT - 8, 'text-anchor': 'middle', class: 'tick' }, `${+second.toFixed(2)} s`));
    }
    children.push(svgElement('line', { x1: MARGIN.left, x2: WIDTH - MARGIN.right, y1: y(0), y2: y(0), class: 'axis' }));
    this.keys.forEach((key, index) => {
      const points = this.series.get(key) ?? [];
      const line = svgElement('polyline', {
        points: points.map((point) => `${x(point.ms).toFixed(1)},${y(point.rate).toFixed(1)}`).join(' '),
        fill: 'none',
        stroke: seriesColor(index),
        'stroke-width': 2,
        'data-series': key,
        'data-points': points.length,
      });
      children.push(line);
    });
    this.plot.replaceChildren(...children);
  }
}
