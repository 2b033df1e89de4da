import { accumulateEvents } from './accumulateEvents';
import { apiErrorBody, statusForErrorType } from './apiErrorBody';
import { assistantPrefill } from './assistantPrefill';
import { completeMessage } from './completeMessage';
import { continueAfterPrefill } from './continueAfterPrefill';
import { encodeSSEFrame } from './encodeSSEFrame';
import { estimateInputTokens } from './estimateTokens';
import { messageToEvents } from './messageToEvents';
import { parseSSEText } from './parseSSEText';
import type { MockTurn } from './types';

/** What a turn is answered with, before delivery options (delays, cuts, hangs) apply. */
export interface RenderedResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  /** Body pieces: one per SSE frame when streaming, the whole body otherwise. */
  readonly chunks: readonly Uint8Array[];
}

/** The request facts a turn is rendered for. */
export interface RenderContext {
  /** The request body had `stream: true`. */
  readonly stream: boolean;
  readonly requestNumber: number;
  readonly requestId: string;
  readonly body: unknown;
}

const encoder = new TextEncoder();

function json(status: number, body: unknown): RenderedResponse {
  const bytes = encoder.encode(JSON.stringify(body));
  return {
    status,
    headers: { 'content-type': 'application/json', 'content-length': String(bytes.byteLength) },
    chunks: [bytes],
  };
}

function sse(chunks: readonly Uint8Array[]): RenderedResponse {
  return { status: 200, headers: { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' }, chunks };
}

const LF = 10;
const CR = 13;

/**
 * Cuts raw SSE bytes after each blank line, so `chunkDelayMs` can space out the frames of a
 * recorded stream without changing a single byte of it.
 */
export function splitSSEFrames(bytes: Uint8Array): Uint8Array[] {
  const frames: Uint8Array[] = [];
  let start = 0;
  for (let i = 1; i < bytes.length; i++) {
    const crlfcrlf = bytes[i] === LF && bytes[i - 1] === CR && bytes[i - 2] === LF && bytes[i - 3] === CR;
    const lflf = bytes[i] === LF && bytes[i - 1] === LF;
    const crcr = bytes[i] === CR && bytes[i - 1] === CR && bytes[i + 1] !== LF;
    if (crlfcrlf || lflf || crcr) {
      frames.push(bytes.subarray(start, i + 1));
      start = i + 1;
    }
  }
  if (start < bytes.length) frames.push(bytes.subarray(start));
  return frames;
}

function eventsAsMessage(events: readonly object[], requestId: string): RenderedResponse {
  const result = accumulateEvents(events);
  switch (result.kind) {
    case 'message':
      return json(200, result.message);
    case 'error':
      return json(statusForErrorType(result.error.type), apiErrorBody(result.error.type, result.error.message, requestId));
    case 'none':
      return json(
        500,
        apiErrorBody('api_error', `Mock turn cannot be answered without streaming: ${result.reason}.`, requestId),
      );
  }
}

/**
 * What the mock answers, with status 400 and `invalid_request_error`, to a prefill that a turn
 * with `refusePrefill` refuses.
 *
 * ## Example
 * ```ts
 * const server = await createMockServer([{ ...textReply('Hi'), refusePrefill: true }]);
 * // a request ending with an assistant message: 400 { error: { type: 'invalid_request_error', message: PREFILL_REFUSAL } }
 * ```
 */
export const PREFILL_REFUSAL = 'This model does not support assistant message prefill. The conversation must end with a user message.';

/**
 * Turns a scripted turn into a status, headers and body pieces: events for a streaming
 * request, one JSON body otherwise. A Message turn answered to a request that ends with an
 * assistant prefill gives only what follows the prefill in its text (see `continueAfterPrefill`);
 * a turn with `refusePrefill` answers such a request with the API's 400 instead.
 */
export function renderTurn(turn: MockTurn, context: RenderContext): RenderedResponse {
  const prefill = assistantPrefill(context.body);
  if (turn.refusePrefill && prefill !== undefined) return json(400, apiErrorBody('invalid_request_error', PREFILL_REFUSAL, context.requestId));
  switch (turn.kind) {
    case 'message': {
      const model = (context.body as { model?: unknown } | undefined)?.model;
      const message = completeMessage(continueAfterPrefill(turn.message, prefill), {
        requestNumber: context.requestNumber,
        model: typeof model === 'string' ? model : undefined,
        inputTokens: estimateInputTokens(context.body),
      });
      if (!context.stream) return json(200, message);
      const events = messageToEvents(message, turn.chunkSize, turn.jsonChunkSize);
      return sse(events.map((event) => encoder.encode(encodeSSEFrame(event))));
    }
    case 'events':
      if (!context.stream) return eventsAsMessage(turn.events, context.requestId);
      return sse(turn.events.map((event) => encoder.encode(encodeSSEFrame(event))));
    case 'sse': {
      const bytes = typeof turn.sse === 'string' ? encoder.encode(turn.sse) : turn.sse;
      if (!context.stream) return eventsAsMessage(parseSSEText(new TextDecoder().decode(bytes)), context.requestId);
      return sse(splitSSEFrames(bytes));
    }
    case 'json':
      return json(200, turn.body);
    case 'bytes':
      return {
        status: 200,
        headers: { 'content-type': turn.contentType, 'content-length': String(turn.body.byteLength) },
        chunks: [turn.body],
      };
    case 'error':
      return json(turn.status, apiErrorBody(turn.error.type, turn.error.message, context.requestId));
    default: {
      const unknown: { kind?: unknown } = turn;
      throw new TypeError(`Unknown mock turn kind ${JSON.stringify(unknown.kind)}: build turns with textReply(), errorReply(), …`);
    }
  }
}
