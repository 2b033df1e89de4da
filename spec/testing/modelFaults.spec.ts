import { byModel } from '../../lib/testing/byModel';
import { createMockServer } from '../../lib/testing/createMockServer';
import { errorReply } from '../../lib/testing/errorReply';
import { refusalReply } from '../../lib/testing/refusalReply';
import { textReply } from '../../lib/testing/textReply';
import type { MockServer } from '../../lib/testing/types';
import { params, parseFrames, post, rawPost, streamParams, within } from './mockServerHelpers';

let server: MockServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('refusalReply', () => {
  it('streams the partial text, then stop_reason refusal with its stop_details on the message_delta (null on message_start)', async () => {
    server = await createMockServer([refusalReply('I can', { category: 'cyber', creditToken: 'tok_1', hasPrefillClaim: true, chunkSize: 2 })]);
    const frames = parseFrames(await (await post(server, streamParams)).text());
    expect(frames.map((frame) => frame.event)).toEqual([
      'message_start',
      'content_block_start',
      'ping',
      'content_block_delta',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    expect(frames[0]?.data).toMatchObject({ message: { stop_reason: null, stop_details: null } });
    expect(frames[7]?.data).toMatchObject({
      delta: {
        stop_reason: 'refusal',
        stop_details: { type: 'refusal', category: 'cyber', explanation: null, fallback_credit_token: 'tok_1', fallback_has_prefill_claim: true },
      },
    });
  });

  it('answers a request that does not stream with the refused Message, and with no block for an empty text', async () => {
    server = await createMockServer([refusalReply('')]);
    const message = (await (await post(server, params)).json()) as Record<string, unknown>;
    expect(message).toMatchObject({ content: [], stop_reason: 'refusal', stop_details: { type: 'refusal', category: null, fallback_credit_token: null } });
  });

  it('leaves the message_delta of other replies as it was (no stop_details key)', async () => {
    server = await createMockServer([textReply('Hi')]);
    const frames = parseFrames(await (await post(server, streamParams)).text());
    const delta = frames.find((frame) => frame.event === 'message_delta')?.data;
    expect(delta?.['delta']).toEqual({ stop_reason: 'end_turn', stop_sequence: null });
    expect(frames[0]?.data['message']).not.toHaveProperty('stop_details');
  });
});

describe('byModel', () => {
  it('answers each request by its model: one turn for every request, or a list played in order', async () => {
    server = await createMockServer(
      byModel({
        'claude-sonnet-4-6': errorReply(529),
        'claude-opus-4-5': [textReply('first'), textReply('second')],
      }),
    );
    const ask = async (model: string) => post(server as MockServer, { ...params, model });
    expect((await ask('claude-sonnet-4-6')).status).toBe(529);
    expect((await ask('claude-sonnet-4-6')).status).toBe(529);
    expect(((await (await ask('claude-opus-4-5')).json()) as { content: unknown }).content).toEqual([{ type: 'text', text: 'first' }]);
    expect(((await (await ask('claude-opus-4-5')).json()) as { content: unknown }).content).toEqual([{ type: 'text', text: 'second' }]);

    const usedUp = await ask('claude-opus-4-5');
    expect(usedUp.status).toBe(500);
    expect(await usedUp.text()).toContain('no turn left for the model claude-opus-4-5: this is its request #3, and it has 2 turn(s)');
    const unknown = await ask('claude-haiku-4-5');
    expect(unknown.status).toBe(500);
    expect(unknown.headers.get('x-should-retry')).toBe('false');
    expect(await unknown.text()).toContain('no turn for the model \\"claude-haiku-4-5\\" (it has claude-sonnet-4-6, claude-opus-4-5)');
  });
});

describe('firstEventDelayMs', () => {
  it('sends the headers at once and the first event only after the delay', async () => {
    server = await createMockServer([textReply('Hi', { firstEventDelayMs: 300 })]);
    const started = Date.now();
    const timing = await within(
      5_000,
      new Promise<{ headers: number; body: number }>((resolve) => {
        rawPost(server as MockServer, streamParams, (response) => {
          const headers = Date.now() - started;
          response.once('data', () => resolve({ headers, body: Date.now() - started }));
        });
      }),
      'the first event',
    );
    expect(timing.headers).toBeLessThan(200);
    expect(timing.body).toBeGreaterThanOrEqual(290);
  });

  it('stops waiting when the client goes away', async () => {
    server = await createMockServer([textReply('Hi', { firstEventDelayMs: 60_000 })]);
    const controller = new AbortController();
    const response = await post(server, streamParams, { signal: controller.signal });
    expect(response.status).toBe(200);
    controller.abort();
    const request = await server.waitForRequest(0);
    await within(2_000, request.closed, 'the exchange to close');
    expect(request.abortedByClient).toBe(true);
  });
});
