import * as t from 'io-ts';
import { firstValueFrom, from, last, lastValueFrom, map, Observable, of, shareReplay, toArray } from 'rxjs';

import {
  accumulateMessage,
  aggregateUsage,
  combineSnapshots,
  contentBlocks,
  createClient,
  defineTool,
  finalMessage,
  finalOutput,
  finalText,
  InvalidArgumentError,
  messageStreamEvents,
  outputFormat,
  partialOutput,
  streamMetrics,
  textDeltas,
  textSnapshots,
  turnMessages,
  type Client,
  type ContentBlock,
  type Message,
  type MessageStreamEvent,
  type RawMessageStreamEvent,
  type StreamEventLike,
  type ToolLoopEvent,
} from 'rx-anthropic';
import { createMockServer, textReply, toolUseReply, type MockServer, type MockTurn } from 'rx-anthropic/testing';

// The operators take the events of a stream: raw events, `messageStreamEvents()` output and a tool
// loop's events all compile; a whole Message (what `create()` emits), a content block or a string
// is a type error. `npm run typecheck` checks the `@ts-expect-error` lines: each must be an error.

const ANSWER = '{"answer": "Sunny"}';
const format = outputFormat(t.type({ answer: t.string }));
const params = { model: 'claude-sonnet-4-6', max_tokens: 256, messages: [{ role: 'user' as const, content: 'Weather in Paris?' }] };
const getWeather = defineTool({ name: 'get_weather', description: 'The weather in a city', input: t.type({ city: t.string }), run: ({ city }) => `Sunny in ${city}` });

/**
 * Every operator of the main entry that takes events, on one source, each to its last value.
 * Generic in the events: each line is checked for any `StreamEventLike`, and each call below
 * checks that its source's events are.
 */
function everyOperator<E extends StreamEventLike>(events$: Observable<E>) {
  return Promise.all([
    lastValueFrom(events$.pipe(textDeltas(), toArray(), map((texts) => texts.join('')))),
    lastValueFrom(events$.pipe(textSnapshots(), last())),
    lastValueFrom(events$.pipe(finalText())),
    lastValueFrom(events$.pipe(finalMessage(), map((message) => message.stop_reason))),
    lastValueFrom(events$.pipe(accumulateMessage(), last(), map((message) => message.content.length))),
    lastValueFrom(events$.pipe(contentBlocks(), map((block) => block.type), toArray())),
    lastValueFrom(events$.pipe(messageStreamEvents(), finalText())),
    lastValueFrom(events$.pipe(partialOutput(format), last())),
    lastValueFrom(events$.pipe(finalOutput(format))),
    lastValueFrom(events$.pipe(streamMetrics(), last(), map((metrics) => metrics.done))),
    lastValueFrom(events$.pipe(aggregateUsage(), last(), map((totals) => totals.messages))),
    lastValueFrom(combineSnapshots({ reply: events$ }).pipe(last(), map((record) => record.reply?.stop_reason))),
  ]);
}

describe('the input types of the operators', () => {
  let server: MockServer | undefined;
  afterEach(async () => server?.close());

  async function clientFor(...turns: MockTurn[]): Promise<Client> {
    server = await createMockServer(turns);
    return createClient({ baseURL: server.baseURL, apiKey: 'k', maxRetries: 0 });
  }

  it('take the raw events of stream() and their messageStreamEvents()', async () => {
    const client = await clientFor(textReply(ANSWER, { chunkSize: 4 }));
    const raw$: Observable<RawMessageStreamEvent> = client.messages.stream(params).pipe(shareReplay());
    const sdk$: Observable<MessageStreamEvent> = raw$.pipe(messageStreamEvents());
    const expected = [ANSWER, ANSWER, ANSWER, 'end_turn', 1, ['text'], ANSWER, { answer: 'Sunny' }, { answer: 'Sunny' }, true, 1, 'end_turn'];
    expect(await everyOperator(raw$)).toEqual(expected);
    expect(await everyOperator(sdk$)).toEqual(expected);
    expect(await lastValueFrom(raw$.pipe(turnMessages(), map((message) => message.stop_reason)))).toBe('end_turn');
    expect(server?.requests).toHaveLength(1);
  });

  it("take a tool loop's events, and their messageStreamEvents()", async () => {
    const client = await clientFor(toolUseReply([{ id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } }]), textReply(ANSWER, { chunkSize: 4 }));
    const loop$: Observable<ToolLoopEvent> = client.messages.toolLoop(params, { tools: [getWeather] }).pipe(shareReplay());
    const sdk$ = loop$.pipe(messageStreamEvents());
    const expected = [ANSWER, ANSWER, ANSWER, 'end_turn', 1, ['tool_use', 'text'], ANSWER, { answer: 'Sunny' }, { answer: 'Sunny' }, true, 2, 'end_turn'];
    expect(await everyOperator(loop$)).toEqual(expected);
    expect(await everyOperator(sdk$)).toEqual(expected);
    expect(await lastValueFrom(loop$.pipe(turnMessages(), map((message) => message.stop_reason), toArray()))).toEqual(['tool_use', 'end_turn']);
    expect(server?.requests).toHaveLength(2);
  });

  it("refuse create()'s whole Message: a type error, and from untyped code an InvalidArgumentError that points to stream()", async () => {
    const client = await clientFor(textReply(ANSWER));
    const message$ = client.messages.create(params).pipe(shareReplay());
    const message: Message = await firstValueFrom(message$);
    expect(message.type).toBe('message');

    const refusals = [
      // @ts-expect-error a Message is no stream event
      message$.pipe(textDeltas()),
      // @ts-expect-error a Message is no stream event
      message$.pipe(textSnapshots()),
      // @ts-expect-error a Message is no stream event
      message$.pipe(finalMessage()),
      // @ts-expect-error a Message is no stream event
      message$.pipe(finalText()),
      // @ts-expect-error a Message is no stream event
      message$.pipe(accumulateMessage()),
      // @ts-expect-error a Message is no stream event
      message$.pipe(contentBlocks()),
      // @ts-expect-error a Message is no stream event
      message$.pipe(messageStreamEvents()),
    ];
    for (const refused$ of refusals) {
      const error = await lastValueFrom(refused$ as Observable<unknown>).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(InvalidArgumentError);
      expect(error).toMatchObject({ argument: 'source', message: expect.stringContaining('client.messages.stream()') });
    }
    expect(server?.requests).toHaveLength(1);
  });

  it('refuse a Message, a content block or a string in every operator (type errors only)', () => {
    // Built, never subscribed: what is checked here is that each line is a type error.
    const message$ = of({} as Message);
    const block$ = of({} as ContentBlock);
    const text$ = of('Sunny');
    const built = [
      // @ts-expect-error a Message is no stream event
      message$.pipe(partialOutput(format)),
      // @ts-expect-error a Message is no stream event
      message$.pipe(finalOutput(format)),
      // @ts-expect-error a Message is no stream event
      message$.pipe(streamMetrics()),
      // @ts-expect-error a Message is no stream event
      message$.pipe(aggregateUsage()),
      // @ts-expect-error a Message is no stream event
      combineSnapshots({ reply: message$ }),
      // @ts-expect-error a Message is no stream event
      message$.pipe(turnMessages()),
      // @ts-expect-error what create() gives for params whose `stream` is not known: maybe a Message
      from([] as (Message | RawMessageStreamEvent)[]).pipe(finalText()),
      // @ts-expect-error a content block (its type 'text' is also a derived event's, which has an index)
      block$.pipe(textDeltas()),
      // @ts-expect-error a content block
      block$.pipe(finalMessage()),
      // @ts-expect-error a content block
      block$.pipe(messageStreamEvents()),
      // @ts-expect-error a content block
      block$.pipe(partialOutput(format)),
      // @ts-expect-error a string
      text$.pipe(textDeltas()),
      // @ts-expect-error a string
      text$.pipe(finalText()),
      // @ts-expect-error a string
      text$.pipe(accumulateMessage()),
    ];
    expect(built.every((value) => value instanceof Observable)).toBe(true);
  });
});
