import { statSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { createClient, type MessageCreateParams } from 'rx-anthropic';
import { createMockServer, textReply, type MockServer, type RecordedRequest } from 'rx-anthropic/testing';
import type { ProxyServer } from 'rx-anthropic/proxy';
import { createExampleServer } from '../../examples/proxy/server';
import { ensureAngularApp } from '../../examples/angular/build';
import { describeInBrowser, launchChromium, screenshotPath } from './support/chromium';

/**
 * The Angular example, built with `ng build` on `rx-anthropic/angular`, served by the proxy example
 * with the mock server upstream, driven in headless Chromium: type, watch the text stream in through
 * HttpClient, press Stop, and check that the proxy's upstream request was aborted; in the chat pane,
 * two prompts in one conversation.
 */

const SLOW = 'Streams flow like rivers, one small chunk after another, until someone presses stop. '.repeat(20);
const QUICK = 'Done quickly.';
const FIRST_ANSWER = 'A stream is a sequence of values over time: you subscribe, and they arrive one after another. '.repeat(2).trim();

type PaneName = 'async' | 'signals' | 'chat';

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
      textReply(FIRST_ANSWER, { chunkSize: 3, chunkDelayMs: 25 }),
      textReply(SLOW, { chunkSize: 3, chunkDelayMs: 40 }),
    ]);
    proxy = await createExampleServer({ client: createClient({ apiKey: 'server-side-key', baseURL: mock.baseURL, maxRetries: 0 }), staticDirs: { '/': app } });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    page.on('pageerror', (error) => console.error('page error:', error));
    await page.goto(`${proxy.url}/`);
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    await proxy?.close();
    await mock?.close();
  });

  const pane = (name: PaneName) => page.locator(`[data-pane="${name}"]`);
  const stopButton = (name: PaneName) => pane(name).locator('[data-action="stop"]');
  const textLength = (selector: string) => page.evaluate((s) => (document.querySelector(s)?.textContent ?? '').length, selector);
  const waitForStatus = (name: PaneName, status: string) =>
    page.waitForFunction(([selector, expected]) => document.querySelector(selector!)?.textContent === expected, [`[data-pane="${name}"] [data-status]`, status]);
  const waitForLength = (selector: string, length: number) => page.waitForFunction(([s, n]) => (document.querySelector(s as string)?.textContent ?? '').length >= (n as number), [selector, length]);

  /** Sends a prompt in a pane. */
  async function send(name: PaneName, prompt: string): Promise<void> {
    await pane(name).locator('input[name="prompt"]').fill(prompt);
    await pane(name).locator('[data-action="send"]').click();
  }

  /** Waits until the text at `selector` has grown twice while the pane still streams: the reply arrives in pieces. */
  async function watchItStream(name: PaneName, selector: string): Promise<number[]> {
    await waitForLength(selector, 10);
    const first = await textLength(selector);
    await waitForLength(selector, first + 15);
    const second = await textLength(selector);
    expect(await pane(name).locator('[data-status]').textContent()).toBe('streaming');
    return [first, second];
  }

  /**
   * Sends a prompt in a single-reply pane, waits for text to stream in, presses stop; answers the
   * recorded upstream request. Stop is enabled only while the reply streams: checked before, during, after.
   */
  async function sendThenStop(name: 'async' | 'signals', prompt: string, index: number): Promise<{ request: RecordedRequest; shown: string }> {
    expect(await stopButton(name).isDisabled()).toBe(true);
    await send(name, prompt);
    await waitForLength(`[data-pane="${name}"] [data-reply]`, 30);
    expect(await stopButton(name).isEnabled()).toBe(true);
    await stopButton(name).click();
    await waitForStatus(name, 'stopped');
    expect(await stopButton(name).isDisabled()).toBe(true);
    const request = await mock.waitForRequest(index);
    await request.closed;
    const shown = (await pane(name).locator('[data-reply]').textContent()) ?? '';
    return { request, shown };
  }

  it('streams into the async-pipe pane; stop aborts the upstream request', async () => {
    const { request, shown } = await sendThenStop('async', 'Tell me about rivers', 0);
    expect(request.body).toMatchObject({ model: 'claude-sonnet-4-5', max_tokens: 1024, messages: [{ role: 'user', content: 'Tell me about rivers' }], stream: true });
    expect(request.headers['x-api-key']).toBe('server-side-key');
    expect(request.abortedByClient).toBe(true);
    expect(SLOW.startsWith(shown)).toBe(true);
    expect(shown.length).toBeLessThan(SLOW.length);
    // Nothing arrives after the stop.
    await page.waitForTimeout(300);
    expect(await pane('async').locator('[data-reply]').textContent()).toBe(shown);
  });

  it('streams into the signals pane; stop aborts the upstream request', async () => {
    const { request, shown } = await sendThenStop('signals', 'Explain backpressure', 1);
    expect(request.body).toMatchObject({ messages: [{ role: 'user', content: 'Explain backpressure' }] });
    expect(request.abortedByClient).toBe(true);
    expect(SLOW.startsWith(shown) && shown.length > 0 && shown.length < SLOW.length).toBe(true);
  });

  /** Sends a prompt in a single-reply pane, waits for the reply to finish, and checks that Stop is disabled again. */
  async function sendUntilDone(name: 'async' | 'signals', prompt: string, index: number): Promise<void> {
    await send(name, prompt);
    await waitForStatus(name, 'done');
    expect(await pane(name).locator('[data-reply]').textContent()).toBe(QUICK);
    expect(await stopButton(name).isDisabled()).toBe(true);
    expect(Number(await pane(name).locator('[data-output-tokens]').textContent())).toBeGreaterThan(0);
    const request = await mock.waitForRequest(index);
    await request.closed;
    expect(request.completed).toBe(true);
    // A new question starts a conversation of its own in these panes.
    expect((request.body as MessageCreateParams).messages).toEqual([{ role: 'user', content: prompt }]);
  }

  it('finishes a reply in the async-pipe pane; stop is disabled once it is done', async () => {
    await sendUntilDone('async', 'Be quick', 2);
  });

  it('finishes a reply in the signals pane', async () => {
    await sendUntilDone('signals', 'Be quick too', 3);
  });

  it('holds a conversation in the chat pane: two prompts stream, the second is stopped and its request aborted', async () => {
    const history = '[data-pane="chat"] [data-history]';
    const streaming = '[data-pane="chat"] [data-streaming] .text';
    const messages = () => page.locator(`${history} [data-message]`);

    await send('chat', 'What is a stream?');
    const [early, later] = await watchItStream('chat', streaming);
    expect(later).toBeGreaterThan(early!);
    await waitForStatus('chat', 'done');
    expect(await messages().count()).toBe(2);
    expect(await messages().nth(1).locator('.text').textContent()).toBe(FIRST_ANSWER);
    const first = await mock.waitForRequest(4);
    await first.closed;
    expect(first.completed).toBe(true);
    expect((first.body as MessageCreateParams).messages).toEqual([{ role: 'user', content: 'What is a stream?' }]);

    await send('chat', 'And what is backpressure?');
    await watchItStream('chat', streaming);
    await page.screenshot({ path: screenshotPath('angular-chat-streaming'), fullPage: true });
    expect(await stopButton('chat').isEnabled()).toBe(true);
    await stopButton('chat').click();
    await waitForStatus('chat', 'stopped');

    const second = await mock.waitForRequest(5);
    await second.closed;
    expect(second.abortedByClient).toBe(true);
    // The second request carried the conversation so far.
    expect((second.body as MessageCreateParams).messages).toEqual([
      { role: 'user', content: 'What is a stream?' },
      { role: 'assistant', content: [{ type: 'text', text: FIRST_ANSWER }] },
      { role: 'user', content: 'And what is backpressure?' },
    ]);
    // The stopped reply's text stays in the history, and nothing arrives after the stop.
    expect(await messages().count()).toBe(4);
    const stopped = (await messages().nth(3).locator('.text').textContent()) ?? '';
    expect(stopped.length).toBeGreaterThan(0);
    expect(SLOW.startsWith(stopped) && stopped.length < SLOW.length).toBe(true);
    await page.waitForTimeout(300);
    expect(await messages().nth(3).locator('.text').textContent()).toBe(stopped);
    expect(await pane('chat').locator('[data-action="retry"]').isEnabled()).toBe(true);
    expect(Number(await pane('chat').locator('[data-output-tokens]').textContent())).toBeGreaterThan(0);

    const file = screenshotPath('angular');
    await page.screenshot({ path: file, fullPage: true });
    expect(statSync(file).size).toBeGreaterThan(1000);
  });
});
