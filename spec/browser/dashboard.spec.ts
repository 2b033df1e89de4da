import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { createClient, type MessageCreateParams } from 'rx-anthropic';
import { createMockServer, textReply, type MockServer, type RecordedRequest } from 'rx-anthropic/testing';
import { buildDashboard } from '../../examples/dashboard/build';
import type { ProxyServer } from 'rx-anthropic/proxy';
import { createExampleServer } from '../../examples/proxy/server';
import { describeInBrowser, launchChromium, screenshotPath } from './support/chromium';

/**
 * The dashboard example, bundled with esbuild, served by the proxy example with the mock server
 * upstream, in headless Chromium: three concurrent streams, each pane's figures, the totals, and
 * the charts (tokens/s over time, time to first token) growing while the streams run.
 */

const STREAMS = 3;

/** The reply names its prompt, so each pane can be checked against its own request. */
const answerTo = (request: RecordedRequest): string => `Answer to "${String((request.body as MessageCreateParams).messages[0]?.content)}": ${'tokens stream in '.repeat(12)}`;

describeInBrowser('dashboard example in Chromium', () => {
  let mock: MockServer;
  let proxy: ProxyServer;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    const dashboard = await buildDashboard(resolve(__dirname, '../../examples/dashboard'));
    // The first run's streams go at three speeds; later ones are slow, to be stopped.
    mock = await createMockServer((request, index) =>
      textReply(answerTo(request), index < STREAMS ? { chunkSize: 6, chunkDelayMs: 20 + 12 * index } : { chunkSize: 2, chunkDelayMs: 50 }),
    );
    proxy = await createExampleServer({ client: createClient({ apiKey: 'server-side-key', baseURL: mock.baseURL, maxRetries: 0 }), authorize: 'anyone', staticDirs: { '/dashboard/': dashboard } });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1200, height: 720 } });
    page.on('pageerror', (error) => console.error('page error:', error));
    await page.goto(`${proxy.url}/dashboard/`);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await proxy?.close();
    await mock?.close();
  });

  const numberIn = async (selector: string): Promise<number> => {
    const value = await page.locator(selector).getAttribute('data-value');
    expect(value).toMatch(/^\d+(\.\d+)?(e[-+]?\d+)?$/);
    return Number(value);
  };

  /** The points of each line of the tokens/s chart, by stream. */
  const chartPoints = (): Promise<Record<string, number>> =>
    page.evaluate(() => Object.fromEntries([...document.querySelectorAll('[data-chart="rate"] [data-series]')].map((line) => [line.getAttribute('data-series'), Number(line.getAttribute('data-points'))])));
  const totalPoints = async (): Promise<number> => Object.values(await chartPoints()).reduce((sum, points) => sum + points, 0);

  it('runs every stream to the end with live figures, totals and charts, and saves a screenshot', async () => {
    expect(await chartPoints()).toEqual({ 'stream-1': 0, 'stream-2': 0, 'stream-3': 0 });
    await page.locator('[data-action="start"]').click();
    // The chart grows while the streams run: more points a little later, the run still going.
    await page.waitForFunction(() => Number(document.querySelector('[data-chart="rate"] [data-series]')?.getAttribute('data-points')) >= 2);
    const early = await totalPoints();
    await page.waitForFunction((before) => {
      const points = [...document.querySelectorAll('[data-chart="rate"] [data-series]')].reduce((sum, line) => sum + Number(line.getAttribute('data-points')), 0);
      return points >= before + 5;
    }, early);
    expect(await page.evaluate(() => document.body.dataset['run'])).toBe('running');
    await page.waitForFunction(() => document.body.dataset['run'] === 'complete', undefined, { timeout: 15_000 });
    // The figures render on the animation frame after the last event.
    await page.waitForFunction((count) => document.querySelector('[data-total="done"]')?.textContent === `${count} / ${count}`, STREAMS);

    const panes = page.locator('[data-pane]');
    expect(await panes.count()).toBe(STREAMS);
    let outputTokens = 0;
    for (let index = 0; index < STREAMS; index += 1) {
      const pane = `[data-pane="stream-${index + 1}"]`;
      expect(await page.locator(`${pane} .status`).textContent()).toBe('done');
      const prompt = await page.locator(`${pane} .prompt`).inputValue();
      const text = (await page.locator(`${pane} [data-text]`).textContent()) ?? '';
      expect(text).toBe(`Answer to "${prompt}": ${'tokens stream in '.repeat(12)}`);
      expect(await numberIn(`${pane} [data-figure="ttft"]`)).toBeGreaterThan(0);
      expect(await numberIn(`${pane} [data-figure="tokensPerSecond"]`)).toBeGreaterThan(0);
      expect(await numberIn(`${pane} [data-figure="elapsed"]`)).toBeGreaterThan(0);
      outputTokens += await numberIn(`${pane} [data-figure="outputTokens"]`);
      expect(await page.locator(`${pane} [data-figure="ttft"]`).textContent()).toMatch(/^\d+ ms$/);
    }

    expect(await numberIn('[data-total="outputTokens"]')).toBe(outputTokens);
    expect(outputTokens).toBeGreaterThan(0);
    expect(await numberIn('[data-total="tokensPerSecond"]')).toBeGreaterThan(0);
    expect(await numberIn('[data-total="ttft"]')).toBeGreaterThan(0);
    expect(await numberIn('[data-total="inputTokens"]')).toBeGreaterThan(0);
    expect(await numberIn('[data-total="cost"]')).toBeGreaterThan(0);

    // Every line has points, and the chart stops when the streams stop.
    const finished = await chartPoints();
    expect(Object.values(finished).every((points) => points >= 2)).toBe(true);
    await page.waitForTimeout(400);
    expect(await chartPoints()).toEqual(finished);
    // Each stream's time to first token is a bar as long as its figure says.
    for (let index = 0; index < STREAMS; index += 1) {
      const key = `stream-${index + 1}`;
      const bar = Number(await page.locator(`[data-chart="ttft"] [data-ttft="${key}"]`).getAttribute('data-value'));
      expect(bar).toBe(await numberIn(`[data-pane="${key}"] [data-figure="ttft"]`));
      expect(Number(await page.locator(`[data-chart="ttft"] [data-ttft="${key}"]`).getAttribute('width'))).toBeGreaterThan(0);
    }

    const requests = await Promise.all(Array.from({ length: STREAMS }, (_, index) => mock.waitForRequest(index)));
    await Promise.all(requests.map((request) => request.closed));
    expect(requests.map((request) => request.completed)).toEqual(Array(STREAMS).fill(true));
    expect(requests.every((request) => request.path === '/v1/messages' && request.headers['x-api-key'] === 'server-side-key')).toBe(true);

    const file = screenshotPath('dashboard');
    await page.screenshot({ path: file, fullPage: true });
    expect(statSync(file).size).toBeGreaterThan(1000);
  });

  it('Stop all aborts every upstream request', async () => {
    await page.locator('[data-action="start"]').click();
    await page.waitForFunction(() => [...document.querySelectorAll('[data-text]')].every((element) => (element.textContent ?? '').length > 10));
    await page.locator('[data-action="stop"]').click();
    const requests = await Promise.all(Array.from({ length: STREAMS }, (_, index) => mock.waitForRequest(STREAMS + index)));
    await Promise.all(requests.map((request) => request.closed));
    expect(requests.map((request) => request.abortedByClient)).toEqual(Array(STREAMS).fill(true));
    expect(await page.locator('.status').allTextContents()).toEqual(Array(STREAMS).fill('stopped'));
    // The chart stops with the streams.
    const stopped = await chartPoints();
    expect(Object.values(stopped).some((points) => points > 0)).toBe(true);
    await page.waitForTimeout(400);
    expect(await chartPoints()).toEqual(stopped);
  });
});
