// First: it loads @angular/compiler, which Angular's packages need before they load.
import { configureTestBed } from './support/angularTestBed';
import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import * as t from 'io-ts';
import { defineTool } from 'rx-anthropic';
import { createApprovalQueue, injectChatStore, provideAnthropic } from 'rx-anthropic/angular';
import { sseFrames } from './support/sseReply';

/** `createApprovalQueue()` with a chat store whose tool needs approval: the cards, Allow, Deny, Stop. */

const URL = 'https://proxy.test/api/v1/messages';
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

function setUp() {
  configureTestBed([
    provideHttpClient(),
    provideHttpClientTesting(),
    provideAnthropic({ baseURL: 'https://proxy.test/api', apiKey: null, maxRetries: 0, params: { model: 'claude-sonnet-4-6', max_tokens: 256 } }),
  ]);
  const sent: string[] = [];
  const sendEmail = defineTool({ name: 'send_email', description: 'Sends an email', input: t.type({ to: t.string }), needsApproval: true, run: ({ to }) => (sent.push(to), `Sent to ${to}`) });
  const approvals = createApprovalQueue();
  const chat = TestBed.runInInjectionContext(() => injectChatStore({ tools: [sendEmail], loop: { approve: approvals.approve, maxIterations: 3 } }));
  return { approvals, chat, sent, httpTesting: TestBed.inject(HttpTestingController) };
}

/** Asks, and answers with a turn that wants `send_email` for two addresses. */
async function askForTwoEmails({ chat, httpTesting }: ReturnType<typeof setUp>): Promise<void> {
  chat.send('Email Ada and Grace');
  // The tool loop's code loads at its first use (a chunk of its own in an app): a tick before its first request.
  await settle();
  const toolUses = [
    { type: 'tool_use', id: 'toolu_1', name: 'send_email', input: { to: 'ada@example.com' } },
    { type: 'tool_use', id: 'toolu_2', name: 'send_email', input: { to: 'grace@example.com' } },
  ] as const;
  httpTesting.expectOne(URL).flush(sseFrames({ content: toolUses, stop_reason: 'tool_use' }).join(''));
  await settle();
}

/** The tool results the next request sends. */
function toolResults(body: unknown): unknown {
  const messages = (JSON.parse(body as string) as { messages: { content: unknown }[] }).messages;
  return messages[messages.length - 1]?.content;
}

describe('createApprovalQueue', () => {
  it('shows a card per question while the loop waits, runs the allowed tool, and tells the model why the other was denied', async () => {
    const setup = setUp();
    const { approvals, sent, httpTesting } = setup;
    expect(approvals.pending()).toEqual([]);
    await askForTwoEmails(setup);
    expect(approvals.pending().map((request) => [request.name, request.input])).toEqual([
      ['send_email', { to: 'ada@example.com' }],
      ['send_email', { to: 'grace@example.com' }],
    ]);

    const [ada, grace] = approvals.pending();
    approvals.allow(ada!);
    expect(approvals.pending()).toEqual([grace]);
    approvals.deny(grace!, 'Not Grace today.');
    approvals.allow(grace!); // too late: the question was answered
    await settle();

    expect(approvals.pending()).toEqual([]);
    expect(sent).toEqual(['ada@example.com']);
    const next = httpTesting.expectOne(URL);
    expect(toolResults(next.request.body)).toEqual([
      expect.objectContaining({ type: 'tool_result', tool_use_id: 'toolu_1', content: 'Sent to ada@example.com' }),
      expect.objectContaining({ type: 'tool_result', tool_use_id: 'toolu_2', is_error: true, content: expect.stringContaining('Not Grace today.') }),
    ]);
    next.flush(sseFrames({ content: [{ type: 'text', text: 'Done.' }] }).join(''));
  });

  it('removes the cards when the loop is stopped, and a late click runs nothing', async () => {
    const setup = setUp();
    const { approvals, chat, sent, httpTesting } = setup;
    await askForTwoEmails(setup);
    const [ada] = approvals.pending();
    chat.stop();
    expect(approvals.pending()).toEqual([]);
    approvals.allow(ada!);
    await settle();
    expect(sent).toEqual([]);
    httpTesting.verify();
  });
});
