import { statSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { createClient, type MessageCreateParams } from 'rx-anthropic';
import { createMockServer, textReply, type MockServer, type MockTurn, type RecordedRequest } from 'rx-anthropic/testing';
import type { ProxyServer } from 'rx-anthropic/proxy';
import { createExampleServer } from '../../examples/proxy/server';
import { ensureAngularApp } from '../../examples/angular/build';
import { angularExampleScript, EMAIL_INPUT, EMAIL_PREAMBLE, RECIPE, SEND_EMAIL } from '../../examples/angular/scriptedTurns';
import { describeInBrowser, launchChromium, screenshotPath } from './support/chromium';

/**
 * The Angular example, built (and its page prerendered) with `ng build` on `rx-anthropic/angular`, served by the proxy example
 * with the mock server upstream, driven in headless Chromium: type, watch the text stream in through
 * HttpClient, press Stop, and check that the proxy's upstream request was aborted; in the chat pane,
 * two prompts in one conversation; in the approval pane, a tool that waits for Allow / Deny (and
 * Stop while it waits); in the recipe pane, a card that fills in from a structured output's partial
 * objects. The mock server plays the example's own script (`examples/angular/scriptedTurns.ts`).
 */

const SLOW = 'Streams flow like rivers, one small chunk after another, until someone presses stop. '.repeat(20);
const QUICK = 'Done quickly.';
const FIRST_ANSWER = 'A stream is a sequence of values over time: you subscribe, and they arrive one after another. '.repeat(2).trim();

type PaneName = 'async' | 'signals' | 'chat' | 'approval' | 'recipe';

describeInBrowser('Angular example in Chromium', () => {
  let mock: MockServer;
  let proxy: ProxyServer;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    // Builds the app when it is missing or stale (`npm run build:examples` does the same ahead).
    const app = ensureAngularApp();
    // The chat panes' replies in order; the approval and recipe panes' turns come from the example's script.
    const chatTurns: MockTurn[] = [
      textReply(SLOW, { chunkSize: 3, chunkDelayMs: 40 }),
      textReply(SLOW, { chunkSize: 3, chunkDelayMs: 40 }),
      textReply(QUICK, { chunkSize: 4, chunkDelayMs: 10 }),
      textReply(QUICK, { chunkSize: 4, chunkDelayMs: 10 }),
      textReply(FIRST_ANSWER, { chunkSize: 3, chunkDelayMs: 25 }),
      textReply(SLOW, { chunkSize: 3, chunkDelayMs: 40 }),
    ];
    mock = await createMockServer(
      angularExampleScript((request) => {
        const turn = chatTurns.shift();
        if (turn === undefined) throw new Error(`The spec scripted no reply for request ${request.index} of a chat pane.`);
        return turn;
      }),
    );
    proxy = await createExampleServer({ client: createClient({ apiKey: 'server-side-key', baseURL: mock.baseURL, maxRetries: 0 }), authorize: 'anyone', staticDirs: { '/': app } });
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

  it('serves the page ng build prerendered, every pane idle, and sends nothing before a prompt', async () => {
    const served = await (await fetch(`${proxy.url}/`)).text();
    // Prerendered on the server side of the build, where the client sent nothing: no reply, no transferred response.
    expect(served).toContain('ng-server-context="ssg"');
    for (const name of ['async', 'signals', 'chat', 'approval', 'recipe']) expect(served).toMatch(new RegExp(`data-pane="${name}".*?data-status>idle<`, 's'));
    expect(served).not.toContain('rx-anthropic:');
    // The browser took that page over; a page view alone sends nothing.
    await waitForStatus('async', 'idle');
    expect(mock.requests).toHaveLength(0);
  });

  it('streams into the async-pipe pane; stop aborts the upstream request', async () => {
    const { request, shown } = await sendThenStop('async', 'Tell me about rivers', 0);
    expect(request.body).toMatchObject({ model: 'claude-sonnet-4-6', max_tokens: 1024, messages: [{ role: 'user', content: 'Tell me about rivers' }], stream: true });
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

  /** The last message of a recorded request. */
  const lastMessage = (request: RecordedRequest) => (request.body as MessageCreateParams).messages.at(-1);

  /**
   * Sends the approval pane's prompt and waits for its Allow / Deny card; checks that the card shows
   * the tool and its input while the loop waits, and answers the request that asked for the tool.
   */
  async function askForTheTool(): Promise<{ toolTurn: RecordedRequest; toolUseId: string }> {
    const first = mock.requests.length;
    await send('approval', 'Email Ada that the demo is ready');
    const card = pane('approval').locator('[data-approval]');
    await card.waitFor();
    expect(await card.count()).toBe(1);
    expect(await card.locator('[data-tool-name]').textContent()).toBe(SEND_EMAIL);
    expect(JSON.parse((await card.locator('[data-tool-input]').textContent()) ?? '')).toEqual(EMAIL_INPUT);
    expect(await pane('approval').locator('[data-status]').textContent()).toBe('streaming');
    expect(await pane('approval').locator('[data-waiting]').count()).toBe(1);

    const toolTurn = await mock.waitForRequest(first);
    await toolTurn.closed;
    expect(toolTurn.completed).toBe(true);
    expect((toolTurn.body as MessageCreateParams).tools).toEqual([expect.objectContaining({ name: SEND_EMAIL })]);
    expect(lastMessage(toolTurn)).toEqual({ role: 'user', content: 'Email Ada that the demo is ready' });
    // The loop waits for the click: nothing else is sent while the card shows.
    await page.waitForTimeout(300);
    expect(mock.requests.length).toBe(first + 1);
    const toolUseId = (await card.getAttribute('data-tool-use-id')) ?? '';
    expect(toolUseId).toMatch(/^toolu_/);
    return { toolTurn, toolUseId };
  }

  const outboxCount = async () => Number(await pane('approval').locator('[data-outbox-count]').textContent());
  const approvalMessages = () => pane('approval').locator('[data-history] [data-message]');

  it('shows an Allow / Deny card while a tool waits; Allow runs the tool and the next request carries its result', async () => {
    expect(await outboxCount()).toBe(0);
    const { toolTurn, toolUseId } = await askForTheTool();
    expect(await outboxCount()).toBe(0);
    await page.screenshot({ path: screenshotPath('angular-approval-card'), fullPage: true });

    await pane('approval').locator('[data-action="allow"]').click();
    await waitForStatus('approval', 'done');
    expect(await pane('approval').locator('[data-approval]').count()).toBe(0);
    expect(await pane('approval').locator('[data-waiting]').count()).toBe(0);
    expect(await outboxCount()).toBe(1);
    expect(await pane('approval').locator('[data-sent]').textContent()).toBe(`${EMAIL_INPUT.to} · ${EMAIL_INPUT.subject}`);

    const next = await mock.waitForRequest(toolTurn.index + 1);
    await next.closed;
    const result = `Sent to ${EMAIL_INPUT.to}: "${EMAIL_INPUT.subject}"`;
    // A result that is not an error goes without `is_error`, as the official runners send it.
    expect(lastMessage(next)).toEqual({ role: 'user', content: [{ type: 'tool_result', tool_use_id: toolUseId, content: result }] });
    expect(mock.requests.length).toBe(toolTurn.index + 2);
    expect(await approvalMessages().last().locator('.text').textContent()).toBe(`Done. The tool answered: ${result}`);
  });

  it('Deny: the tool never runs, and the next request carries the reason as an is_error result', async () => {
    const { toolTurn, toolUseId } = await askForTheTool();
    await pane('approval').locator('[data-action="deny"]').click();
    await waitForStatus('approval', 'done');
    expect(await pane('approval').locator('[data-approval]').count()).toBe(0);
    // Still the one email that was allowed before.
    expect(await outboxCount()).toBe(1);

    const next = await mock.waitForRequest(toolTurn.index + 1);
    await next.closed;
    const denial = `Error: Tool '${SEND_EMAIL}' was not approved: The user clicked Deny.`;
    expect(lastMessage(next)).toEqual({ role: 'user', content: [{ type: 'tool_result', tool_use_id: toolUseId, content: denial, is_error: true }] });
    expect(mock.requests.length).toBe(toolTurn.index + 2);
    expect(await approvalMessages().last().locator('.text').textContent()).toBe(`I did not send the email. The tool answered: ${denial}`);
    // The conversation shows the denied result as an error, and the allowed one before it as none.
    expect(await approvalMessages().locator('.block', { hasText: /^tool_result · error$/ }).count()).toBe(1);
    expect(await approvalMessages().locator('.block', { hasText: /^tool_result$/ }).count()).toBe(1);
  });

  it('Stop while the card shows: the card goes, the tool never runs, nothing more is sent', async () => {
    const { toolTurn } = await askForTheTool();
    await stopButton('approval').click();
    await waitForStatus('approval', 'stopped');
    expect(await pane('approval').locator('[data-approval]').count()).toBe(0);
    expect(await pane('approval').locator('[data-waiting]').count()).toBe(0);
    await page.waitForTimeout(300);
    expect(mock.requests.length).toBe(toolTurn.index + 1);
    expect(await outboxCount()).toBe(1);
    // The unanswered tool use left the conversation: the turn keeps its words only.
    const last = approvalMessages().last();
    expect(await last.getAttribute('data-role')).toBe('assistant');
    expect(await last.locator('.text').textContent()).toBe(EMAIL_PREAMBLE);
    expect(await last.locator('.block').count()).toBe(0);
  });

  /** What the recipe card shows now. */
  const readCard = () =>
    page.evaluate(() => {
      const card = document.querySelector('[data-pane="recipe"]')!;
      const field = (name: string) => card.querySelector(`[data-field="${name}"]`)!;
      const shown = (name: string) => (field(name).classList.contains('pending') ? undefined : field(name).textContent);
      const items = (name: string) => Array.from(field(name).querySelectorAll('li:not(.pending)'), (item) => item.textContent ?? '');
      const number = (name: string) => (field(name).textContent === '…' ? undefined : Number(field(name).textContent));
      return {
        status: card.querySelector('[data-status]')?.textContent,
        recipe: { title: shown('title'), servings: number('servings'), minutes: number('minutes'), ingredients: items('ingredients'), steps: items('steps') },
      };
    });

  it('fills in a recipe card from partial objects while the structured answer streams', async () => {
    const index = mock.requests.length;
    await send('recipe', 'Lemon risotto');

    // The title is on the card while the answer still streams, long before the steps have begun.
    await page.waitForFunction(() => !document.querySelector('[data-pane="recipe"] [data-field="title"]')?.classList.contains('pending'));
    const early = await readCard();
    expect(early.status).toBe('streaming');
    expect(early.recipe.title).toBeTruthy();
    expect(RECIPE.title.startsWith(early.recipe.title!)).toBe(true);
    expect(early.recipe.steps).toEqual([]);

    // Midway: some ingredients are listed (the last one perhaps still growing), no step yet.
    await page.waitForFunction(() => document.querySelectorAll('[data-pane="recipe"] [data-field="ingredients"] li:not(.pending)').length >= 3);
    const midway = await readCard();
    await page.screenshot({ path: screenshotPath('angular-recipe-streaming'), fullPage: true });
    expect(midway.status).toBe('streaming');
    expect(midway.recipe).toMatchObject({ title: RECIPE.title, servings: RECIPE.servings, minutes: RECIPE.minutes, steps: [] });
    const listed = midway.recipe.ingredients;
    expect(listed.slice(0, -1)).toEqual(RECIPE.ingredients.slice(0, listed.length - 1));
    expect(RECIPE.ingredients[listed.length - 1]!.startsWith(listed.at(-1)!)).toBe(true);

    await waitForStatus('recipe', 'done');
    const final = await readCard();
    expect(final.recipe).toEqual(RECIPE);
    expect(Number(await pane('recipe').locator('[data-updates]').textContent())).toBeGreaterThan(20);

    const request = await mock.waitForRequest(index);
    await request.closed;
    expect(request.completed).toBe(true);
    expect(request.body).toMatchObject({
      stream: true,
      output_config: {
        format: {
          type: 'json_schema',
          schema: { type: 'object', additionalProperties: false, required: ['title', 'servings', 'minutes', 'ingredients', 'steps'] },
        },
      },
    });

    const file = screenshotPath('angular-tools');
    await page.screenshot({ path: file, fullPage: true });
    expect(statSync(file).size).toBeGreaterThan(1000);
  });
});
