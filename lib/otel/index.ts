/**
 * `rx-anthropic/otel`: OpenTelemetry spans for the client. The only entry that loads
 * `@opentelemetry/api` (an optional peer dependency); the main entry calls the hooks it gives.
 *
 * @packageDocumentation
 */
export { openTelemetry, INSTRUMENTATION_SCOPE } from './openTelemetry';
export type { OpenTelemetryOptions, OpenTelemetryTracesOptions } from './OpenTelemetryOptions';
export { errorType, ATTR_CANCELLED } from './endSpan';
export { ATTR_CONTENT_TRUNCATED } from './contentAttributes';
export { RECOVERY_EVENT, recoveryAttributes } from './recoveryAttributes';
