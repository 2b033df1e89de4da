const SVG_NS = 'http://www.w3.org/2000/svg';

/** An SVG element with its attributes set: what the charts are drawn with, by hand. */
export function svgElement<K extends keyof SVGElementTagNameMap>(tag: K, attributes: Record<string, string | number> = {}, text?: string): SVGElementTagNameMap[K] {
  const element = document.createElementNS(SVG_NS, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
  if (text !== undefined) element.textContent = text;
  return element;
}

/** A round step for about `count` ticks over `0…max`: 1, 2 or 5 times a power of ten. */
export function tickStep(max: number, count = 4): number {
  const raw = Math.max(max, Number.EPSILON) / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((factor) => factor * power).find((candidate) => candidate >= raw);
  return step ?? 10 * power;
}

/** The colour of the stream at `index`, the same in every chart and pane. */
export const seriesColor = (index: number): string => ['#2563eb', '#d97706', '#059669', '#db2777', '#7c3aed', '#0891b2'][index % 6]!;
