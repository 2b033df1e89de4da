import Anthropic from '@anthropic-ai/sdk';
import { BetaFallbackState, betaRefusalFallbackMiddleware, type BetaRefusalFallbackError } from '@anthropic-ai/sdk/lib/middleware';
import { from, lastValueFrom, toArray } from 'rxjs';
import { createClient, finalMessage, type MessageCreateParams } from 'rx-anthropic';
import { byModel, createMockServer, errorReply, eventsReply, refusalReply, sseReply, textReply, type MockServer, type MockTurn, type RecordedRequest } from 'rx-anthropic/testing';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { dropNulls, plain } from './pipeline';

/**
 * Differential tests of `fallback` against the official TypeScript SDK's refusal-fallback
 * middleware (`betaRefusalFallbackMiddleware` on `client.beta.messages.stream`, as its own tests in
 * `tests/middleware-streaming.test.ts` drive it): the same scripted streams, played by one mock
 * server for each side, must give the consumer the same raw events (one `message_start`, the
 * refused blocks closed, a `fallback` block at each seam, the fallback's blocks at the indices that
 * follow, one `message_delta` with `usage.iterations`, one `message_stop`), the same final message
 * (its `model` the model that answered, on both sides), and go to the same models in the same order.
 *
 * The refusals carry a `fallback_credit_token`, which the middleware needs to fall back at all
 * (this client does not: it sends the request again by itself). The differences, each asserted
 * below rather than compared:
 * 1. The middleware's fallback requests carry the credit token (and its beta header), and, when the
 *    refusal grants a prefill claim, the refused output as a trailing assistant turn; this
 *    client's carry the request's own params with the next model.
 * 2. A refusal without a credit token: the middleware passes it through; this client falls back.
 * 3. An overloaded answer: the middleware does not fall back on it (only a failed request of a
 *    refusal splice is skipped, as here); this client does (`on: ['overloaded']`), in
 *    `spec/recovery/fallback.spec.ts`.
 */

const FIRST = 'claude-sonnet-4-6';
const SECOND = 'claude-opus-4-5';
const THIRD = 'claude-haiku-4-5';
const params: MessageCreateParams = { model: FIRST, max_tokens: 1024, messages: [{ role: 'user', content: 'Hey! Can you tell me what a solar eclipse is?' }] };
const token = (n: number) => ({ creditToken: `tok_${n}`, hasPrefillClaim: false });

type Script = () => Record<string, MockTurn | readonly MockTurn[]>;

interface Side {
  events: unknown[];
  message: unknown;
  requests: RecordedRequest[];
}

const servers: MockServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function serve(script: Script): Promise<MockServer> {
  const server = await createMockServer(byModel(script()));
  servers.push(server);
  return server;
}

async function official(script: Script, models: readonly string[], onError: (error: BetaRefusalFallbackError) => void = () => undefined): Promise<Side> {
  const server = await serve(script);
  const middleware = betaRefusalFallbackMiddleware(
    models.map((model) => ({ model })),
    { onError },
  );
  const sdk = new Anthropic({ apiKey: 'test', baseURL: server.baseURL, maxRetries: 0, logLevel: 'off', middleware: [middleware] });
  const stream = sdk.beta.messages.stream(params as never, { fallbackState: new BetaFallbackState() });
  const events: unknown[] = [];
  // Copied as they come: the official stream builds its message inside the message_start it gave.
  for await (const event of stream) events.push(plain(event));
  return { events, message: plain(await stream.finalMessage()), requests: [...server.requests] };
}

async function ours(script: Script, models: readonly string[]): Promise<Side> {
  const server = await serve(script);
  const client = createClient({ apiKey: 'test', baseURL: server.baseURL, maxRetries: 0 });
  const events = await lastValueFrom(client.messages.stream(params, { fallback: { models } }).pipe(toArray()));
  const message = await lastValueFrom(from(events).pipe(finalMessage()));
  return { events: plain(events), message: plain(message), requests: [...server.requests] };
}

/**
 * A final message without what the two accumulators build differently whatever the stream: the
 * official beta stream adds `parsed_output: null`, and leaves out a null `stop_details`,
 * `container` or `context_management` that this one keeps from `message_start` or a delta
 * (docs/DESIGN: a null does not erase an earlier value). Null fields are left out on both sides.
 */
const comparable = (message: unknown): unknown => {
  const { parsed_output: _parsed, ...rest } = message as Record<string, unknown>;
  return dropNulls(rest);
};

const modelsOf = (requests: readonly RecordedRequest[]) => requests.map((request) => (request.body as { model: string }).model);
const messagesOf = (requests: readonly RecordedRequest[]) => requests.map((request) => (request.body as { messages: unknown }).messages);

/** Runs both sides on the script and compares what their consumers saw and where the requests went. */
async function compare(script: Script, models: readonly string[]): Promise<{ sdk: Side; rx: Side }> {
  const sdk = await official(script, models);
  const rx = await ours(script, models);
  expect(rx.events).toEqual(sdk.events);
  expect(comparable(rx.message)).toEqual(comparable(sdk.message));
  expect(modelsOf(rx.requests)).toEqual(modelsOf(sdk.requests));
  return { sdk, rx };
}

const typesOf = (side: Side) =>
  (side.events as { type: string; index?: number; content_block?: { type: string } }[]).map((event) =>
    event.type === 'content_block_start' ? `start[${event.index}] ${event.content_block?.type}` : event.type === 'content_block_stop' ? `stop[${event.index}]` : event.type,
  );

describe('fallback against the official refusal-fallback middleware', () => {
  it('splices the fallback onto the refused stream alike', async () => {
    const { rx } = await compare(() => ({ [FIRST]: refusalReply('Hi', token(1)), [SECOND]: textReply(' there! Happy to explain.') }), [SECOND]);
    expect(typesOf(rx).filter((type) => type.startsWith('start') || type.startsWith('message'))).toEqual([
      'message_start',
      'start[0] text',
      'start[1] fallback',
      'start[2] text',
      'message_delta',
      'message_stop',
    ]);
    expect(rx.message).toMatchObject({ model: SECOND, stop_reason: 'end_turn', usage: { iterations: [{ type: 'message', model: FIRST }, { type: 'fallback_message', model: SECOND }] } });
  });

  it('plays the middleware’s own fixtures alike: thinking and text refused, the fallback block at 2, the answer at 3', async () => {
    const fixture = (name: string) => readFileSync(resolve(__dirname, '../fixtures/refusal-fallback', name));
    const { rx } = await compare(() => ({ [FIRST]: sseReply(fixture('stream-a-refusal.sse')), [SECOND]: sseReply(fixture('stream-b-fallback.sse')) }), [SECOND]);
    // The middleware's test: its snapshot's skeleton, with the model names of the recordings.
    expect(typesOf(rx).filter((type) => type.startsWith('start') || type.startsWith('message'))).toEqual([
      'message_start',
      'start[0] thinking',
      'start[1] text',
      'start[2] fallback',
      'start[3] text',
      'message_delta',
      'message_stop',
    ]);
    const seam = (rx.events as { type: string; content_block?: { type: string } }[]).find((event) => event.content_block?.type === 'fallback');
    expect(seam?.content_block).toEqual({ type: 'fallback', from: { model: 'claude-fable-5' }, to: { model: SECOND }, trigger: { type: 'refusal', category: null } });
    expect(rx.message).toMatchObject({ model: SECOND, stop_reason: 'end_turn', usage: { iterations: [{ type: 'message', model: 'claude-fable-5' }, { type: 'fallback_message', model: SECOND }] } });
  });

  it('closes a block the refusal left open alike', async () => {
    const start = { type: 'message_start', message: { id: 'msg_a', type: 'message', role: 'assistant', model: FIRST, content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 12, output_tokens: 1 } } };
    const refusal = { type: 'refusal', category: 'cyber', explanation: null, fallback_credit_token: 'tok_open', fallback_has_prefill_claim: false };
    const { rx } = await compare(
      () => ({
        [FIRST]: eventsReply([
          start,
          { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
          { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Half' } },
          { type: 'message_delta', delta: { stop_reason: 'refusal', stop_sequence: null, stop_details: refusal }, usage: { output_tokens: 2 } },
          { type: 'message_stop' },
        ]),
        [SECOND]: textReply(' whole.'),
      }),
      [SECOND],
    );
    expect(typesOf(rx).slice(3, 6)).toEqual(['stop[0]', 'start[1] fallback', 'stop[1]']);
  });

  it('goes down a chain of refusing fallbacks alike', async () => {
    const { rx } = await compare(() => ({ [FIRST]: refusalReply('One. ', token(1)), [SECOND]: refusalReply('Two. ', token(2)), [THIRD]: textReply('Three.') }), [SECOND, THIRD]);
    expect(rx.message).toMatchObject({ model: THIRD, usage: { iterations: [{ type: 'message' }, { type: 'message' }, { type: 'fallback_message' }] } });
  });

  it('passes the last refusal through alike when the chain is used up', async () => {
    const { rx } = await compare(() => ({ [FIRST]: refusalReply('No. ', token(1)), [SECOND]: refusalReply('Nor I.', { category: 'bio', ...token(2) }) }), [SECOND]);
    expect(rx.message).toMatchObject({ stop_reason: 'refusal', stop_details: { category: 'bio', fallback_credit_token: 'tok_2' } });
  });

  it('skips a fallback whose request fails alike', async () => {
    const { rx } = await compare(() => ({ [FIRST]: refusalReply('Hm. ', token(1)), [SECOND]: errorReply(529), [THIRD]: textReply('Sure.') }), [SECOND, THIRD]);
    expect(modelsOf(rx.requests)).toEqual([FIRST, SECOND, THIRD]);
  });

  it('ends with the held refusal alike, naming the last model tried, when every fallback fails', async () => {
    const { rx } = await compare(() => ({ [FIRST]: refusalReply('Hm. ', { category: 'cyber', ...token(1) }), [SECOND]: errorReply(404, { type: 'not_found_error' }) }), [SECOND]);
    expect(rx.message).toMatchObject({ stop_reason: 'refusal', stop_details: { category: 'cyber', recommended_model: SECOND } });
  });

  it('passes a stream that is not refused through alike', async () => {
    const { rx } = await compare(() => ({ [FIRST]: textReply('Sure!') }), [SECOND]);
    expect(modelsOf(rx.requests)).toEqual([FIRST]);
  });

  it('differs in the fallback request: the middleware redeems the credit token (and a granted prefill); this client sends the params again', async () => {
    const script: Script = () => ({ [FIRST]: refusalReply('Hi', { creditToken: 'tok_p', hasPrefillClaim: true }), [SECOND]: textReply(' there.') });
    const { sdk, rx } = await compare(script, [SECOND]);
    expect(sdk.requests[1]?.body).toMatchObject({ model: SECOND, fallback_credit_token: { token: 'tok_p', mode: 'best_effort' } });
    expect(messagesOf(sdk.requests)[1]).toEqual([...params.messages, { role: 'assistant', content: [{ type: 'text', text: 'Hi' }] }]);
    expect(sdk.requests[1]?.headers['anthropic-beta']).toContain('fallback-credit-2026-07-01');
    expect(rx.requests[1]?.body).toEqual({ ...params, model: SECOND, stream: true });
  });

  it('differs on a refusal without a credit token: the middleware passes it through, this client falls back', async () => {
    const script: Script = () => ({ [FIRST]: refusalReply('No.'), [SECOND]: textReply('Yes.') });
    const errors: BetaRefusalFallbackError[] = [];
    const sdk = await official(script, [SECOND], (error) => errors.push(error));
    const rx = await ours(script, [SECOND]);
    expect(errors.map((error) => error.kind)).toEqual(['no_credit_token']);
    expect(sdk.message).toMatchObject({ stop_reason: 'refusal', model: FIRST });
    expect(modelsOf(sdk.requests)).toEqual([FIRST]);
    expect(rx.message).toMatchObject({ stop_reason: 'end_turn', model: SECOND });
    expect(modelsOf(rx.requests)).toEqual([FIRST, SECOND]);
  });
});
