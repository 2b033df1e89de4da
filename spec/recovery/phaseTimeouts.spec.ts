/**
 * Timeouts by phase against the mock server over loopback: each phase fires `APITimeoutError`
 * naming it, closes the socket, and is reported; a stream that keeps sending within its bounds
 * is not cut.
 */
import { lastValueFrom, toArray } from 'rxjs';
import * as t from 'io-ts';
import { APITimeoutError, defineTool, textDeltas, type MessageCreateParams, type RecoveryEvent } from 'rx-anthropic';
import { textReply, toolUseReply } from 'rx-anthropic/testing';
import { recoveringClients } from './support/recoveringClient';

const params: MessageCreateParams = { model: 'claude-sonnet-4-6', max_tokens: 100, messages: [{ role: 'user', content: 'Hi' }] };

/** A server answering its requests with `turns` in order, and a client on it that keeps its recoveries; closed after each test. */
const setup = recoveringClients();

const errorOf = (promise: Promise<unknown>): Promise<unknown> => promise.then(
  () => undefined,
  (error: unknown) => error,
);

const timeoutReports = (reports: readonly RecoveryEvent[]) => reports.flatMap((event) => (event.kind === 'timeout' ? [[event.phase, event.ms]] : []));

describe('timeouts by phase over loopback', () => {
  it('firstTokenMs: a stream whose first content is slow fails, and its socket is closed', async () => {
    const { server, client, reports } = await setup([{ ...textReply('late', { chunkSize: 100 }), chunkDelayMs: 2_000 }], { timeout: { firstTokenMs: 300 } });
    const error = await errorOf(lastValueFrom(client.messages.stream(params)));
    expect(error).toBeInstanceOf(APITimeoutError);
    expect((error as APITimeoutError).phase).toBe('firstToken');
    await server.requests[0]!.closed;
    expect(server.requests[0]!.abortedByClient).toBe(true);
    expect(timeoutReports(reports)).toEqual([['firstToken', 300]]);
  });

  it('idleMs: headers then silence fails after idleMs, retried as a wait before the first byte, then reported', async () => {
    const { server, client, reports } = await setup(
      [
        { ...textReply('never'), hangAfterHeaders: true },
        { ...textReply('never'), hangAfterHeaders: true },
      ],
      { timeout: { idleMs: 200 }, maxRetries: 1 },
    );
    const error = await errorOf(lastValueFrom(client.messages.stream(params)));
    expect((error as APITimeoutError).message).toBe('Request timed out: nothing received for idleMs 200 ms.');
    expect(server.requests).toHaveLength(2);
    await Promise.all(server.requests.map((request) => request.closed));
    expect(server.requests.every((request) => request.abortedByClient)).toBe(true);
    // The first one was retried (a retry, on the span); the last ended the request (a recovery event).
    expect(timeoutReports(reports)).toEqual([['idle', 200]]);
  });

  it('idleMs: a stream that sends often enough runs far longer than idleMs', async () => {
    const text = 'a steady answer';
    const { client, reports } = await setup([{ ...textReply(text, { chunkSize: 1 }), chunkDelayMs: 30 }], { timeout: { idleMs: 400 } });
    const started = Date.now();
    expect((await lastValueFrom(client.messages.stream(params).pipe(textDeltas(), toArray()))).join('')).toBe(text);
    expect(Date.now() - started).toBeGreaterThan(400);
    expect(reports).toEqual([]);
  });

  it('totalMs: a stream still sending is cut at totalMs, its socket closed', async () => {
    const { server, client, reports } = await setup([{ ...textReply('x'.repeat(200), { chunkSize: 1 }), chunkDelayMs: 20 }]);
    const error = await errorOf(lastValueFrom(client.messages.stream(params, { timeout: { totalMs: 500 } }).pipe(textDeltas(), toArray())));
    expect((error as APITimeoutError).phase).toBe('total');
    await server.requests[0]!.closed;
    expect(server.requests[0]!.abortedByClient).toBe(true);
    expect(timeoutReports(reports)).toEqual([['total', 500]]);
  });

  it('applies to each request of a tool loop: a slow second turn fails the loop with firstTokenMs, after the first turn ran its tool', async () => {
    const ran: string[] = [];
    const getWeather = defineTool({ name: 'get_weather', description: 'Weather of a city', input: t.type({ city: t.string }), run: ({ city }) => (ran.push(city), 'Sunny') });
    const slowSecond = { ...textReply('It is sunny.', { chunkSize: 100 }), chunkDelayMs: 2_000 };
    const { server, client, reports } = await setup([toolUseReply([{ name: 'get_weather', input: { city: 'Oslo' } }]), slowSecond]);
    const loop = client.messages.toolLoop(params, { tools: [getWeather], requestOptions: { timeout: { firstTokenMs: 400 } } });
    const error = await errorOf(lastValueFrom(loop));
    expect((error as APITimeoutError).phase).toBe('firstToken');
    expect(ran).toEqual(['Oslo']);
    await server.requests[1]!.closed;
    expect(server.requests[1]!.abortedByClient).toBe(true);
    expect(timeoutReports(reports)).toEqual([['firstToken', 400]]);
  });

  it('totalMs: a request that is not streamed fails when its answer is slower', async () => {
    const { server, client } = await setup([{ ...textReply('slow'), delayMs: 3_000 }]);
    const error = await errorOf(lastValueFrom(client.messages.create(params, { timeout: { totalMs: 300 } })));
    expect((error as APITimeoutError).message).toBe('Request timed out: not finished within totalMs 300 ms.');
    await server.requests[0]!.closed;
    expect(server.requests[0]!.abortedByClient).toBe(true);
  });
});
