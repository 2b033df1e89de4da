import { SpanStatusCode, type Span } from '@opentelemetry/api';
import { APIConnectionError, APIError, APITimeoutError, APIUserAbortError, IncompleteStreamError, InvalidArgumentError } from '../errors';
import type { TraceOutcome } from '../telemetry/Telemetry';

/**
 * The attribute set (`true`) on a span whose Observable was unsubscribed, or whose request was
 * aborted, before it ended: cancelled, not failed (its status stays unset).
 *
 * ## Example
 * ```ts
 * const cancelled = exporter.getFinishedSpans().filter((span) => span.attributes[ATTR_CANCELLED] === true);
 * ```
 */
export const ATTR_CANCELLED = 'anthropic.cancelled';

/**
 * The `error.type` of a failure, as the official SDK names it: the API's error type
 * (`overloaded_error`, `invalid_request_error`, …) or the status, `client_timeout_error`,
 * `connection_error`, else the error's class name.
 *
 * ## Example
 * ```ts
 * errorType(new OverloadedError(529, { type: 'overloaded_error', message: 'Overloaded' }, {})); // 'overloaded_error'
 * ```
 */
export function errorType(error: unknown): string {
  if (error instanceof APITimeoutError) return 'client_timeout_error';
  if (error instanceof APIConnectionError) return 'connection_error';
  if (error instanceof APIError) return error.type ?? (error.status !== undefined ? String(error.status) : 'api_error');
  return error instanceof Error ? error.name : 'client_error';
}

/** Errors whose message quotes no content (a tool's input, the model's text): others are recorded by their class alone. */
const speaksNoContent = (error: unknown): error is Error =>
  error instanceof APIError || error instanceof APIConnectionError || error instanceof IncompleteStreamError || error instanceof InvalidArgumentError;

const isAbort = (error: unknown): boolean => error instanceof APIUserAbortError || (error instanceof Error && error.name === 'AbortError');

/**
 * Ends a span with the outcome of what it covers: `OK` when it completed (unless `completeIsError`
 * names why a completion is a failure), `ERROR` with `error.type` and an `exception` event when it
 * failed, and no status but `anthropic.cancelled` when it was unsubscribed or aborted. The
 * exception's message is recorded only when it can hold no content, or with `content` on.
 *
 * ## Example
 * ```ts
 * endSpan(span, { kind: 'error', error }, false);
 * ```
 *
 * @param span The span.
 * @param outcome How the covered Observable ended.
 * @param content Whether content may be recorded.
 * @param completeIsError A failure to record when it completed, or `undefined`.
 */
export function endSpan(span: Span, outcome: TraceOutcome, content: boolean, completeIsError?: { type: string; message: string }): void {
  try {
    if (outcome.kind === 'cancelled' || (outcome.kind === 'error' && isAbort(outcome.error))) {
      span.setAttribute(ATTR_CANCELLED, true);
    } else if (outcome.kind === 'error') {
      const { error } = outcome;
      const type = errorType(error);
      const told = content || speaksNoContent(error);
      span.setAttribute('error.type', type);
      span.addEvent('exception', {
        'exception.type': error instanceof Error ? error.name : typeof error,
        ...(told && error instanceof Error ? { 'exception.message': error.message } : {}),
      });
      span.setStatus({ code: SpanStatusCode.ERROR, message: told && error instanceof Error ? error.message : type });
    } else if (completeIsError !== undefined) {
      span.setAttribute('error.type', completeIsError.type);
      span.setStatus({ code: SpanStatusCode.ERROR, message: completeIsError.message });
    } else {
      span.setStatus({ code: SpanStatusCode.OK });
    }
  } finally {
    span.end();
  }
}
