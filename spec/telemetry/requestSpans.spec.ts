import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { lastValueFrom, take, toArray } from 'rxjs';
import { BadRequestError, createClient, OverloadedError, textDeltas, type ClientOptions, type MessageCreateParams } from 'rx-anthropic';
import { openTelemetry } from 'rx-anthropic/otel';
import { errorReply, textReply, type MockServer } from 'rx-anthropic/testing';
import { startResumableRelay } from '../client/support/resumableRelay';
import { onlySpan, parentOf, traceEachTest, uninstallTracing } from './support/tracing';

const PROMPT = 'What is the secret word? PROMPT-TEXT-7f3a';
const REPLY = 'The word is REPLY-TEXT-91c2.';
const params: MessageCreateParams = { model: 'claude-sonnet-4-6', max_tokens: 300, system: 'SYSTEM-TEXT-55aa', messages: [{ role: 'user', content: PROMPT }] };
const SPAN = 'chat claude-sonnet-4-6';
const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-01$/;

const tracing = traceEachTest();
let server: MockServer | undefined;

const clientFor = (s: MockServer, options: ClientOptions = {}) => createClient({ baseURL: s.baseURL, apiKey: 'sk-test', maxRetries: 0, telemetry: openTelemetry(), ...options });
const allAttributes = () => JSON.stringify(tracing.exporter.getFinishedSpans().map((span) => [span.attributes, span.events]));

describe('openTelemetry(): a span per request', () => {
  it('gives a streamed request one CLIENT span named chat {model}, with the GenAI attributes, and sends its trace context', async () => {
    server = await tracing.serve([textReply(REPLY, { usage: { input_tokens: 12, output_tokens: 7, cache_read_input_tokens: 5 } })]);
    const text = (await lastValueFrom(clientFor(server).messages.stream(params).pipe(textDeltas(), toArray()))).join('');
    expect(text).toBe(REPLY);

    const span = onlySpan(tracing.exporter, SPAN);
    expect(span.kind).toBe(SpanKind.CLIENT);
    expect(span.status.code).toBe(SpanStatusCode.OK);
    expect(span.attributes).toMatchObject({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'anthropic',
      'gen_ai.request.model': 'claude-sonnet-4-6',
      'gen_ai.request.max_tokens': 300,
      'gen_ai.request.stream': true,
      'gen_ai.usage.input_tokens': 17,
      'gen_ai.usage.cache_read.input_tokens': 5,
      'gen_ai.usage.output_tokens': 7,
      'gen_ai.response.finish_reasons': ['end_turn'],
      'anthropic.request.id': server.requests[0]!.requestId,
      'http.request.method': 'POST',
      'http.response.status_code': 200,
      'server.address': '127.0.0.1',
    });
    expect(typeof span.attributes['gen_ai.response.id']).toBe('string');
    const firstToken = span.events.find((event) => event.name === 'gen_ai.first_token');
    expect(firstToken?.attributes?.['gen_ai.response.time_to_first_chunk']).toEqual(expect.any(Number));

    const [, traceId, spanId] = TRACEPARENT.exec(server.requests[0]!.headers['traceparent'] ?? '') ?? [];
    expect(traceId).toBe(span.spanContext().traceId);
    expect(spanId).toBe(span.spanContext().spanId);
  });

  it('records a request that is not streamed from its message, and countTokens as its own span', async () => {
    server = await tracing.serve([textReply(REPLY, { usage: { input_tokens: 9, output_tokens: 4 }, stopReason: 'max_tokens' })]);
    const client = clientFor(server);
    await lastValueFrom(client.messages.create(params));
    const span = onlySpan(tracing.exporter, SPAN);
    expect(span.attributes).toMatchObject({ 'gen_ai.usage.input_tokens': 9, 'gen_ai.usage.output_tokens': 4, 'gen_ai.response.finish_reasons': ['max_tokens'] });
    expect(span.attributes['gen_ai.request.stream']).toBeUndefined();
    expect(span.status.code).toBe(SpanStatusCode.OK);

    await lastValueFrom(client.messages.countTokens(params));
    const count = onlySpan(tracing.exporter, 'anthropic.messages.count_tokens');
    expect(count.attributes['gen_ai.request.model']).toBe('claude-sonnet-4-6');
    expect(count.attributes['gen_ai.usage.input_tokens']).toEqual(expect.any(Number));
  });

  it('is a child of the span current when the request is subscribed', async () => {
    server = await tracing.serve([textReply(REPLY)]);
    const client = clientFor(server);
    let parent: { traceId: string; spanId: string } | undefined;
    await trace.getTracer('app').startActiveSpan('handle request', async (active) => {
      parent = active.spanContext();
      await lastValueFrom(client.messages.stream(params));
      active.end();
    });
    const span = onlySpan(tracing.exporter, SPAN);
    expect(parentOf(span)).toBe(parent!.spanId);
    expect(span.spanContext().traceId).toBe(parent!.traceId);
    expect(server.requests[0]!.headers['traceparent']).toContain(parent!.traceId);
  });

  it('sends no trace context with propagation: false, and still records the span', async () => {
    server = await tracing.serve([textReply(REPLY)]);
    await lastValueFrom(clientFor(server, { telemetry: openTelemetry({ propagation: false }) }).messages.stream(params));
    expect(server.requests[0]!.headers['traceparent']).toBeUndefined();
    expect(onlySpan(tracing.exporter, SPAN).status.code).toBe(SpanStatusCode.OK);
  });

  it('records nothing and sends no traceparent when no tracer provider is registered', async () => {
    uninstallTracing();
    server = await tracing.serve([textReply(REPLY)]);
    const text = (await lastValueFrom(clientFor(server).messages.stream(params).pipe(textDeltas(), toArray()))).join('');
    expect(text).toBe(REPLY);
    expect(tracing.exporter.getFinishedSpans()).toHaveLength(0);
    expect(server.requests[0]!.headers['traceparent']).toBeUndefined();
  });

  it('records nothing with openTelemetry(false) or ANTHROPIC_OPEN_TELEMETRY=false', async () => {
    server = await tracing.serve([textReply(REPLY), textReply(REPLY)]);
    await lastValueFrom(clientFor(server, { telemetry: openTelemetry(false) }).messages.stream(params));
    process.env['ANTHROPIC_OPEN_TELEMETRY'] = 'false';
    try {
      await lastValueFrom(clientFor(server, { telemetry: openTelemetry() }).messages.stream(params));
    } finally {
      delete process.env['ANTHROPIC_OPEN_TELEMETRY'];
    }
    expect(tracing.exporter.getFinishedSpans()).toHaveLength(0);
    expect(server.requests.map((request) => request.headers['traceparent'])).toEqual([undefined, undefined]);
  });

  it('records an API error on the span: ERROR, its error.type and status, an exception event', async () => {
    server = await tracing.serve([errorReply(400, { message: 'max_tokens: field required' })]);
    await expect(lastValueFrom(clientFor(server).messages.stream(params))).rejects.toBeInstanceOf(BadRequestError);
    const span = onlySpan(tracing.exporter, SPAN);
    expect(span.status.code).toBe(SpanStatusCode.ERROR);
    expect(span.attributes).toMatchObject({ 'error.type': 'invalid_request_error', 'http.response.status_code': 400 });
    expect(span.events.find((event) => event.name === 'exception')?.attributes?.['exception.type']).toBe('BadRequestError');
  });

  it('keeps one span across retries: each retry an event, the resend count, and the last failure (529) as its error', async () => {
    const overloaded = errorReply(529, { headers: { 'retry-after-ms': '5' } });
    server = await tracing.serve([overloaded, overloaded, overloaded]);
    await expect(lastValueFrom(clientFor(server, { maxRetries: 2 }).messages.stream(params))).rejects.toBeInstanceOf(OverloadedError);
    expect(server.requests).toHaveLength(3);
    const span = onlySpan(tracing.exporter, SPAN);
    expect(span.status.code).toBe(SpanStatusCode.ERROR);
    expect(span.attributes).toMatchObject({ 'error.type': 'overloaded_error', 'http.request.resend_count': 2, 'http.response.status_code': 529 });
    const retries = span.events.filter((event) => event.name === 'anthropic.retry');
    expect(retries.map((event) => event.attributes?.['http.request.resend_count'])).toEqual([1, 2]);
    expect(retries[0]?.attributes).toMatchObject({ 'error.type': 'overloaded_error', 'http.response.status_code': 529, 'anthropic.retry.delay_ms': 5 });
    // Every attempt carries the same span's context.
    const parents = new Set(server.requests.map((request) => request.headers['traceparent']));
    expect(parents.size).toBe(1);
  });

  it('ends the span of a stream left before its end as cancelled, not as an error', async () => {
    server = await tracing.serve([textReply('a long answer that keeps coming', { chunkSize: 1, chunkDelayMs: 30 })]);
    await lastValueFrom(clientFor(server).messages.stream(params).pipe(textDeltas(), take(2)));
    await new Promise((resolve) => setTimeout(resolve, 20));
    const span = onlySpan(tracing.exporter, SPAN);
    expect(span.status.code).toBe(SpanStatusCode.UNSET);
    expect(span.attributes['anthropic.cancelled']).toBe(true);
    expect(span.attributes['error.type']).toBeUndefined();
  });

  it('fails the span of a stream that ends without message_stop', async () => {
    server = await tracing.serve([{ ...textReply(REPLY), cutAfterBytes: 400 }]);
    await lastValueFrom(clientFor(server).messages.stream(params)).catch(() => undefined);
    const span = onlySpan(tracing.exporter, SPAN);
    expect(span.status.code).toBe(SpanStatusCode.ERROR);
  });

  it('records no content by default: no prompt, system prompt or answer anywhere on the spans', async () => {
    server = await tracing.serve([textReply(REPLY)]);
    await lastValueFrom(clientFor(server).messages.stream(params));
    const span = onlySpan(tracing.exporter, SPAN);
    expect(span.attributes['gen_ai.input.messages']).toBeUndefined();
    expect(span.attributes['gen_ai.output.messages']).toBeUndefined();
    const recorded = allAttributes();
    for (const secret of ['PROMPT-TEXT-7f3a', 'REPLY-TEXT-91c2', 'SYSTEM-TEXT-55aa']) expect(recorded).not.toContain(secret);
  });

  it('records the messages, system prompt and answer with contentMode: content (or its environment variable)', async () => {
    server = await tracing.serve([textReply(REPLY), textReply(REPLY)]);
    await lastValueFrom(clientFor(server, { telemetry: openTelemetry({ traces: { contentMode: 'content' } }) }).messages.stream(params));
    process.env['ANTHROPIC_OPEN_TELEMETRY_TRACES_CONTENT_MODE'] = 'content';
    try {
      await lastValueFrom(clientFor(server, { telemetry: openTelemetry() }).messages.create(params));
    } finally {
      delete process.env['ANTHROPIC_OPEN_TELEMETRY_TRACES_CONTENT_MODE'];
    }
    for (const span of tracing.exporter.getFinishedSpans()) {
      expect(JSON.parse(span.attributes['gen_ai.input.messages'] as string)).toEqual([{ role: 'user', parts: [{ type: 'text', content: PROMPT }] }]);
      expect(JSON.parse(span.attributes['gen_ai.system_instructions'] as string)).toEqual([{ type: 'text', content: 'SYSTEM-TEXT-55aa' }]);
      expect(JSON.parse(span.attributes['gen_ai.output.messages'] as string)).toEqual([{ role: 'assistant', parts: [{ type: 'text', content: REPLY }], finish_reason: 'end_turn' }]);
    }
    expect(tracing.exporter.getFinishedSpans()).toHaveLength(2);
  });

  it('leaves out content beyond maxContentBytes and says so', async () => {
    server = await tracing.serve([textReply(REPLY)]);
    await lastValueFrom(clientFor(server, { telemetry: openTelemetry({ traces: { contentMode: 'content', maxContentBytes: 80 } }) }).messages.stream(params));
    const span = onlySpan(tracing.exporter, SPAN);
    expect(span.attributes['gen_ai.system_instructions']).toBeDefined();
    expect(span.attributes['gen_ai.input.messages']).toBeUndefined();
    expect(span.attributes['anthropic.content.truncated']).toBe(true);
  });

  it('keeps one span over a stream resumed through a relay: the POST recorded, the resume counted as a resend', async () => {
    const frame = (event: object) => `event: ${(event as { type: string }).type}\ndata: ${JSON.stringify(event)}\n\n`;
    const sse = [
      { type: 'message_start', message: { id: 'msg_1', type: 'message', role: 'assistant', model: 'claude-sonnet-4-6', content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 3, output_tokens: 1 } } },
      { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
      ...Array.from({ length: 20 }, (_, i) => ({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: `part ${i} ` } })),
      { type: 'content_block_stop', index: 0 },
      { type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 40 } },
      { type: 'message_stop' },
    ].map(frame).join('');
    const relay = await startResumableRelay({ streams: [sse], responses: [{ cutAfter: 700 }] });
    try {
      const client = createClient({ baseURL: relay.baseURL, apiKey: null, maxRetries: 0, resumeStreams: true, telemetry: openTelemetry() });
      await lastValueFrom(client.messages.stream(params));
      expect(relay.requests.map((request) => request.method)).toEqual(['POST', 'GET']);
      const span = onlySpan(tracing.exporter, SPAN);
      expect(span.status.code).toBe(SpanStatusCode.OK);
      expect(span.attributes).toMatchObject({ 'http.request.method': 'POST', 'url.path': '/v1/messages', 'http.request.resend_count': 1, 'gen_ai.usage.output_tokens': 40 });
    } finally {
      await relay.close();
    }
  });
});
