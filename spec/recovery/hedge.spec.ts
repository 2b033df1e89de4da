/**
 * hedge against the mock server over loopback: a slow first request is raced by a second one,
 * the first to deliver content wins, the other's socket is closed at once, the consumer sees one
 * answer; unsubscribing closes both.
 */
import * as t from 'io-ts';
import { lastValueFrom, toArray } from 'rxjs';
import { defineTool, finalMessage, textDeltas, turnMessages, type MessageCreateParams, type RecoveryEvent } from 'rx-anthropic';
import { eventsReply, textReply, toolUseReply } from 'rx-anthropic/testing';
import { recoveringClients } from './support/recoveringClient';

const params: MessageCreateParams = { model: 'claude-sonnet-4-6', max_tokens: 100, messages: [{ role: 'user', content: 'Hi' }] };

/** A server answering its requests with `turns` in order, and a client on it that keeps its recoveries; closed after each test. */
const setup = recoveringClients();

const hedgeOutcomes = (reports: readonly RecoveryEvent[]) => reports.flatMap((event) => (event.kind === 'hedge' ? [`${event.outcome} ${event.model}`] : []));

describe('hedge over loopback', () => {
  it('races a request whose headers are slow; the hedge answers, the slow one is aborted, the consumer sees one answer', async () => {
    // The hedge takes a while to finish its answer: the slow request must be closed as soon as the hedge's content begins, not at the end.
    const slowFinish = { ...textReply('fast answer', { chunkSize: 2 }), chunkDelayMs: 60 };
    const { server, client, reports } = await setup([{ ...textReply('slow answer'), delayMs: 5_000 }, slowFinish], { hedge: { afterMs: 150 } });
    const started = Date.now();
    let slowClosedAt: number | undefined;
    void server.waitForRequest(0).then((request) => request.closed.then(() => (slowClosedAt = Date.now())));
    const text = (await lastValueFrom(client.messages.stream(params).pipe(textDeltas(), toArray()))).join('');
    const finishedAt = Date.now();
    expect(text).toBe('fast answer');
    expect(finishedAt - started).toBeLessThan(3_000);
    await server.requests[0]!.closed;
    expect(server.requests[0]!.abortedByClient).toBe(true);
    expect(slowClosedAt).toBeLessThan(finishedAt - 200);
    expect(server.requests[1]!.completed).toBe(true);
    expect(hedgeOutcomes(reports)).toEqual(['started claude-sonnet-4-6', 'won claude-sonnet-4-6', 'lost claude-sonnet-4-6']);
  });

  it('races a stream whose first content is slow (message_start came, then nothing) with another model; the final message names it', async () => {
    const slowContent = { ...textReply('slow answer', { chunkSize: 100 }), chunkDelayMs: 3_000 };
    const { server, client, reports } = await setup([slowContent, textReply('from haiku')], { hedge: { afterMs: 150, model: 'claude-haiku-4-5' } });
    const message = await lastValueFrom(client.messages.stream(params).pipe(finalMessage()));
    expect(message.model).toBe('claude-haiku-4-5');
    expect(message.content).toEqual([expect.objectContaining({ type: 'text', text: 'from haiku' })]);
    expect((server.requests[1]!.body as { model: string }).model).toBe('claude-haiku-4-5');
    await server.requests[0]!.closed;
    expect(server.requests[0]!.abortedByClient).toBe(true);
    expect(hedgeOutcomes(reports)).toEqual(['started claude-haiku-4-5', 'won claude-haiku-4-5', 'lost claude-sonnet-4-6']);
  });

  it('holds a contender’s events until one of them is content, even when that is a delta: the consumer gets them in order', async () => {
    // A delta with no block started before it: the operators refuse such a stream, the raw events keep its order.
    const start = { type: 'message_start', message: { id: 'msg_1', type: 'message', role: 'assistant', model: 'claude-sonnet-4-6', content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 5, output_tokens: 1 } } };
    const deltaFirst = eventsReply([start, { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Hi' } }, { type: 'message_stop' }]);
    const { client } = await setup([deltaFirst], { hedge: { afterMs: 2_000 } });
    const events = await lastValueFrom(client.messages.stream(params).pipe(toArray()));
    expect(events.map((event) => event.type)).toEqual(['message_start', 'content_block_delta', 'message_stop']);
  });

  it('sends no second request when content comes within afterMs', async () => {
    const { server, client, reports } = await setup([textReply('quick'), textReply('never')], { hedge: { afterMs: 2_000 } });
    const text = (await lastValueFrom(client.messages.stream(params).pipe(textDeltas(), toArray()))).join('');
    expect(text).toBe('quick');
    expect(server.requests).toHaveLength(1);
    expect(reports).toEqual([]);
  });

  it('a request’s hedge overrides the client’s, and lets the original win when the hedge is slower', async () => {
    const original = { ...textReply('original', { chunkSize: 100 }), chunkDelayMs: 200 };
    const slower = { ...textReply('hedge'), delayMs: 5_000 };
    const { server, client, reports } = await setup([original, slower], { hedge: { afterMs: 10_000 } });
    const text = (await lastValueFrom(client.messages.stream(params, { hedge: { afterMs: 100 } }).pipe(textDeltas(), toArray()))).join('');
    expect(text).toBe('original');
    await server.requests[1]!.closed;
    expect(server.requests[1]!.abortedByClient).toBe(true);
    expect(hedgeOutcomes(reports)).toEqual(['started claude-sonnet-4-6', 'won claude-sonnet-4-6', 'lost claude-sonnet-4-6']);
  });

  it('goes on with the hedge when the original fails mid-wait', async () => {
    const failing = eventsReply([{ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }], { delayMs: 300 });
    const { client, reports } = await setup([failing, { ...textReply('second'), delayMs: 400 }], { hedge: { afterMs: 100 } });
    const text = (await lastValueFrom(client.messages.stream(params).pipe(textDeltas(), toArray()))).join('');
    expect(text).toBe('second');
    expect(hedgeOutcomes(reports)).toEqual(['started claude-sonnet-4-6', 'lost claude-sonnet-4-6', 'won claude-sonnet-4-6']);
  });

  it('hedges each turn of a tool loop: the slow first turn is raced, the tool runs once, the loop goes on', async () => {
    const calls: string[] = [];
    const getWeather = defineTool({ name: 'get_weather', description: 'Weather of a city', input: t.type({ city: t.string }), run: ({ city }) => (calls.push(city), 'Sunny') });
    const slowToolUse = { ...toolUseReply([{ name: 'get_weather', input: { city: 'Oslo' } }]), delayMs: 5_000 };
    const { server, client, reports } = await setup([slowToolUse, toolUseReply([{ name: 'get_weather', input: { city: 'Paris' } }]), textReply('It is sunny.')], { hedge: { afterMs: 150 } });
    const turns = await lastValueFrom(client.messages.toolLoop(params, { tools: [getWeather] }).pipe(turnMessages(), toArray()));
    expect(turns.map((message) => message.stop_reason)).toEqual(['tool_use', 'end_turn']);
    expect(calls).toEqual(['Paris']);
    expect(server.requests).toHaveLength(3);
    await server.requests[0]!.closed;
    expect(server.requests[0]!.abortedByClient).toBe(true);
    expect(hedgeOutcomes(reports)).toEqual(['started claude-sonnet-4-6', 'won claude-sonnet-4-6', 'lost claude-sonnet-4-6']);
  });

  it('unsubscribing closes both requests', async () => {
    const { server, client } = await setup([{ ...textReply('a'), delayMs: 10_000 }, { ...textReply('b'), delayMs: 10_000 }], { hedge: { afterMs: 100 } });
    const subscription = client.messages.stream(params).subscribe();
    const [first, second] = await Promise.all([server.waitForRequest(0), server.waitForRequest(1)]);
    subscription.unsubscribe();
    await Promise.all([first.closed, second.closed]);
    expect(first.abortedByClient).toBe(true);
    expect(second.abortedByClient).toBe(true);
  });
});
