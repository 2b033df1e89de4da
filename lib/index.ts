/**
 * rx-anthropic: an RxJS-native client for the Anthropic Messages API. Every request is a cold
 * Observable of raw server-sent events; pipeable operators give the official SDKs' events,
 * message snapshots, text and finished blocks.
 */
export * from './client';
export * from './errors';
export * from './sse';
export * from './schema';
export * from './operators';
export * from './schemas';
export * from './tools';
export * from './concurrency';
export * from './output';
export type { RequestOptions, ResponseInfo } from './transport';
export type { FallbackOptions, FallbackTrigger, HedgeOptions, PhaseTimeouts, RecoveryEvent, RecoveryOptions, TimeoutPhase } from './recovery/RecoveryOptions';
export { PartialJsonParser, PartialJsonSyntaxError } from './accumulate/PartialJsonParser';
export type { Logger, LogLevel } from './logging/Logger';
export type { RequestTrace, Telemetry, ToolLoopTrace, ToolRunTrace, TraceOutcome, TraceScope, TracedRequest, TurnTrace } from './telemetry';
export type { AttemptInfo, RequestObserver, RetryInfo } from './transport/HttpRequest';
