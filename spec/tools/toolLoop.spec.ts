import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import * as t from 'io-ts';
import { filter, firstValueFrom, lastValueFrom, map, Observable, of, take, timer, toArray } from 'rxjs';
import {
  BadRequestError,
  createClient,
  defineTool,
  finalMessage,
  textDeltas,
  toolLoop,
  toolProgress,
  UnknownToolError,
  type MessageCreateParams,
  type ToolLoopEndEvent,
  type ToolLoopEvent,
  type ToolResultEvent,
} from 'rx-anthropic';
import { createMockServer, errorReply, messageReply, sseReply, textReply, toolUseReply, type MockServer } from 'rx-anthropic/testing';

const FIXTURES = resolve(__dirname, '../fixtures/sdk-sse');
const params: MessageCreateParams = { model: 'claude-test', max_tokens: 256, messages: [{ role: 'user', content: 'Weather in Paris?' }] };

let server: MockServer;
afterEach(async () => server?.close());
const clientFor = (s: MockServer) => createClient({ baseURL: s.baseURL, apiKey: 'k', maxRetries: 0 });
const runLoop = (s: MockServer, options: Parameters<typeof toolLoop>[1], p = params) => lastValueFrom(of(p).pipe(toolLoop(clientFor(s), options), toArray()));
const endOf = (events: ToolLoopEvent[]) => events[events.length - 1] as ToolLoopEndEvent;
const resultsOf = (events: ToolLoopEvent[]) => events.filter((e): e is ToolResultEvent => e.type === 'tool_result');

const getWeather = defineTool({
  name: 'get_weather',
  description: 'The weather in a city',
  input: t.type({ city: t.string }),
  run: ({ city }) => `Sunny in ${city}`,
});

describe('toolLoop', () => {
  it('runs a two-turn weather loop: events of both turns, the tool result, then the end', async () => {
    server = await createMockServer([toolUseReply([{ id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } }]), textReply('It is sunny in Paris.')]);
    const events = await runLoop(server, { tools: [getWeather] });
    const types = events.map((e) => e.type);
    expect(types.filter((type) => type === 'message_start')).toHaveLength(2);
    const resultAt = types.indexOf('tool_result');
    expect(types.indexOf('message_stop')).toBeLessThan(resultAt);
    expect(types.lastIndexOf('message_start')).toBeGreaterThan(resultAt);
    expect(resultsOf(events)).toEqual([{ type: 'tool_result', tool_use_id: 'toolu_1', name: 'get_weather', content: 'Sunny in Paris', is_error: false }]);
    const end = endOf(events);
    expect(end).toMatchObject({ type: 'tool_loop_end', stop_reason: 'end_turn', iterations: 2 });
    expect(end.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user', 'assistant']);

    const [first, second] = server.requests;
    expect(first?.body).toMatchObject({
      stream: true,
      tools: [{ name: 'get_weather', description: 'The weather in a city', input_schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } }],
    });
    expect(Object.keys((first?.body as { tools: object[] }).tools[0] as object).sort()).toEqual(['description', 'input_schema', 'name']);
    expect((second?.body as { messages: unknown[] }).messages).toEqual([
      params.messages[0],
      { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } }] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: 'Sunny in Paris' }] },
    ]);
  });

  it('replays the recorded tool-runner exchange and sends the recorded second request', async () => {
    const read = (name: string) => readFileSync(resolve(FIXTURES, name), 'utf8');
    const turn1 = JSON.parse(read('tool-runner-streaming.turn1.py.request.json')) as MessageCreateParams & { tools: { input_schema: object }[] };
    const turn2 = JSON.parse(read('tool-runner-streaming.turn2.py.request.json')) as MessageCreateParams;
    const expected = JSON.parse(read('tool-runner-streaming.turn2.py.expected.json')) as { message: { content: { text: string }[] } };
    const weather = defineTool({
      name: 'get_weather',
      description: 'Lookup the weather for a given city in either celsius or fahrenheit',
      input: t.type({ location: t.string, units: t.keyof({ c: null, f: null }) }),
      inputSchema: turn1.tools[0]?.input_schema as never,
      run: ({ location }) => `{"location": "${location}", "temperature": "68\\u00b0F", "condition": "Sunny"}`,
    });
    server = await createMockServer([sseReply(read('tool-runner-streaming.turn1.py.sse')), sseReply(read('tool-runner-streaming.turn2.py.sse'))]);
    const { tools: _tools, stream: _stream, ...request } = turn1;
    const events = await runLoop(server, { tools: [weather] }, request);
    expect((server.requests[0]?.body as { tools: unknown }).tools).toEqual(turn1.tools);
    expect((server.requests[1]?.body as { messages: unknown }).messages).toEqual(turn2.messages);
    const final = await lastValueFrom(of(...events).pipe(finalMessage()));
    expect(final.content).toEqual([expect.objectContaining({ type: 'text', text: expected.message.content[0]?.text })]);
  });

  it('runs the tools of a turn in parallel and sends the results in tool_use order', async () => {
    const spans: Record<string, [number, number]> = {};
    const slow = defineTool({
      name: 'slow',
      description: 'Waits, then answers',
      input: t.type({ id: t.string, ms: t.number }),
      run: ({ id, ms }) =>
        new Observable<string>((subscriber) => {
          const start = performance.now();
          const handle = setTimeout(() => {
            spans[id] = [start, performance.now()];
            subscriber.next(`done ${id}`);
            subscriber.complete();
          }, ms);
          return () => clearTimeout(handle);
        }),
    });
    server = await createMockServer([
      toolUseReply([
        { id: 'a', name: 'slow', input: { id: 'a', ms: 120 } },
        { id: 'b', name: 'slow', input: { id: 'b', ms: 40 } },
      ]),
      textReply('ok'),
    ]);
    const events = await runLoop(server, { tools: [slow] });
    const [a, b] = [spans['a'] as [number, number], spans['b'] as [number, number]];
    expect(Math.max(a[0], b[0])).toBeLessThan(Math.min(a[1], b[1]));
    expect(resultsOf(events).map((r) => r.tool_use_id)).toEqual(['b', 'a']);
    const sent = (server.requests[1]?.body as { messages: { content: { tool_use_id: string }[] }[] }).messages[2]?.content;
    expect(sent?.map((block) => block.tool_use_id)).toEqual(['a', 'b']);
  });

  it('runs one tool at a time with concurrency 1', async () => {
    const log: string[] = [];
    const step = defineTool({
      name: 'step',
      description: 'Logs its start and end',
      input: t.type({ id: t.string }),
      run: ({ id }) => {
        log.push(`start ${id}`);
        return new Promise<string>((done) => setTimeout(() => (log.push(`end ${id}`), done(id)), 20));
      },
    });
    server = await createMockServer([
      toolUseReply([
        { name: 'step', input: { id: '1' } },
        { name: 'step', input: { id: '2' } },
        { name: 'step', input: { id: '3' } },
      ]),
      textReply('ok'),
    ]);
    await runLoop(server, { tools: [step], concurrency: 1 });
    expect(log).toEqual(['start 1', 'end 1', 'start 2', 'end 2', 'start 3', 'end 3']);
  });

  it('turns a throwing tool, an unknown tool and invalid input into is_error results and goes on', async () => {
    const broken = defineTool({
      name: 'broken',
      description: 'Always fails',
      input: t.type({}),
      run: () => {
        throw new Error('database is down');
      },
    });
    server = await createMockServer([
      toolUseReply([
        { id: 't1', name: 'broken', input: {} },
        { id: 't2', name: 'teleport', input: {} },
        { id: 't3', name: 'get_weather', input: { city: 42 } },
      ]),
      textReply('Sorry.'),
    ]);
    const events = await runLoop(server, { tools: [broken, getWeather] });
    const [thrown, unknown, invalid] = resultsOf(events);
    // The model reads what the official runners send; the app gets the error itself.
    expect(thrown).toMatchObject({ is_error: true, content: 'Error: database is down' });
    expect(thrown?.error).toEqual(new Error('database is down'));
    expect(unknown).toMatchObject({ is_error: true, content: "Error: Tool 'teleport' not found" });
    expect(unknown?.error).toBeInstanceOf(UnknownToolError);
    expect((unknown?.error as UnknownToolError).message).toBe('No tool named "teleport" can run at this turn (tools the loop runs: broken, get_weather).');
    expect(invalid).toMatchObject({ is_error: true });
    expect(invalid?.content).toContain('city');
    expect(invalid).not.toHaveProperty('error');
    expect(endOf(events).stop_reason).toBe('end_turn');
    const sent = (server.requests[1]?.body as { messages: { content: { is_error?: boolean }[] }[] }).messages[2]?.content;
    expect(sent?.map((block) => block.is_error)).toEqual([true, true, true]);
  });

  it('stops on refusal without running tools', async () => {
    let runs = 0;
    const counted = defineTool({ name: 'get_weather', description: 'd', input: t.type({ city: t.string }), run: () => (runs += 1, 'x') });
    server = await createMockServer([toolUseReply([{ name: 'get_weather', input: { city: 'Paris' } }], { stopReason: 'refusal' })]);
    const events = await runLoop(server, { tools: [counted] });
    expect(runs).toBe(0);
    expect(endOf(events)).toMatchObject({ stop_reason: 'refusal', iterations: 1 });
    expect(server.requests).toHaveLength(1);
  });

  it('stops after maxIterations requests, the last turn\'s tools still run', async () => {
    let runs = 0;
    const counted = defineTool({ name: 'get_weather', description: 'd', input: t.type({ city: t.string }), run: () => (runs += 1, 'x') });
    const ask = () => toolUseReply([{ name: 'get_weather', input: { city: 'Paris' } }]);
    server = await createMockServer([ask(), ask(), ask()]);
    const events = await runLoop(server, { tools: [counted], maxIterations: 2 });
    expect(server.requests).toHaveLength(2);
    expect(runs).toBe(2);
    const end = endOf(events);
    expect(end).toMatchObject({ stop_reason: 'max_iterations', iterations: 2 });
    expect(end.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user', 'assistant', 'user']);
  });

  it('reports the stop reason of a turn without tool use (max_tokens)', async () => {
    server = await createMockServer([textReply('cut', { stopReason: 'max_tokens' })]);
    expect(endOf(await runLoop(server, { tools: [getWeather] })).stop_reason).toBe('max_tokens');
  });

  it('runs tools only for a turn that stopped with tool_use: a call cut off by max_tokens is not run', async () => {
    let runs = 0;
    const counted = defineTool({ name: 'get_weather', description: 'd', input: t.type({ city: t.string }), run: () => (runs += 1, 'x') });
    server = await createMockServer([toolUseReply([{ name: 'get_weather', input: { city: 'Paris' } }], { stopReason: 'max_tokens' })]);
    const end = endOf(await runLoop(server, { tools: [counted] }));
    expect(runs).toBe(0);
    expect(end).toMatchObject({ stop_reason: 'max_tokens', iterations: 1 });
    expect(server.requests).toHaveLength(1);
  });

  it('adds up the usage of every turn in the end event', async () => {
    server = await createMockServer([
      toolUseReply([{ name: 'get_weather', input: { city: 'Oslo' } }], { usage: { input_tokens: 100, output_tokens: 20, cache_read_input_tokens: 50 } }),
      textReply('Cold.', { usage: { input_tokens: 130, output_tokens: 5, cache_creation_input_tokens: 7 } }),
    ]);
    expect(endOf(await runLoop(server, { tools: [getWeather] })).usage).toEqual({
      input_tokens: 230,
      output_tokens: 25,
      cache_creation_input_tokens: 7,
      cache_read_input_tokens: 50,
    });
  });

  it('cancels a running tool and the request on unsubscribe', async () => {
    let tornDown = false;
    let signal: AbortSignal | undefined;
    const hanging = defineTool({
      name: 'hang',
      description: 'Never finishes',
      input: t.type({}),
      run: (_input, ctx) => {
        signal = ctx.signal;
        return new Observable<string>(() => () => (tornDown = true));
      },
    });
    server = await createMockServer([toolUseReply([{ name: 'hang', input: {} }])]);
    const subscription = of(params).pipe(toolLoop(clientFor(server), { tools: [hanging] })).subscribe();
    for (let i = 0; i < 100 && !signal; i += 1) await new Promise((r) => setTimeout(r, 10));
    expect(signal?.aborted).toBe(false);
    subscription.unsubscribe();
    expect(tornDown).toBe(true);
    expect(signal?.aborted).toBe(true);
  });

  it('aborts the request in flight on unsubscribe: the server sees the socket close', async () => {
    server = await createMockServer([textReply('a slow answer', { chunkDelayMs: 50, chunkSize: 1 })]);
    await firstValueFrom(of(params).pipe(toolLoop(clientFor(server), { tools: [getWeather] }), textDeltas()));
    const request = await server.waitForRequest(0);
    await request.closed;
    expect(request.abortedByClient).toBe(true);
  });

  it('emits tool_progress for toolProgress() values, then the result', async () => {
    const progressive = defineTool({
      name: 'progressive',
      description: 'Counts to three',
      input: t.type({}),
      run: () => timer(0, 5).pipe(take(4), map((n) => (n < 3 ? toolProgress({ step: n + 1 }) : 'counted'))),
    });
    server = await createMockServer([toolUseReply([{ id: 'p', name: 'progressive', input: {} }]), textReply('ok')]);
    const events = await runLoop(server, { tools: [progressive] });
    const toolEvents = events.filter((e) => e.type === 'tool_progress' || e.type === 'tool_result');
    expect(toolEvents).toEqual([
      { type: 'tool_progress', tool_use_id: 'p', name: 'progressive', progress: { step: 1 } },
      { type: 'tool_progress', tool_use_id: 'p', name: 'progressive', progress: { step: 2 } },
      { type: 'tool_progress', tool_use_id: 'p', name: 'progressive', progress: { step: 3 } },
      { type: 'tool_result', tool_use_id: 'p', name: 'progressive', content: 'counted', is_error: false },
    ]);
  });

  it('carries the container id into the next request', async () => {
    server = await createMockServer([
      messageReply({
        content: [{ type: 'tool_use', id: 'toolu_c', name: 'get_weather', input: { city: 'Oslo' } }],
        stop_reason: 'tool_use',
        container: { id: 'container_9', expires_at: '2030-01-01T00:00:00Z' },
      }),
      textReply('ok'),
    ]);
    await runLoop(server, { tools: [getWeather] });
    expect((server.requests[1]?.body as { container?: string }).container).toBe('container_9');
  });

  it('sends plain API tools after those of the params, stripped of nothing', async () => {
    server = await createMockServer([textReply('ok')]);
    const webSearch = { type: 'web_search_20250305', name: 'web_search', max_uses: 2 };
    const own = { name: 'lookup', description: 'elsewhere', input_schema: { type: 'object' as const } };
    await runLoop(server, { tools: [getWeather, webSearch] }, { ...params, tools: [own] });
    expect((server.requests[0]?.body as { tools: { name: string }[] }).tools.map((tool) => tool.name)).toEqual(['lookup', 'get_weather', 'web_search']);
    expect((server.requests[0]?.body as { tools: unknown[] }).tools[2]).toEqual(webSearch);
  });

  it('fails with the typed error of a turn', async () => {
    server = await createMockServer([toolUseReply([{ name: 'get_weather', input: { city: 'Rome' } }]), errorReply(400, { type: 'invalid_request_error', message: 'bad tool_result' })]);
    const error = await runLoop(server, { tools: [getWeather] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BadRequestError);
  });

  it('works with textDeltas and finalMessage downstream across turns, and as client.messages.toolLoop', async () => {
    server = await createMockServer([
      toolUseReply([{ name: 'get_weather', input: { city: 'Lima' } }], { text: 'Let me check. ' }),
      textReply('Sunny in Lima.'),
    ]);
    const events = await lastValueFrom(clientFor(server).messages.toolLoop(params, { tools: [getWeather] }).pipe(toArray()));
    expect((await lastValueFrom(of(...events).pipe(textDeltas(), toArray()))).join('')).toBe('Let me check. Sunny in Lima.');
    expect((await lastValueFrom(of(...events).pipe(finalMessage()))).content).toEqual([{ type: 'text', text: 'Sunny in Lima.' }]);
  });

  it('runs each params of the source in order', async () => {
    server = await createMockServer([textReply('first'), textReply('second')]);
    const texts = await lastValueFrom(
      of(params, params).pipe(
        toolLoop(clientFor(server), { tools: [] }),
        filter((e): e is ToolLoopEndEvent => e.type === 'tool_loop_end'),
        map((end) => JSON.stringify(end.message.content)),
        toArray(),
      ),
    );
    expect(texts).toEqual([JSON.stringify([{ type: 'text', text: 'first' }]), JSON.stringify([{ type: 'text', text: 'second' }])]);
  });
});
