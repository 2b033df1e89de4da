/**
 * The request's span records each recovery as an `rx_anthropic.recovery` event, read here from
 * the in-memory exporter after a real hedge and a real timeout against the mock server.
 */
import { SpanStatusCode } from '@opentelemetry/api';
import { lastValueFrom, toArray } from 'rxjs';
import { APITimeoutError, createClient, textDeltas, type ClientOptions, type MessageCreateParams } from 'rx-anthropic';
import { openTelemetry, RECOVERY_EVENT, recoveryAttributes } from 'rx-anthropic/otel';
import { textReply, type MockServer, type MockTurn } from 'rx-anthropic/testing';
import { onlySpan, traceEachTest } from '../telemetry/support/tracing';

const params: MessageCreateParams = { model: 'claude-sonnet-4-6', max_tokens: 100, messages: [{ role: 'user', content: 'SECRET-PROMPT-42' }] };
const SPAN = 'chat claude-sonnet-4-6';

const tracing = traceEachTest();
let server: MockServer | undefined;

async function clientFor(turns: MockTurn[], options: ClientOptions) {
  server = await tracing.serve(turns);
  return createClient({ apiKey: 'sk-test', baseURL: server.baseURL, maxRetries: 0, telemetry: openTelemetry(), ...options });
}

const recoveriesOf = (name: string) => onlySpan(tracing.exporter, name).events.filter((event) => event.name === RECOVERY_EVENT).map((event) => event.attributes);

describe('openTelemetry(): recoveries on the request span', () => {
  it('records a hedge started, won and lost, on the one span of the request', async () => {
    const client = await clientFor([{ ...textReply('slow'), delayMs: 5_000 }, textReply('fast')], { hedge: { afterMs: 150, model: 'claude-haiku-4-5' } });
    expect((await lastValueFrom(client.messages.stream(params).pipe(textDeltas(), toArray()))).join('')).toBe('fast');
    const span = onlySpan(tracing.exporter, SPAN);
    expect(span.status.code).toBe(SpanStatusCode.OK);
    expect(recoveriesOf(SPAN)).toEqual([
      { 'rx_anthropic.recovery.kind': 'hedge', 'rx_anthropic.recovery.outcome': 'started', 'rx_anthropic.recovery.model': 'claude-haiku-4-5', 'rx_anthropic.recovery.reason': 'no content 150 ms after the request went out' },
      expect.objectContaining({ 'rx_anthropic.recovery.kind': 'hedge', 'rx_anthropic.recovery.outcome': 'won', 'rx_anthropic.recovery.model': 'claude-haiku-4-5' }),
      expect.objectContaining({ 'rx_anthropic.recovery.kind': 'hedge', 'rx_anthropic.recovery.outcome': 'lost', 'rx_anthropic.recovery.model': 'claude-sonnet-4-6' }),
    ]);
    // The winner's answer is the span's.
    expect(span.attributes['gen_ai.response.model']).toBe('claude-haiku-4-5');
  });

  it('records a timeout with its phase and milliseconds, and the span fails with client_timeout_error', async () => {
    const client = await clientFor([{ ...textReply('late', { chunkSize: 100 }), chunkDelayMs: 2_000 }], { timeout: { firstTokenMs: 200 } });
    const error = await lastValueFrom(client.messages.stream(params)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(APITimeoutError);
    const span = onlySpan(tracing.exporter, SPAN);
    expect(span.status.code).toBe(SpanStatusCode.ERROR);
    expect(span.attributes['error.type']).toBe('client_timeout_error');
    expect(recoveriesOf(SPAN)).toEqual([
      {
        'rx_anthropic.recovery.kind': 'timeout',
        'rx_anthropic.recovery.phase': 'firstToken',
        'rx_anthropic.recovery.ms': 200,
        'rx_anthropic.recovery.reason': 'Request timed out: no content within firstTokenMs 200 ms.',
        'error.type': 'client_timeout_error',
      },
    ]);
    expect(JSON.stringify(span.events)).not.toContain('SECRET-PROMPT-42');
  });

  it('gives every kind its own fields', () => {
    expect(recoveryAttributes({ kind: 'continuation', at: 0, reason: 'dropped', attempt: 2, retried: false, error: new APITimeoutError(5, 'idle') })).toEqual({
      'rx_anthropic.recovery.kind': 'continuation',
      'rx_anthropic.recovery.reason': 'dropped',
      'rx_anthropic.recovery.attempt': 2,
      'rx_anthropic.recovery.retried': false,
      'error.type': 'client_timeout_error',
    });
    expect(recoveryAttributes({ kind: 'fallback', at: 0, reason: 'refusal', from: 'claude-sonnet-4-6', to: 'claude-opus-4-5' })).toEqual({
      'rx_anthropic.recovery.kind': 'fallback',
      'rx_anthropic.recovery.reason': 'refusal',
      'rx_anthropic.recovery.from': 'claude-sonnet-4-6',
      'rx_anthropic.recovery.to': 'claude-opus-4-5',
    });
  });
});
