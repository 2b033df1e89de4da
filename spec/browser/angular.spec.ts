import { statSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { createClient } from 'rx-anthropic';
import { createMockServer, textReply, type MockServer, type RecordedRequest } from 'rx-anthropic/testing';
import type { ProxyServer } from 'rx-anthropic/proxy';
import { createExampleServer } from '../../examples/proxy/server';
import { ensureAngularApp } from '../../examples/angular/build';
import { describeInBrowser, launchChromium, screenshotPath } from './support/chromium';

/**
 * The Angular example, built with `ng build`, served by the proxy example with the mock server
 * upstream, driven in headless Chromium: type, watch the text stream in, press stop, and check
 * that the proxy's upstream request was aborted.
 */

const SLOW = 'Streams flow like rivers, one small chunk after another, until someone presses stop. '.repeat(20);
const QUICK = 'Done quickly.';

describeInBrowser('Angular example in Chromium', () => {
  let mock: MockServer;
  let proxy: ProxyServer;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    // Builds the app when it is missing or stale (`npm run build:examples` does the same ahead).
    const app = ensureAngularApp();
    mock = await createMockServer([
      textReply(SLOW, { chunkSize: 3, chunkDelayMs: 40 }),
      textReply(SLOW, { chunkSize: 3, chunkDelayMs: 40 }),
      textReply(QUICK, { chunkSize: 4, chunkDelayMs: 10 }),
      textReply(QUICK, { chunkSize: 4, chunkDelayMs: 10 }),
    ]);
    proxy = await createExampleServer({ client: createClient({ apiKey: 'server-side-key', baseURL: mock.baseURL, maxRetries: 0 }), staticDirs: { '/': app } });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1100, height: 640 } });
    page.on('pageerror', (error) => console.error('page error:', error));
    await page.goto(`${proxy.url}/`);
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    await proxy?.close();
    await mock?.close();
  });

  const pane = (name: 'async' | 'signals') => page.locator(`[data-pane="${name}"]`);
  const stopButton = (name: 'async' | 'signals') => pane(name).locator('[data-action="stop"]');

  /**
   * Sends a prompt in a pane, waits for text to stream in, presses stop; answers the recorded
   * upstream request. Stop is enabled only while the reply streams: checked before, during, after.
   */
  async function sendThenStop(name: 'async' | 'signals', prompt: string, index: number): Promise<{ request: RecordedRequest; shown: string }> {
    expect(await stopButton(name).isDisabled()).toBe(true);
    await pane(name).locator('input[name="prompt"]').fill(prompt);
    await pane(name).locator('[data-action="send"]').click();
    await page.waitForFunction((selector) => (document.querySelector(selector)?.textContent ?? '').length >= 30, `[data-pane="${name}"] [data-reply]`);
    expect(await stopButton(name).isEnabled()).toBe(true);
    await stopButton(name).click();
    await page.waitForFunction((selector) => document.querySelector(selector)?.textContent === 'stopped', `[data-pane="${name}"] [data-status]`);
    expect(await stopButton(name).isDisabled()).toBe(true);
    const request = await mock.waitForRequest(index);
    await request.closed;
    const shown = (await pane(name).locator('[data-reply]').textContent()) ?? '';
    return { request, shown };
  }

  it('streams into the async-pipe pane; stop aborts the upstream request', async () => {
    const { request, shown } = await sendThenStop('async', 'Tell me about rivers', 0);
    expect(request.body).toMatchObject({ messages: [{ role: 'user', content: 'Tell me about rivers' }], stream: true });
    expect(request.headers['x-api-key']).toBe('server-side-key');
    expect(request.abortedByClient).toBe(true);
    expect(SLOW.startsWith(shown)).toBe(true);
    expect(shown.length).toBeLessThan(SLOW.length);
    // Nothing arrives after the stop.
    await page.waitForTimeout(300);
    expect(await pane('async').locator('[data-reply]').textContent()).toBe(shown);
  });

  it('streams into the signals pane; stop unsubscribes and aborts the upstream request', async () => {
    const { request, shown } = await sendThenStop('signals', 'Explain backpressure', 1);
    expect(request.body).toMatchObject({ messages: [{ role: 'user', content: 'Explain backpressure' }] });
    expect(request.abortedByClient).toBe(true);
    expect(SLOW.startsWith(shown) && shown.length > 0 && shown.length < SLOW.length).toBe(true);
  });

  /** Sends a prompt in a pane, waits for the reply to finish, and checks that Stop is disabled again. */
  async function sendUntilDone(name: 'async' | 'signals', prompt: string, index: number): Promise<void> {
    await pane(name).locator('input[name="prompt"]').fill(prompt);
    await pane(name).locator('[data-action="send"]').click();
    await page.waitForFunction((selector) => document.querySelector(selector)?.textContent === 'done', `[data-pane="${name}"] [data-status]`);
    expect(await pane(name).locator('[data-reply]').textContent()).toBe(QUICK);
    expect(await stopButton(name).isDisabled()).toBe(true);
    const request = await mock.waitForRequest(index);
    await request.closed;
    expect(request.completed).toBe(true);
  }

  it('finishes a reply in the async-pipe pane; stop is disabled once it is done', async () => {
    await sendUntilDone('async', 'Be quick', 2);
  });

  it('finishes a reply, updates the totals read through toSignal, and saves a screenshot', async () => {
    await sendUntilDone('signals', 'Be quick too', 3);
    expect(await page.locator('[data-totals]').textContent()).toMatch(/^2, with [1-9]\d* output tokens$/);

    const file = screenshotPath('angular');
    await page.screenshot({ path: file, fullPage: true });
    expect(statSync(file).size).toBeGreaterThan(1000);
  });
});
