import { context, SpanKind, SpanStatusCode, trace, type Context, type Span, type Tracer } from '@opentelemetry/api';
import type { MessageCreateParams, ToolUseBlock } from '../schema';
import type { ToolLoopTrace, ToolRunTrace, TraceOutcome, TraceScope, TurnTrace } from '../telemetry/Telemetry';
import type { ResolvedTelemetrySettings } from './OpenTelemetryOptions';
import { contentRecorder } from './contentAttributes';
import { endSpan } from './endSpan';

type Fields = Readonly<Record<string, unknown>>;
const isObject = (value: unknown): value is Fields => typeof value === 'object' && value !== null;

/** A scope over a started span: its context for `within`, and an end that runs once and never throws. */
function spanScope(span: Span, parent: Context, finish: (outcome: TraceOutcome) => void): TraceScope & { readonly context: Context } {
  const spanContext = trace.setSpan(parent, span);
  let ended = false;
  return {
    context: spanContext,
    within: (work) => context.with(spanContext, work),
    end: (outcome) => {
      if (ended) return;
      ended = true;
      try {
        finish(outcome);
      } catch {
        // A failure of telemetry never fails the loop.
      }
    },
  };
}

/** What a turn or a tool run gets when its span could not be started: it runs untraced. */
const UNTRACED: TurnTrace = { within: (work) => work(), end: () => undefined, startToolRun: () => UNTRACED };

/** Runs a step of tracing; what it throws (a span processor's failure) leaves the work untraced instead of failing it. */
function guarded<T>(step: () => T, otherwise: T): T {
  try {
    return step();
  } catch {
    return otherwise;
  }
}

function startToolRun(tracer: Tracer, settings: ResolvedTelemetrySettings, parent: Context, toolUse: ToolUseBlock, description: string | undefined): ToolRunTrace {
  const span = tracer.startSpan(
    `execute_tool ${toolUse.name}`,
    {
      kind: SpanKind.INTERNAL,
      attributes: {
        'gen_ai.operation.name': 'execute_tool',
        'gen_ai.provider.name': 'anthropic',
        'gen_ai.tool.name': toolUse.name,
        'gen_ai.tool.call.id': toolUse.id,
        'gen_ai.tool.type': 'function',
        ...(description ? { 'gen_ai.tool.description': description } : {}),
      },
    },
    parent,
  );
  const content = settings.content ? contentRecorder(span, settings.maxContentBytes) : undefined;
  content?.record('gen_ai.tool.call.arguments', toolUse.input);
  let failed = false;
  const scope = spanScope(span, parent, (outcome) => {
    if (outcome.kind === 'complete' && failed) {
      span.setAttribute('error.type', 'tool_error');
      span.setStatus({ code: SpanStatusCode.ERROR, message: 'The tool run ended with an is_error result.' });
      span.end();
      return;
    }
    endSpan(span, outcome, settings.content);
  });
  return {
    within: scope.within,
    end: scope.end,
    observe: (event) =>
      guarded(() => {
        if (!isObject(event) || event.type !== 'tool_result') return;
        failed = event.is_error === true;
        content?.record('gen_ai.tool.call.result', event.content);
      }, undefined),
  };
}

/**
 * Starts the span of a tool loop, `invoke_agent` (`gen_ai.operation.name: invoke_agent`), a child
 * of the context current at its subscription, and gives the trace of its turns
 * (`anthropic.tool_loop.turn`, with `anthropic.tool_loop.iteration`) and of their tool runs
 * (`execute_tool {name}`, with `gen_ai.tool.name`, `gen_ai.tool.call.id`; an `is_error` result is
 * an `ERROR` with `error.type: tool_error`), each the child of the one before. At its end the
 * loop's span has the loop's stop reason, its number of requests and its usage summed over them.
 * `undefined` when the span records nothing.
 *
 * ## Example
 * ```ts
 * const loop = startToolLoopSpan(tracer, settings, params);
 * const turn = loop?.startTurn(1, params);
 * ```
 *
 * @param tracer The tracer.
 * @param settings The settled options of `openTelemetry()`.
 * @param params The loop's first request.
 * @return The loop's trace, or `undefined`.
 */
export function startToolLoopSpan(tracer: Tracer, settings: ResolvedTelemetrySettings, params: MessageCreateParams): ToolLoopTrace | undefined {
  const parent = context.active();
  const span = tracer.startSpan(
    'invoke_agent',
    {
      kind: SpanKind.INTERNAL,
      attributes: { 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.provider.name': 'anthropic', 'gen_ai.request.model': params.model },
    },
    parent,
  );
  if (!span.isRecording()) {
    span.end();
    return undefined;
  }
  const scope = spanScope(span, parent, (outcome) => endSpan(span, outcome, settings.content));
  return {
    within: scope.within,
    end: scope.end,
    observe: (event) =>
      guarded(() => {
        if (!isObject(event) || event.type !== 'tool_loop_end') return;
        span.setAttribute('anthropic.tool_loop.stop_reason', String(event.stop_reason));
        if (typeof event.iterations === 'number') span.setAttribute('anthropic.tool_loop.iterations', event.iterations);
        const usage = isObject(event.usage) ? event.usage : {};
        if (typeof usage.input_tokens === 'number') span.setAttribute('gen_ai.usage.input_tokens', usage.input_tokens);
        if (typeof usage.output_tokens === 'number') span.setAttribute('gen_ai.usage.output_tokens', usage.output_tokens);
      }, undefined),
    startTurn: (iteration, request): TurnTrace => guarded(() => startTurn(iteration, request), UNTRACED),
  };

  function startTurn(iteration: number, request: MessageCreateParams): TurnTrace {
    const turnSpan = tracer.startSpan(
      'anthropic.tool_loop.turn',
      { kind: SpanKind.INTERNAL, attributes: { 'anthropic.tool_loop.iteration': iteration, 'gen_ai.request.model': request.model } },
      scope.context,
    );
    const turn = spanScope(turnSpan, scope.context, (outcome) => endSpan(turnSpan, outcome, settings.content));
    return {
      within: turn.within,
      end: turn.end,
      startToolRun: (toolUse, description) => guarded(() => startToolRun(tracer, settings, turn.context, toolUse, description), UNTRACED),
    };
  }
}
