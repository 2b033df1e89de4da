import { trace } from '@opentelemetry/api';
import type { Telemetry } from '../telemetry/Telemetry';
import type { OpenTelemetryOptions } from './OpenTelemetryOptions';
import { resolveTelemetrySettings } from './resolveTelemetrySettings';
import { startRequestSpan } from './startRequestSpan';
import { startToolLoopSpan } from './startToolLoopSpan';

/**
 * The name of the instrumentation scope (the tracer) of the client's spans.
 *
 * ## Example
 * ```ts
 * const ours = exporter.getFinishedSpans().filter((span) => span.instrumentationScope.name === INSTRUMENTATION_SCOPE);
 * ```
 */
export const INSTRUMENTATION_SCOPE = 'rx-anthropic';

/**
 * OpenTelemetry tracing for `createClient({ telemetry })`: a span per request of the Messages API
 * (`chat {model}`, GenAI semantic conventions: model, max tokens, usage, finish reasons, request
 * id, time to first token), the W3C trace context (`traceparent`) sent with each request, and a
 * span per tool loop, per turn and per tool run, each a child of the one before.
 *
 * The spans come from the tracer provider registered with `@opentelemetry/api`, looked up at each
 * request: with none registered nothing is recorded (and nothing propagated unless a trace is
 * current). Message content is left out unless `traces.contentMode` is `'content'`. Without
 * options the official SDK's environment variables apply (`ANTHROPIC_OPEN_TELEMETRY=false`,
 * `ANTHROPIC_OPEN_TELEMETRY_PROPAGATION=false`, `ANTHROPIC_OPEN_TELEMETRY_TRACES_CONTENT_MODE=content`,
 * `ANTHROPIC_OPEN_TELEMETRY_TRACES_MAX_CONTENT_BYTES`); `false` turns tracing off. A failure of
 * the telemetry (a span processor that throws) never fails a request. See docs/observability.md.
 *
 * ## Example
 * ```ts
 * import { createClient } from 'rx-anthropic';
 * import { openTelemetry } from 'rx-anthropic/otel';
 *
 * const client = createClient({ telemetry: openTelemetry() });
 * const quiet = createClient({ telemetry: openTelemetry({ propagation: false, traces: { contentMode: 'metadata_only' } }) });
 * ```
 *
 * @param options Tracer provider, propagation, content mode; or `false` for none.
 * @return The telemetry for `createClient`.
 */
export function openTelemetry(options?: OpenTelemetryOptions | false): Telemetry {
  const settings = resolveTelemetrySettings(options);
  const tracer = () => (settings.tracerProvider ?? trace.getTracerProvider()).getTracer(INSTRUMENTATION_SCOPE);
  const guarded = <T>(start: () => T | undefined): T | undefined => {
    if (!settings.enabled) return undefined;
    try {
      return start();
    } catch {
      return undefined;
    }
  };
  return {
    startRequest: (request) => guarded(() => startRequestSpan(tracer(), settings, request)),
    startToolLoop: (params) => guarded(() => startToolLoopSpan(tracer(), settings, params)),
  };
}
