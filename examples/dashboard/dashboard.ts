/**
 * The live dashboard: N streams side by side, each with its time to first token and tokens per
 * second, and their combined totals. Runs in the page, through the proxy (`/api`), with a client
 * that has no credentials. Bundled by `build.ts`.
 *
 * The streams are one `streamAll()` (tagged events, all requests at once), shared so that every
 * view reads the same requests:
 * - the texts: `combineSnapshots()` of the per-key streams, at most one record per animation frame;
 * - the figures of each pane: `streamMetrics()` of its stream, rendered at most once a frame;
 * - the totals: `aggregateUsage()` of the tagged events, and the panes' figures added up;
 * - the charts, drawn by hand in SVG from the panes' figures in the same once-a-frame render:
 *   tokens/s over time per stream, and each stream's time to first token.
 */
import { animationFrameScheduler, auditTime, combineLatest, filter, map, merge, share, takeWhile, type Observable, type Subscription } from 'rxjs';
import {
  aggregateUsage,
  combineSnapshots,
  createClient,
  streamAll,
  streamMetrics,
  type Message,
  type MessageCreateParams,
  type RawMessageStreamEvent,
  type StreamMetrics,
  type UsageTotals,
} from 'rx-anthropic';
import { RateChart } from './rateChart';
import { seriesColor } from './svgElement';
import { renderTtftChart } from './ttftChart';

const PROMPTS = [
  'Write a haiku about rain on a tin roof.',
  'Explain backpressure to a five-year-old.',
  'Give three tips for naming functions.',
  'Describe the smell of a bakery at dawn.',
  'What is an Observable, in two sentences?',
  'Write a limerick about a lazy cat.',
];

/** How long after its first token a stream's tokens/s is drawn: before that it is mostly noise. */
const RATE_SETTLE_MS = 200;

/** Sonnet 4.5 list prices, dollars per million tokens. */
const PRICES = { input: 3, output: 15 };

const query = new URLSearchParams(location.search);
const count = Math.min(PROMPTS.length, Math.max(1, Number(query.get('n') ?? 3) || 3));
const model = query.get('model') ?? 'claude-sonnet-4-6';
const keys = Array.from({ length: count }, (_, index) => `stream-${index + 1}`);

// No credentials in the page: the proxy adds them. `/api/v1/messages` is the proxy's API-shaped route.
const client = createClient({ baseURL: new URL('/api', location.href).href, maxRetries: 0 });

const $ = <T extends Element>(selector: string, root: ParentNode = document): T => {
  const element = root.querySelector<T>(selector);
  if (!element) throw new Error(`The page has no ${selector}`);
  return element;
};

interface Pane {
  readonly prompt: HTMLInputElement;
  readonly status: HTMLElement;
  readonly text: HTMLElement;
  readonly figures: Record<'ttft' | 'tokensPerSecond' | 'outputTokens' | 'elapsed', HTMLElement>;
}

function createPane(key: string, index: number): Pane {
  const element = document.createElement('article');
  element.className = 'pane';
  element.dataset['pane'] = key;
  element.innerHTML = `
    <h2><span>${key}</span><span class="status" data-state="idle">idle</span></h2>
    <input class="prompt" />
    <div class="text" data-text></div>
    <dl>
      <dt>TTFT</dt><dt>tokens/s</dt><dt>output tokens</dt><dt>elapsed</dt>
      <dd data-figure="ttft">–</dd><dd data-figure="tokensPerSecond">–</dd><dd data-figure="outputTokens">–</dd><dd data-figure="elapsed">–</dd>
    </dl>`;
  $('[data-panes]').append(element);
  const prompt = $<HTMLInputElement>('.prompt', element);
  prompt.value = PROMPTS[index] ?? '';
  const figure = (name: string) => $<HTMLElement>(`[data-figure="${name}"]`, element);
  return {
    prompt,
    status: $('.status', element),
    text: $('[data-text]', element),
    figures: { ttft: figure('ttft'), tokensPerSecond: figure('tokensPerSecond'), outputTokens: figure('outputTokens'), elapsed: figure('elapsed') },
  };
}

const panes = new Map(keys.map((key, index) => [key, createPane(key, index)]));

const rateChart = new RateChart($<SVGSVGElement>('[data-chart="rate"]'), keys);
const ttftChart = $<SVGSVGElement>('[data-chart="ttft"]');
const clearTtftChart = () => renderTtftChart(ttftChart, keys.map((key) => ({ key, ttftMs: undefined })));
clearTtftChart();
for (const [index, key] of keys.entries()) {
  const entry = document.createElement('span');
  entry.style.setProperty('--color', seriesColor(index));
  entry.textContent = key;
  $('[data-legend]').append(entry);
}

/** Shows a number (kept raw in `data-value` for tests and tools) with its unit. */
function show(element: HTMLElement, value: number | undefined, format: (value: number) => string): void {
  element.dataset['value'] = value === undefined ? '' : String(value);
  element.textContent = value === undefined ? '–' : format(value);
}

const ms = (value: number) => `${Math.round(value)} ms`;
const rate = (value: number) => value.toFixed(1);
const integer = (value: number) => String(Math.round(value));

function setStatus(pane: Pane, state: 'idle' | 'streaming' | 'done' | 'stopped' | 'error', title?: string): void {
  pane.status.dataset['state'] = state;
  pane.status.textContent = state;
  pane.status.title = title ?? '';
}

function textOf(message: Message): string {
  let text = '';
  for (const block of message.content) if (block.type === 'text') text += block.text;
  return text;
}

/** Adds the panes' figures: tokens so far and one rate for all, from the first token anywhere to the latest update. */
function combine(figures: readonly StreamMetrics[]): { outputTokens: number; tokensPerSecond: number; ttftMs: number | undefined; done: number } {
  const outputTokens = figures.reduce((sum, m) => sum + m.outputTokens, 0);
  const ttfts = figures.map((m) => m.ttftMs).filter((value): value is number => value !== undefined);
  const ttftMs = ttfts.length > 0 ? Math.min(...ttfts) : undefined;
  const generating = ttftMs === undefined ? 0 : Math.max(...figures.map((m) => m.elapsedMs)) - ttftMs;
  return { outputTokens, tokensPerSecond: generating > 0 ? (outputTokens * 1000) / generating : 0, ttftMs, done: figures.filter((m) => m.done).length };
}

/** The whole run as one Observable: subscribing starts every request, unsubscribing aborts them. */
function dashboard(requests: ReadonlyMap<string, MessageCreateParams>): Observable<unknown> {
  const tagged$ = streamAll(client, requests).pipe(share());
  // One request is one message here: its stream ends at its message_stop, not when the last of
  // all the streams ends, so that each pane's figures stop (and say done) on time.
  const streamOf = (key: string): Observable<RawMessageStreamEvent> =>
    tagged$.pipe(
      filter((tagged) => tagged.key === key),
      map((tagged) => tagged.event),
      takeWhile((event) => event.type !== 'message_stop', true),
    );
  const streams = Object.fromEntries(keys.map((key) => [key, streamOf(key)]));

  const texts$ = combineSnapshots(streams, { throttle: animationFrameScheduler }).pipe(
    map((record) => {
      for (const [key, message] of Object.entries(record)) {
        const pane = panes.get(key);
        if (pane && message) pane.text.textContent = textOf(message);
      }
    }),
  );

  const metrics$ = keys.map((key) => streams[key]!.pipe(streamMetrics()));
  const figures$ = combineLatest(metrics$).pipe(
    auditTime(0, animationFrameScheduler),
    map((figures) => {
      figures.forEach((m, index) => {
        // A rate over the first few milliseconds after the first token says nothing (a few tokens
        // over almost no time): each line starts once its stream has generated for a while.
        if (m.ttftMs !== undefined && m.elapsedMs - m.ttftMs >= RATE_SETTLE_MS) rateChart.add(keys[index]!, m.elapsedMs, m.tokensPerSecond);
        const pane = panes.get(keys[index]!)!;
        show(pane.figures.ttft, m.ttftMs, ms);
        show(pane.figures.tokensPerSecond, m.tokensPerSecond, rate);
        show(pane.figures.outputTokens, m.outputTokens, integer);
        show(pane.figures.elapsed, m.elapsedMs, ms);
        if (m.done) setStatus(pane, 'done');
      });
      rateChart.render();
      renderTtftChart(ttftChart, figures.map((m, index) => ({ key: keys[index]!, ttftMs: m.ttftMs })));
      const total = combine(figures);
      show($('[data-total="done"]'), total.done, (done) => `${done} / ${keys.length}`);
      show($('[data-total="outputTokens"]'), total.outputTokens, integer);
      show($('[data-total="tokensPerSecond"]'), total.tokensPerSecond, rate);
      show($('[data-total="ttft"]'), total.ttftMs, ms);
    }),
  );

  const usage$ = tagged$.pipe(
    aggregateUsage({ prices: PRICES }),
    auditTime(0, animationFrameScheduler),
    map((usage: UsageTotals) => {
      show($('[data-total="inputTokens"]'), usage.inputTokens + usage.cacheCreationInputTokens + usage.cacheReadInputTokens, integer);
      show($('[data-total="cost"]'), usage.cost, (cost) => `$${cost.toFixed(5)}`);
    }),
  );

  return merge(texts$, figures$, usage$);
}

let run: Subscription | undefined;

function start(): void {
  run?.unsubscribe();
  const requests = new Map<string, MessageCreateParams>();
  for (const [key, pane] of panes) {
    requests.set(key, { model, max_tokens: 512, messages: [{ role: 'user', content: pane.prompt.value }] });
    pane.text.textContent = '';
    setStatus(pane, 'streaming');
    for (const element of Object.values(pane.figures)) show(element, undefined, String);
  }
  rateChart.reset();
  clearTtftChart();
  document.body.dataset['run'] = 'running';
  run = dashboard(requests).subscribe({
    error: (error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      for (const pane of panes.values()) if (pane.status.dataset['state'] === 'streaming') setStatus(pane, 'error', message);
      document.body.dataset['run'] = 'error';
    },
    complete: () => (document.body.dataset['run'] = 'complete'),
  });
}

function stop(): void {
  run?.unsubscribe();
  run = undefined;
  for (const pane of panes.values()) if (pane.status.dataset['state'] === 'streaming') setStatus(pane, 'stopped');
  document.body.dataset['run'] = 'stopped';
}

$('[data-action="start"]').addEventListener('click', start);
$('[data-action="stop"]').addEventListener('click', stop);
if (query.get('autostart') !== null) start();
