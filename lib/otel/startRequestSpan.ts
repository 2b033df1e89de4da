import { context, propagation, SpanKind, trace, type Attributes, type Context, type Span, type Tracer } from '@opentelemetry/api';
import type { RequestTrace, TracedRequest, TraceOutcome } from '../telemetry/Telemetry';
import type { ResolvedTelemetrySettings } from './OpenTelemetryOptions';
import { contentParts, contentRecorder } from './contentAttributes';
import { endSpan, errorType } from './endSpan';
import { RECOVERY_EVENT, recoveryAttributes } from './recoveryAttributes';

type Fields = Readonly<Record<string, unknown>>;
const isObject = (value: unknown): value is Fields => typeof value === 'object' && value !== null;
const numberOf = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);

/** The request's attributes a sampler sees: model, limits, stream, server; never content. */
function startAttributes(request: TracedRequest): Attributes {
  const { params } = request;
  const attributes: Attributes = { 'gen_ai.provider.name': 'anthropic' };
  if (request.operation === 'chat') attributes['gen_ai.operation.name'] = 'chat';
  if (typeof params.model === 'string') attributes['gen_ai.request.model'] = params.model;
  const numeric: ReadonlyArray<[string, unknown]> = [
    ['gen_ai.request.max_tokens', params.max_tokens],
    ['gen_ai.request.temperature', params.temperature],
    ['gen_ai.request.top_p', params.top_p],
    ['gen_ai.request.top_k', params.top_k],
  ];
  for (const [name, value] of numeric) if (numberOf(value) !== undefined) attributes[name] = value as number;
  if (request.stream) attributes['gen_ai.request.stream'] = true;
  const format = isObject(params.output_config) ? params.output_config.format : undefined;
  if (isObject(format) && format.type === 'json_schema') attributes['gen_ai.output.type'] = 'json';
  try {
    const { hostname, port, protocol } = new URL(request.baseURL);
    attributes['server.address'] = hostname.replace(/^\[(.*)\]$/, '$1');
    attributes['server.port'] = port ? Number(port) : protocol === 'http:' ? 80 : 443;
  } catch {
    // A base URL the client accepted always parses; nothing to add otherwise.
  }
  return attributes;
}

/** What the span keeps of the answer as it streams: only what it records. */
interface Answer {
  usage: Record<string, unknown>;
  stopReason?: string;
  sawStop: boolean;
  sawDelta: boolean;
  /** In content mode only: the blocks as far as they came, by index. */
  blocks?: Array<Record<string, unknown>>;
}

function recordDelta(answer: Answer, event: Fields): void {
  const blocks = answer.blocks;
  const index = numberOf(event.index);
  if (blocks === undefined || index === undefined) return;
  const block = blocks[index];
  const delta = event.delta;
  if (block === undefined || !isObject(delta)) return;
  if (delta.type === 'text_delta') block.text = `${String(block.text ?? '')}${String(delta.text)}`;
  else if (delta.type === 'thinking_delta') block.thinking = `${String(block.thinking ?? '')}${String(delta.thinking)}`;
  else if (delta.type === 'input_json_delta') block.partial = `${String(block.partial ?? '')}${String(delta.partial_json)}`;
}

/**
 * Starts the span of one request of the Messages API, and gives the trace the client calls as
 * the request goes: a `CLIENT` span named `chat {model}` (`anthropic.messages.count_tokens` for a
 * count), a child of the context current at the request's subscription, with the GenAI
 * conventions' attributes (see docs/observability.md). It gives each attempt the trace context's
 * headers (unless `propagation` is off), notes each attempt, response and retry, reads the
 * answer's id, model, usage, stop reason and first delta (time to first token) from the stream's
 * events or the message, records each recovery (continuation, fallback, hedge, timeout) as a
 * span event (`rx_anthropic.recovery`, see `recoveryAttributes`), and ends with the request: `OK`, `ERROR` with `error.type`, or
 * cancelled. `undefined` when the span would neither record nor propagate anything (no tracer
 * provider registered and no trace to continue).
 *
 * ## Example
 * ```ts
 * const trace = startRequestSpan(tracer, settings, { operation: 'chat', params, stream: true, baseURL, path: '/v1/messages' });
 * ```
 *
 * @param tracer The tracer.
 * @param settings The settled options of `openTelemetry()`.
 * @param request The request.
 * @return The request's trace, or `undefined`.
 */
export function startRequestSpan(tracer: Tracer, settings: ResolvedTelemetrySettings, request: TracedRequest): RequestTrace | undefined {
  const model = typeof request.params.model === 'string' ? request.params.model : undefined;
  const name = request.operation === 'chat' ? (model === undefined ? 'chat' : `chat ${model}`) : 'anthropic.messages.count_tokens';
  const parent = context.active();
  const span: Span = tracer.startSpan(name, { kind: SpanKind.CLIENT, attributes: startAttributes(request) }, parent);
  const spanContext: Context = trace.setSpan(parent, span);
  let traceHeaders: Record<string, string> | undefined;
  const headers = (): Record<string, string> => {
    if (traceHeaders === undefined) {
      traceHeaders = {};
      if (settings.propagation) propagation.inject(spanContext, traceHeaders);
    }
    return traceHeaders;
  };
  if (!span.isRecording() && Object.keys(headers()).length === 0) {
    span.end();
    return undefined;
  }

  const startedAt = Date.now();
  const content = settings.content ? contentRecorder(span, settings.maxContentBytes) : undefined;
  if (content !== undefined) {
    const { params } = request;
    if (Array.isArray(params.stop_sequences) && params.stop_sequences.length > 0) span.setAttribute('gen_ai.request.stop_sequences', params.stop_sequences as string[]);
    if (params.system !== undefined) content.record('gen_ai.system_instructions', contentParts(params.system));
    if (Array.isArray(params.messages)) {
      content.record('gen_ai.input.messages', (params.messages as Fields[]).map((message) => ({ role: message.role, parts: contentParts(message.content) })));
    }
  }
  const answer: Answer = { usage: {}, sawStop: false, sawDelta: false, ...(content === undefined ? {} : { blocks: [] }) };
  let ended = false;
  let attempts = 0;
  const guard = (step: () => void): void => {
    try {
      if (!ended) step();
    } catch {
      // A failure of telemetry never fails the request.
    }
  };
  const mergeUsage = (usage: unknown): void => {
    if (!isObject(usage)) return;
    for (const [field, value] of Object.entries(usage)) if (value !== null && value !== undefined) answer.usage[field] = value;
  };
  const readMessage = (message: Fields): void => {
    if (typeof message.id === 'string') span.setAttribute('gen_ai.response.id', message.id);
    if (typeof message.model === 'string') span.setAttribute('gen_ai.response.model', message.model);
    mergeUsage(message.usage);
    if (typeof message.stop_reason === 'string') answer.stopReason = message.stop_reason;
  };

  const observe = (value: unknown): void => {
    if (request.raw || !isObject(value)) return;
    switch (value.type) {
      case 'message_start':
        if (isObject(value.message)) readMessage(value.message);
        break;
      case 'content_block_start':
        if (answer.blocks !== undefined && isObject(value.content_block) && numberOf(value.index) !== undefined) answer.blocks[value.index as number] = { ...value.content_block };
        break;
      case 'content_block_delta':
        if (answer.blocks !== undefined) recordDelta(answer, value);
        if (!answer.sawDelta) {
          answer.sawDelta = true;
          const seconds = (Date.now() - startedAt) / 1000;
          span.setAttribute('gen_ai.response.time_to_first_chunk', seconds);
          span.addEvent('gen_ai.first_token', { 'gen_ai.response.time_to_first_chunk': seconds });
        }
        break;
      case 'message_delta':
        mergeUsage(value.usage);
        if (isObject(value.delta) && typeof value.delta.stop_reason === 'string') answer.stopReason = value.delta.stop_reason;
        break;
      case 'message_stop':
        answer.sawStop = true;
        break;
      case 'message':
        readMessage(value);
        answer.sawStop = true;
        if (answer.blocks !== undefined && Array.isArray(value.content)) answer.blocks = (value.content as Fields[]).map((block) => ({ ...block }));
        break;
      default:
        // countTokens answers { input_tokens }.
        if (request.operation === 'count_tokens' && numberOf(value.input_tokens) !== undefined) answer.usage.input_tokens = value.input_tokens;
    }
  };

  const recordAnswer = (): void => {
    const count = (field: string): number => numberOf(answer.usage[field]) ?? 0;
    if (numberOf(answer.usage.input_tokens) !== undefined) {
      // The conventions' input tokens include the cached ones, which the API counts apart.
      span.setAttribute('gen_ai.usage.input_tokens', count('input_tokens') + count('cache_read_input_tokens') + count('cache_creation_input_tokens'));
    }
    if (numberOf(answer.usage.cache_read_input_tokens) !== undefined) span.setAttribute('gen_ai.usage.cache_read.input_tokens', count('cache_read_input_tokens'));
    if (numberOf(answer.usage.cache_creation_input_tokens) !== undefined) span.setAttribute('gen_ai.usage.cache_write.input_tokens', count('cache_creation_input_tokens'));
    // message_start's output count is a placeholder: the final one comes with message_delta.
    if (answer.stopReason !== undefined && numberOf(answer.usage.output_tokens) !== undefined) span.setAttribute('gen_ai.usage.output_tokens', count('output_tokens'));
    if (answer.stopReason !== undefined) {
      span.setAttribute('gen_ai.response.finish_reasons', [answer.stopReason]);
      span.setAttribute('anthropic.message.stop_reason', answer.stopReason);
    }
    if (content !== undefined && answer.blocks !== undefined && answer.blocks.length > 0) {
      const blocks = answer.blocks.filter(Boolean).map((block) => (block.partial === undefined ? block : { ...block, input: parsedOrText(block.partial as string) }));
      content.record('gen_ai.output.messages', [{ role: 'assistant', parts: contentParts(blocks), ...(answer.stopReason ? { finish_reason: answer.stopReason } : {}) }]);
    }
  };

  return {
    within: (work) => context.with(spanContext, work),
    attemptHeaders: headers,
    // Counted here rather than read from `attempt`: a resumed stream's GET starts its own count at 0.
    attemptStarted: ({ method, url }) =>
      guard(() => {
        attempts += 1;
        if (attempts > 1) {
          span.setAttribute('http.request.resend_count', attempts - 1);
          return;
        }
        span.setAttribute('http.request.method', method);
        const { protocol, host, pathname } = new URL(url);
        span.setAttributes({ 'url.scheme': protocol.slice(0, -1), 'url.path': pathname, 'url.full': `${protocol}//${host}${pathname}` });
      }),
    responded: ({ status, requestId }) =>
      guard(() => {
        span.setAttribute('http.response.status_code', status);
        if (requestId !== undefined && requestId !== '') span.setAttribute('anthropic.request.id', requestId);
      }),
    retrying: ({ attempt, error, delayMs }) =>
      guard(() => {
        const status = (error as { status?: unknown }).status;
        span.addEvent('anthropic.retry', {
          'http.request.resend_count': attempt + 1,
          'anthropic.retry.delay_ms': Math.round(delayMs),
          'error.type': errorType(error),
          ...(typeof status === 'number' ? { 'http.response.status_code': status } : {}),
        });
      }),
    recovery: (event) => guard(() => span.addEvent(RECOVERY_EVENT, recoveryAttributes(event))),
    // Per event: no closure, and nothing but a type switch for most events.
    observe: (value) => {
      if (ended) return;
      try {
        observe(value);
      } catch {
        // A failure of telemetry never fails the request.
      }
    },
    end: (outcome: TraceOutcome) =>
      guard(() => {
        ended = true;
        try {
          recordAnswer();
        } finally {
          // A stream that completes without message_stop was cut short by the server: the span fails even if the consumer does not.
          const cut = outcome.kind === 'complete' && request.stream && !request.raw && !answer.sawStop;
          endSpan(span, outcome, settings.content, cut ? { type: 'api_error', message: 'The stream ended before message_stop.' } : undefined);
        }
      }),
  };
}

function parsedOrText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
