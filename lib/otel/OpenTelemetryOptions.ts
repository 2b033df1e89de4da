import type { TracerProvider } from '@opentelemetry/api';

/**
 * Options of {@link openTelemetry}, in the shape of the official SDK's `openTelemetry` client option.
 *
 * ## Example
 * ```ts
 * const options: OpenTelemetryOptions = { propagation: false, traces: { contentMode: 'content', maxContentBytes: 100_000 } };
 * createClient({ telemetry: openTelemetry(options) });
 * ```
 */
export interface OpenTelemetryOptions {
  /** The provider of the spans' tracer. Default: the one registered with `@opentelemetry/api` at each request. */
  tracerProvider?: TracerProvider;
  /**
   * Whether each request carries the trace context of its span in the headers the registered
   * propagator writes (`traceparent`, `tracestate`, `baggage`). `false` for an application whose
   * HTTP instrumentation propagates it already, or a browser whose relay would refuse the headers.
   * Default `true`.
   */
  propagation?: boolean;
  /** The spans; `true` and `false` are short for `{ enabled: true }` and `{ enabled: false }`. */
  traces?: boolean | OpenTelemetryTracesOptions;
}

/**
 * The `traces` field of {@link OpenTelemetryOptions}.
 *
 * ## Example
 * ```ts
 * const traces: OpenTelemetryTracesOptions = { contentMode: 'content' };
 * ```
 */
export interface OpenTelemetryTracesOptions {
  /** Whether spans are made at all. Default `true`. */
  enabled?: boolean;
  /**
   * `'content'` records the request's messages and system prompt, the answer, and tool arguments
   * and results on the spans (`gen_ai.input.messages`, `gen_ai.system_instructions`,
   * `gen_ai.output.messages`, `gen_ai.tool.call.arguments`, `gen_ai.tool.call.result`). Default
   * `'metadata_only'`: none of it.
   */
  contentMode?: 'metadata_only' | 'content';
  /** The most content, in UTF-8 bytes, one span carries; content beyond it is left out and the span gets `anthropic.content.truncated`. Default 750 000. */
  maxContentBytes?: number;
}

/**
 * The options with every field settled, as the spans read them.
 *
 * ## Example
 * ```ts
 * const settings: ResolvedTelemetrySettings = resolveTelemetrySettings({ propagation: false });
 * ```
 */
export interface ResolvedTelemetrySettings {
  readonly tracerProvider: TracerProvider | undefined;
  readonly enabled: boolean;
  readonly propagation: boolean;
  readonly content: boolean;
  readonly maxContentBytes: number;
}
