import * as t from 'io-ts';
import { firstValueFrom, lastValueFrom, of, toArray, filter, take, type Observable } from 'rxjs';
import {
  APIUserAbortError,
  createClient,
  defineTool,
  finalMessage,
  finalText,
  InvalidArgumentError,
  messageStreamEvents,
  OverloadedError,
  textDeltas,
  toolLoop,
  type ClientOptions,
  type MessageCreateParams,
  type RawMessageStreamEvent,
  type RecoveryEvent,
  type RequestOptions,
} from 'rx-anthropic';
import { byModel, createMockServer, errorReply, eventsReply, refusalReply, textReply, toolUseReply, type MockScript, type MockServer } from 'rx-anthropic/testing';
import { fallback } from '../../lib/recovery/fallback';
import type { RecoveryContext } from '../../lib/recovery/RecoveryContext';
import type { SendStream } from '../../lib/recovery/SendStream';
import { asyncScheduler } from 'rxjs';

const FIRST = 'claude-sonnet-4-6';
const SECOND = 'claude-opus-4-5';
const THIRD = 'claude-haiku-4-5';
const params: MessageCreateParams = { model: FIRST, max_tokens: 256, messages: [{ role: 'user', content: 'Explain solar eclipses.' }] };

let server: MockServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function clientFor(script: MockScript, options: ClientOptions = {}) {
  server = await createMockServer(script);
  const recoveries: RecoveryEvent[] = [];
  const client = createClient({ apiKey: 'test', baseURL: server.baseURL, maxRetries: 0, onRecovery: (event) => recoveries.push(event), ...options });
  return { client, server, recoveries };
}

const modelsAsked = (mock: MockServer): unknown[] => mock.requests.map((request) => (request.body as { model?: unknown }).model);

/** The stream as the API would send one message: one start first, one stop last, blocks started at consecutive indices and each stopped once. */
function expectOneValidMessage(events: readonly RawMessageStreamEvent[]): void {
  const types = events.map((event) => event.type);
  expect(types.filter((type) => type === 'message_start')).toHaveLength(1);
  expect(types.filter((type) => type === 'message_stop')).toHaveLength(1);
  expect(types.filter((type) => type === 'message_delta')).toHaveLength(1);
  expect(types[0]).toBe('message_start');
  expect(types[types.length - 1]).toBe('message_stop');
  let started = 0;
  const open = new Set<number>();
  for (const event of events) {
    if (event.type === 'content_block_start') {
      expect(event.index).toBe(started++);
      open.add(event.index);
    } else if (event.type === 'content_block_delta') {
      expect(open.has(event.index)).toBe(true);
    } else if (event.type === 'content_block_stop') {
      expect(open.delete(event.index)).toBe(true);
    } else if (event.type === 'message_delta') {
      expect(open.size).toBe(0);
    }
  }
}

const all = <T>(source: Observable<T>): Promise<T[]> => lastValueFrom(source.pipe(toArray()));

describe('fallback: overloaded', () => {
  it('sends the request to the next model when the first answers 529, and the consumer sees only the next model’s stream', async () => {
    const { client, server, recoveries } = await clientFor(byModel({ [FIRST]: errorReply(529), [SECOND]: textReply('From the second model.') }));
    const events = await all(client.messages.stream(params, { fallback: { models: [SECOND] } }));

    expect(modelsAsked(server)).toEqual([FIRST, SECOND]);
    expect((server.requests[1]?.body as MessageCreateParams).messages).toEqual(params.messages);
    expectOneValidMessage(events);
    expect(events[0]).toMatchObject({ type: 'message_start', message: { model: SECOND } });
    expect(await lastValueFrom(of(...events).pipe(finalText()))).toBe('From the second model.');
    expect(recoveries).toEqual([{ kind: 'fallback', at: expect.any(Number), reason: 'overloaded', from: FIRST, to: SECOND, error: expect.any(OverloadedError) }]);
  });

  it('falls back only once the transport’s retries of the 529 are used up', async () => {
    const { client, server } = await clientFor(byModel({ [FIRST]: errorReply(529, { headers: { 'retry-after-ms': '1' } }), [SECOND]: textReply('OK') }), { maxRetries: 2 });
    const text = await lastValueFrom(client.messages.stream(params, { fallback: { models: [SECOND] } }).pipe(finalText()));
    expect(text).toBe('OK');
    expect(modelsAsked(server)).toEqual([FIRST, FIRST, FIRST, SECOND]);
  });

  it('takes an overloaded_error event that comes before any other event as overloaded', async () => {
    const overloaded = eventsReply([{ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }]);
    const { client, server } = await clientFor(byModel({ [FIRST]: overloaded, [SECOND]: textReply('OK') }));
    const message = await lastValueFrom(client.messages.stream(params, { fallback: { models: [SECOND] } }).pipe(finalMessage()));
    expect(message.model).toBe(SECOND);
    expect(modelsAsked(server)).toEqual([FIRST, SECOND]);
  });

  it('does not fall back from an overloaded error that comes after the stream began: the consumer gets the error', async () => {
    const start = { type: 'message_start', message: { id: 'msg_1', type: 'message', role: 'assistant', model: FIRST, content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 5, output_tokens: 1 } } };
    const late = eventsReply([start, { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }, { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }]);
    const { client, server, recoveries } = await clientFor(byModel({ [FIRST]: late, [SECOND]: textReply('OK') }));
    await expect(all(client.messages.stream(params, { fallback: { models: [SECOND] } }))).rejects.toBeInstanceOf(OverloadedError);
    expect(modelsAsked(server)).toEqual([FIRST]);
    expect(recoveries).toEqual([]);
  });

  it('goes down the list while each model is overloaded, and fails with the last 529 when none is left', async () => {
    const { client, server, recoveries } = await clientFor(byModel({ [FIRST]: errorReply(529), [SECOND]: errorReply(529), [THIRD]: errorReply(529) }));
    const failure = await all(client.messages.stream(params, { fallback: { models: [SECOND, THIRD] } })).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(OverloadedError);
    expect((failure as OverloadedError).requestId).toBe(server.requests[2]?.requestId);
    expect(modelsAsked(server)).toEqual([FIRST, SECOND, THIRD]);
    expect(recoveries.map((event) => event.kind === 'fallback' && [event.from, event.to])).toEqual([
      [FIRST, SECOND],
      [SECOND, THIRD],
    ]);
  });
});

describe('fallback: refusal', () => {
  const refusedThenAnswered = () => byModel({ [FIRST]: refusalReply('Solar eclipses are', { category: 'cyber' }), [SECOND]: textReply(' when the Moon hides the Sun.') });

  it('splices the next model’s answer into the same stream: one message, consecutive indices, the refused text then the fallback’s', async () => {
    const { client, server, recoveries } = await clientFor(refusedThenAnswered());
    const events = await all(client.messages.stream(params, { fallback: { models: [SECOND] } }));

    expectOneValidMessage(events);
    expect(modelsAsked(server)).toEqual([FIRST, SECOND]);
    expect((server.requests[1]?.body as MessageCreateParams).messages).toEqual(params.messages);
    const starts = events.flatMap((event) => (event.type === 'content_block_start' ? [event.content_block] : []));
    expect(starts).toEqual([
      { type: 'text', text: '' },
      { type: 'fallback', from: { model: FIRST }, to: { model: SECOND }, trigger: { type: 'refusal', category: 'cyber' } },
      { type: 'text', text: '' },
    ]);
    const delta = events.find((event) => event.type === 'message_delta');
    expect(delta).toMatchObject({ delta: { stop_reason: 'end_turn' } });
    expect((delta as { usage: { iterations: { type: string; model: string }[] } }).usage.iterations.map((step) => [step.type, step.model])).toEqual([
      ['message', FIRST],
      ['fallback_message', SECOND],
    ]);
    expect(recoveries).toEqual([{ kind: 'fallback', at: expect.any(Number), reason: 'refusal', from: FIRST, to: SECOND }]);
  });

  it('gives textDeltas(), finalText(), finalMessage() and messageStreamEvents() the spliced answer, the message naming the model that answered', async () => {
    const { client } = await clientFor(refusedThenAnswered());
    const stream = client.messages.stream(params, { fallback: { models: [SECOND] } });

    expect((await all(stream.pipe(textDeltas()))).join('')).toBe('Solar eclipses are when the Moon hides the Sun.');
    expect(await lastValueFrom(stream.pipe(finalText()))).toBe('Solar eclipses are when the Moon hides the Sun.');
    const message = await lastValueFrom(stream.pipe(finalMessage()));
    expect(message.model).toBe(SECOND);
    expect(message.stop_reason).toBe('end_turn');
    expect(message.content.map((block) => block.type)).toEqual(['text', 'fallback', 'text']);
    expect(message.usage.iterations?.map((step) => step.type)).toEqual(['message', 'fallback_message']);
    const sdkEvents = await all(stream.pipe(messageStreamEvents()));
    const stopped = sdkEvents.flatMap((event) => (event.type === 'content_block_stop' ? [event.content_block.type] : []));
    expect(stopped).toEqual(['text', 'fallback', 'text']);
    expect(sdkEvents[sdkEvents.length - 1]).toMatchObject({ type: 'message_stop', message: { model: SECOND } });
  });

  it('with every recovery on, continues the fallback’s answer after its connection drops, spliced into the same message', async () => {
    const answer = ' when the Moon passes between the Sun and the Earth.';
    const turns = [refusalReply('Solar eclipses are', { category: 'cyber' }), { ...textReply(answer, { chunkSize: 6 }), cutAfterEvents: 6 }, textReply(answer, { chunkSize: 6 })];
    const { client, server, recoveries } = await clientFor((_request, index) => turns[Math.min(index, turns.length - 1)] as (typeof turns)[number]);
    const options: RequestOptions = {
      fallback: { models: [SECOND] },
      continueOnDrop: 2,
      hedge: { afterMs: 60_000 },
      timeout: { firstTokenMs: 60_000, idleMs: 60_000, totalMs: 120_000 },
    };
    const events = await all(client.messages.stream(params, options));

    expectOneValidMessage(events);
    expect(modelsAsked(server)).toEqual([FIRST, SECOND, SECOND]);
    expect(await lastValueFrom(of(...events).pipe(finalText()))).toBe(`Solar eclipses are${answer}`);
    expect(recoveries.map((event) => event.kind)).toEqual(['fallback', 'continuation']);
    const message = await lastValueFrom(of(...events).pipe(finalMessage()));
    expect(message.model).toBe(SECOND);
    expect(message.content.map((block) => block.type)).toEqual(['text', 'fallback', 'text']);
  });

  it('closes a block the refusal left open before the fallback block', async () => {
    const start = { type: 'message_start', message: { id: 'msg_1', type: 'message', role: 'assistant', model: FIRST, content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 5, output_tokens: 1 } } };
    const cutByRefusal = eventsReply([
      start,
      { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Half' } },
      { type: 'message_delta', delta: { stop_reason: 'refusal', stop_sequence: null }, usage: { output_tokens: 2 } },
      { type: 'message_stop' },
    ]);
    const { client } = await clientFor(byModel({ [FIRST]: cutByRefusal, [SECOND]: textReply(' whole.') }));
    const events = await all(client.messages.stream(params, { fallback: { models: [SECOND] } }));
    expectOneValidMessage(events);
    expect(events.slice(3, 6)).toEqual([
      { type: 'content_block_stop', index: 0 },
      { type: 'content_block_start', index: 1, content_block: { type: 'fallback', from: { model: FIRST }, to: { model: SECOND }, trigger: { type: 'refusal', category: null } } },
      { type: 'content_block_stop', index: 1 },
    ]);
    expect(await lastValueFrom(of(...events).pipe(finalText()))).toBe('Half whole.');
  });

  it('goes on down the list when a fallback refuses too, each refused part kept', async () => {
    const { client, server } = await clientFor(byModel({ [FIRST]: refusalReply('One. '), [SECOND]: refusalReply('Two. '), [THIRD]: textReply('Three.') }));
    const events = await all(client.messages.stream(params, { fallback: { models: [SECOND, THIRD] } }));
    expectOneValidMessage(events);
    expect(modelsAsked(server)).toEqual([FIRST, SECOND, THIRD]);
    const message = await lastValueFrom(of(...events).pipe(finalMessage()));
    expect(message.content.map((block) => (block.type === 'fallback' ? `${block.from.model}->${block.to.model}` : block.type))).toEqual([
      'text',
      `${FIRST}->${SECOND}`,
      'text',
      `${SECOND}->${THIRD}`,
      'text',
    ]);
    expect(message.model).toBe(THIRD);
    expect(message.usage.iterations?.map((step) => `${step.type}:${String(step['model'])}`)).toEqual([`message:${FIRST}`, `message:${SECOND}`, `fallback_message:${THIRD}`]);
  });

  it('passes the last refusal through as it came when no model is left', async () => {
    const { client, server } = await clientFor(byModel({ [FIRST]: refusalReply('No. '), [SECOND]: refusalReply('Nor I.', { category: 'bio', explanation: 'declined' }) }));
    const message = await lastValueFrom(client.messages.stream(params, { fallback: { models: [SECOND] } }).pipe(finalMessage()));
    expect(modelsAsked(server)).toEqual([FIRST, SECOND]);
    expect(message.stop_reason).toBe('refusal');
    expect(message.stop_details).toMatchObject({ type: 'refusal', category: 'bio', explanation: 'declined' });
    expect(message.usage.iterations?.map((step) => step.type)).toEqual(['message', 'fallback_message']);
  });

  it('skips a fallback that fails before its first event, and the next one answers', async () => {
    const { client, server, recoveries } = await clientFor(byModel({ [FIRST]: refusalReply('Hm. '), [SECOND]: errorReply(529), [THIRD]: textReply('Sure.') }));
    const message = await lastValueFrom(client.messages.stream(params, { fallback: { models: [SECOND, THIRD], on: ['refusal'] } }).pipe(finalMessage()));
    expect(modelsAsked(server)).toEqual([FIRST, SECOND, THIRD]);
    const seams = message.content.flatMap((block) => (block.type === 'fallback' ? [`${block.from.model}->${block.to.model}`] : []));
    expect(seams).toEqual([`${FIRST}->${SECOND}`, `${FIRST}->${THIRD}`]);
    expect(message.model).toBe(THIRD);
    expect(recoveries.map((event) => event.kind === 'fallback' && `${event.reason}:${event.from}->${event.to}`)).toEqual([`refusal:${FIRST}->${SECOND}`, `overloaded:${SECOND}->${THIRD}`]);
  });

  it('ends with the refusal it started from, naming the last model tried, when every fallback fails', async () => {
    const { client } = await clientFor(byModel({ [FIRST]: refusalReply('Hm. ', { category: 'cyber' }), [SECOND]: errorReply(404, { type: 'not_found_error' }) }));
    const events = await all(client.messages.stream(params, { fallback: { models: [SECOND] } }));
    expectOneValidMessage(events);
    const message = await lastValueFrom(of(...events).pipe(finalMessage()));
    expect(message.stop_reason).toBe('refusal');
    expect(message.stop_details).toMatchObject({ type: 'refusal', category: 'cyber', recommended_model: SECOND });
  });
});

describe('fallback: options', () => {
  it('falls back only on the triggers listed in `on`', async () => {
    const refusing = await clientFor(byModel({ [FIRST]: refusalReply('No.'), [SECOND]: textReply('Yes.') }));
    const refused = await lastValueFrom(refusing.client.messages.stream(params, { fallback: { models: [SECOND], on: ['overloaded'] } }).pipe(finalMessage()));
    expect(refused.stop_reason).toBe('refusal');
    expect(modelsAsked(refusing.server)).toEqual([FIRST]);
    await refusing.server.close();

    const overloaded = await clientFor(byModel({ [FIRST]: errorReply(529), [SECOND]: textReply('Yes.') }));
    await expect(all(overloaded.client.messages.stream(params, { fallback: { models: [SECOND], on: ['refusal'] } }))).rejects.toBeInstanceOf(OverloadedError);
    expect(modelsAsked(overloaded.server)).toEqual([FIRST]);
    expect(overloaded.recoveries).toEqual([]);
  });

  it('takes the request’s fallback over the client’s, and an empty `on` turns it off for one request', async () => {
    const { client, server } = await clientFor(byModel({ [FIRST]: errorReply(529), [SECOND]: textReply('Second.'), [THIRD]: textReply('Third.') }), { fallback: { models: [SECOND] } });
    expect(await lastValueFrom(client.messages.stream(params).pipe(finalText()))).toBe('Second.');
    expect(await lastValueFrom(client.messages.stream(params, { fallback: { models: [THIRD] } }).pipe(finalText()))).toBe('Third.');
    await expect(all(client.messages.stream(params, { fallback: { models: [SECOND], on: [] } }))).rejects.toBeInstanceOf(OverloadedError);
    expect(modelsAsked(server)).toEqual([FIRST, SECOND, FIRST, THIRD, FIRST]);
  });

  it.each([
    ['not an object', 'claude-opus-4-5', /must be an object/],
    ['no models', {}, /models must be a non-empty array/],
    ['empty models', { models: [] }, /not an empty array/],
    ['a blank model', { models: ['claude-opus-4-5', ' '] }, /models\[1\] must be a non-empty model name/],
    ['a model that is not a string', { models: [42] }, /models\[0\] must be a non-empty model name, not a number/],
    ['`on` not an array', { models: ['m'], on: 'refusal' }, /on must be an array/],
    ['an unknown trigger', { models: ['m'], on: ['refusal', 'timeout'] }, /on\[1\] must be 'refusal' or 'overloaded', not "timeout"/],
  ])('refuses a fallback option with %s: at createClient, and at subscribe for a request’s, before anything is sent', async (_, value, message) => {
    const thrown = (() => {
      try {
        createClient({ apiKey: 'test', fallback: value as never });
      } catch (error) {
        return error;
      }
    })();
    expect(thrown).toBeInstanceOf(InvalidArgumentError);
    expect(thrown).toMatchObject({ argument: 'fallback', message: expect.stringMatching(message) });

    const { client, server } = await clientFor([textReply('unused')]);
    const stream = client.messages.stream(params, { fallback: value as never } as RequestOptions);
    const failure = await all(stream).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(InvalidArgumentError);
    expect(failure).toMatchObject({ argument: 'fallback', message: expect.stringMatching(message) });
    expect(server.requests).toHaveLength(0);
  });

  it('costs nothing without the option: the send is used as it is', () => {
    const send: SendStream = () => of();
    const context: RecoveryContext = { options: {}, scheduler: asyncScheduler, report: () => undefined };
    expect(fallback(send, context)).toBe(send);
  });
});

describe('fallback: in a tool loop, and cancelling', () => {
  it('works under toolLoop: the turn falls back, its tool runs, and the next request leaves the fallback block out of the history', async () => {
    const script = byModel({
      [FIRST]: [refusalReply('Let me '), textReply('It is sunny.')],
      [SECOND]: toolUseReply([{ name: 'get_weather', input: { city: 'Oslo' } }]),
    });
    const { client, server } = await clientFor(script, { fallback: { models: [SECOND] } });
    const weather = defineTool({ name: 'get_weather', description: 'The weather', input: t.type({ city: t.string }), run: ({ city }) => `Sunny in ${city}` });
    const events = await all(of(params).pipe(toolLoop(client, { tools: [weather] })));

    expect(modelsAsked(server)).toEqual([FIRST, SECOND, FIRST]);
    const history = (server.requests[2]?.body as MessageCreateParams).messages;
    expect(history[1]).toMatchObject({ role: 'assistant', content: [{ type: 'text', text: 'Let me ' }, { type: 'tool_use', name: 'get_weather' }] });
    expect(JSON.stringify(history)).not.toContain('"fallback"');
    expect(history[2]).toMatchObject({ role: 'user', content: [{ type: 'tool_result', content: 'Sunny in Oslo' }] });
    expect(events.some((event) => event.type === 'tool_result')).toBe(true);
  });

  it('aborts the fallback request in flight when the consumer unsubscribes', async () => {
    const { client, server } = await clientFor(byModel({ [FIRST]: refusalReply('Wait'), [SECOND]: textReply('Too late.', { firstEventDelayMs: 10_000 }) }));
    const seen: RawMessageStreamEvent[] = [];
    const subscription = client.messages.stream(params, { fallback: { models: [SECOND] } }).subscribe((event) => seen.push(event));
    const second = await server.waitForRequest(1);
    subscription.unsubscribe();
    await second.closed;
    expect(second.abortedByClient).toBe(true);
    expect(seen.map((event) => event.type).slice(-2)).toEqual(['content_block_start', 'content_block_stop']);
    expect(server.requests).toHaveLength(2);
  });

  it('sends no fallback request when the consumer leaves on the fallback block', async () => {
    const { client, server } = await clientFor(byModel({ [FIRST]: refusalReply('Wait'), [SECOND]: textReply('Never asked.') }));
    const stream = client.messages.stream(params, { fallback: { models: [SECOND] } });
    await firstValueFrom(stream.pipe(filter((event) => event.type === 'content_block_start' && event.content_block.type === 'fallback'), take(1)));
    await server.requests[0]?.closed;
    // A request sent on leaving would have arrived by then (it does in a few milliseconds when the guard is taken out).
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(server.requests).toHaveLength(1);
  });

  it('fails with APIUserAbortError, and tries no further model, when the request’s signal aborts a fallback request', async () => {
    const { client, server } = await clientFor(byModel({ [FIRST]: refusalReply('Wait'), [SECOND]: textReply('Too late.', { hangAfterHeaders: true }), [THIRD]: textReply('Never asked.') }));
    const controller = new AbortController();
    const outcome = all(client.messages.stream(params, { fallback: { models: [SECOND, THIRD] }, signal: controller.signal })).catch((error: unknown) => error);
    await server.waitForRequest(1);
    controller.abort();
    expect(await outcome).toBeInstanceOf(APIUserAbortError);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(modelsAsked(server)).toEqual([FIRST, SECOND]);
  });

  it('aborts the next model’s request when unsubscribed after an overloaded answer', async () => {
    const { client, server } = await clientFor(byModel({ [FIRST]: errorReply(529), [SECOND]: textReply('Never seen.', { firstEventDelayMs: 10_000 }) }));
    const subscription = client.messages.stream(params, { fallback: { models: [SECOND] } }).subscribe();
    const second = await server.waitForRequest(1);
    subscription.unsubscribe();
    await second.closed;
    expect(second.abortedByClient).toBe(true);
  });
});
