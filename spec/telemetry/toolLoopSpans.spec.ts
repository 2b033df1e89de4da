import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import * as t from 'io-ts';
import { lastValueFrom, NEVER, of, take, toArray } from 'rxjs';
import { BadRequestError, createClient, defineTool, toolLoop, type MessageCreateParams } from 'rx-anthropic';
import { openTelemetry } from 'rx-anthropic/otel';
import { errorReply, textReply, toolUseReply, type MockServer } from 'rx-anthropic/testing';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { onlySpan, parentOf, spansNamed, traceEachTest, uninstallTracing } from './support/tracing';

const params: MessageCreateParams = { model: 'claude-sonnet-4-6', max_tokens: 256, messages: [{ role: 'user', content: 'Weather in Paris and Rome?' }] };

const getWeather = defineTool({
  name: 'get_weather',
  description: 'The weather in a city',
  input: t.type({ city: t.string }),
  run: ({ city }) => {
    if (city === 'Atlantis') throw new Error('No such city');
    return `Sunny in ${city}`;
  },
});

const tracing = traceEachTest();
let server: MockServer | undefined;

const clientFor = (s: MockServer) => createClient({ baseURL: s.baseURL, apiKey: 'sk-test', maxRetries: 0, telemetry: openTelemetry() });
const idOf = (span: ReadableSpan) => span.spanContext().spanId;
const byIteration = (spans: ReadableSpan[]) => [...spans].sort((a, b) => Number(a.attributes['anthropic.tool_loop.iteration']) - Number(b.attributes['anthropic.tool_loop.iteration']));

describe('openTelemetry(): tool loop spans', () => {
  it('nests the spans: loop > turn > (its request, its tool runs), the next turn under the loop again', async () => {
    server = await tracing.serve([
      toolUseReply([
        { id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } },
        { id: 'toolu_2', name: 'get_weather', input: { city: 'Atlantis' } },
      ]),
      textReply('Sunny in Paris; Atlantis is not a city.', { usage: { input_tokens: 30, output_tokens: 10 } }),
    ]);
    const client = clientFor(server);
    let appSpanId: string | undefined;
    await trace.getTracer('app').startActiveSpan('agent job', async (active) => {
      appSpanId = active.spanContext().spanId;
      await lastValueFrom(client.messages.toolLoop(params, { tools: [getWeather] }).pipe(toArray()));
      active.end();
    });

    const loop = onlySpan(tracing.exporter, 'invoke_agent');
    expect(parentOf(loop)).toBe(appSpanId);
    expect(loop.status.code).toBe(SpanStatusCode.OK);
    expect(loop.attributes).toMatchObject({ 'gen_ai.operation.name': 'invoke_agent', 'anthropic.tool_loop.iterations': 2, 'anthropic.tool_loop.stop_reason': 'end_turn' });

    const turns = byIteration(spansNamed(tracing.exporter, 'anthropic.tool_loop.turn'));
    expect(turns.map((turn) => turn.attributes['anthropic.tool_loop.iteration'])).toEqual([1, 2]);
    for (const turn of turns) expect(parentOf(turn)).toBe(idOf(loop));

    const requests = spansNamed(tracing.exporter, 'chat claude-sonnet-4-6');
    expect(requests).toHaveLength(2);
    expect(requests.map(parentOf).sort()).toEqual(turns.map(idOf).sort());
    // Each request carried its own span's context, in the loop's trace.
    for (const request of server.requests) expect(request.headers['traceparent']).toContain(loop.spanContext().traceId);

    const tools = spansNamed(tracing.exporter, 'execute_tool get_weather');
    expect(tools).toHaveLength(2);
    for (const tool of tools) {
      expect(parentOf(tool)).toBe(idOf(turns[0]!));
      expect(tool.kind).toBe(SpanKind.INTERNAL);
    }
    const paris = tools.find((tool) => tool.attributes['gen_ai.tool.call.id'] === 'toolu_1')!;
    const atlantis = tools.find((tool) => tool.attributes['gen_ai.tool.call.id'] === 'toolu_2')!;
    expect(paris.attributes).toMatchObject({ 'gen_ai.tool.name': 'get_weather', 'gen_ai.tool.description': 'The weather in a city', 'gen_ai.tool.type': 'function' });
    expect(paris.status.code).toBe(SpanStatusCode.OK);
    expect(atlantis.status.code).toBe(SpanStatusCode.ERROR);
    expect(atlantis.attributes['error.type']).toBe('tool_error');
    // No content: neither the arguments nor the results.
    expect(JSON.stringify(tools.map((tool) => tool.attributes))).not.toMatch(/Paris|Sunny|No such city/);

    // The spans end in this order (the exporter gets each as it ends): the first request, the tools,
    // the first turn, then the second turn's request: a turn is over before the next one runs.
    const order = tracing.exporter.getFinishedSpans();
    const at = (span: ReadableSpan) => order.indexOf(span);
    const secondRequest = requests.find((request) => parentOf(request) === idOf(turns[1]!))!;
    for (const tool of tools) expect(at(tool)).toBeLessThan(at(turns[0]!));
    expect(at(turns[0]!)).toBeLessThan(at(secondRequest));
    expect(at(turns[1]!)).toBeLessThan(at(loop));
  });

  it('records tool arguments and results with contentMode: content', async () => {
    server = await tracing.serve([toolUseReply([{ id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } }]), textReply('Sunny.')]);
    const client = createClient({ baseURL: server.baseURL, apiKey: 'sk-test', maxRetries: 0, telemetry: openTelemetry({ traces: { contentMode: 'content' } }) });
    await lastValueFrom(of(params).pipe(toolLoop(client, { tools: [getWeather] })));
    const tool = onlySpan(tracing.exporter, 'execute_tool get_weather');
    expect(JSON.parse(tool.attributes['gen_ai.tool.call.arguments'] as string)).toEqual({ city: 'Paris' });
    expect(JSON.parse(tool.attributes['gen_ai.tool.call.result'] as string)).toBe('Sunny in Paris');
  });

  it("fails the loop's, the turn's and the request's spans with a request's error", async () => {
    server = await tracing.serve([toolUseReply([{ id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } }]), errorReply(400)]);
    await expect(lastValueFrom(clientFor(server).messages.toolLoop(params, { tools: [getWeather] }))).rejects.toBeInstanceOf(BadRequestError);
    const loop = onlySpan(tracing.exporter, 'invoke_agent');
    const turns = byIteration(spansNamed(tracing.exporter, 'anthropic.tool_loop.turn'));
    expect(turns.map((turn) => turn.status.code)).toEqual([SpanStatusCode.OK, SpanStatusCode.ERROR]);
    expect(loop.status.code).toBe(SpanStatusCode.ERROR);
    expect(loop.attributes['error.type']).toBe('invalid_request_error');
    const failed = spansNamed(tracing.exporter, 'chat claude-sonnet-4-6').find((span) => span.status.code === SpanStatusCode.ERROR);
    expect(parentOf(failed!)).toBe(idOf(turns[1]!));
  });

  it('ends every span as cancelled when the loop is unsubscribed while a tool runs: none is left open', async () => {
    const slow = defineTool({ name: 'wait', description: 'Waits forever', input: t.type({}), run: () => NEVER });
    server = await tracing.serve([toolUseReply([{ id: 'toolu_1', name: 'wait', input: {} }])]);
    const client = clientFor(server);
    await lastValueFrom(client.messages.toolLoop(params, { tools: [slow] }).pipe(take(1)));
    const started = tracing.exporter.getFinishedSpans().length;
    // The first event ends the subscription while the first request streams.
    expect(started).toBeGreaterThanOrEqual(3);
    for (const span of tracing.exporter.getFinishedSpans()) {
      expect(span.attributes['anthropic.cancelled']).toBe(true);
      expect(span.status.code).toBe(SpanStatusCode.UNSET);
    }

    tracing.exporter.reset();
    server.close();
    server = await tracing.serve([toolUseReply([{ id: 'toolu_1', name: 'wait', input: {} }])]);
    const running = clientFor(server).messages.toolLoop(params, { tools: [slow] }).subscribe();
    await new Promise((resolve) => setTimeout(resolve, 150));
    running.unsubscribe();
    const names = tracing.exporter.getFinishedSpans().map((span) => span.name).sort();
    expect(names).toEqual(['anthropic.tool_loop.turn', 'chat claude-sonnet-4-6', 'execute_tool wait', 'invoke_agent']);
    const tool = onlySpan(tracing.exporter, 'execute_tool wait');
    expect(tool.attributes['anthropic.cancelled']).toBe(true);
    expect(onlySpan(tracing.exporter, 'chat claude-sonnet-4-6').status.code).toBe(SpanStatusCode.OK);
  });
});

describe('openTelemetry(): a failing telemetry', () => {
  it("never fails a request or a loop: a span processor that throws at the start of every span but the loop's, and at every end, leaves them untraced", async () => {
    uninstallTracing();
    const { BasicTracerProvider } = await import('@opentelemetry/sdk-trace-base');
    const throwing = {
      onStart: (span: { name: string }) => {
        if (span.name !== 'invoke_agent') throw new Error('processor down');
      },
      onEnd: () => {
        throw new Error('processor down');
      },
      forceFlush: async () => undefined,
      shutdown: async () => undefined,
    };
    trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [throwing] }));
    server = await tracing.serve([toolUseReply([{ id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } }]), textReply('Sunny.'), textReply('Hello.')]);
    const client = clientFor(server);
    const events = await lastValueFrom(client.messages.toolLoop(params, { tools: [getWeather] }).pipe(toArray()));
    expect(events[events.length - 1]).toMatchObject({ type: 'tool_loop_end', stop_reason: 'end_turn' });
    await expect(lastValueFrom(client.messages.create(params))).resolves.toMatchObject({ type: 'message' });
  });
});

it('refuses a telemetry option that is not a Telemetry (openTelemetry itself, not called)', () => {
  expect(() => createClient({ apiKey: 'k', telemetry: openTelemetry as never })).toThrow(/telemetry option must be a Telemetry, such as openTelemetry\(\) from rx-anthropic\/otel/);
});
