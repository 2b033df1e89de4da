export type { RequestTrace, Telemetry, ToolLoopTrace, ToolRunTrace, TraceOutcome, TraceScope, TracedRequest, TurnTrace } from './Telemetry';
