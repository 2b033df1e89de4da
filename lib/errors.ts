import type { ToolResultContent } from './schema/contentBlockParams';
import type { TimeoutPhase } from './recovery/RecoveryOptions';

/**
 * The errors every Observable of this library can fail with. One class per meaning, each carrying
 * what a caller needs to act on it; `instanceof` works across the hierarchy:
 *
 * ```
 * AnthropicError
 * ├── APIError (status, type, requestId, headers)
 * │   ├── BadRequestError 400 · AuthenticationError 401 · PermissionDeniedError 403
 * │   ├── NotFoundError 404 · ConflictError 409 · RequestTooLargeError 413
 * │   ├── UnprocessableEntityError 422 · RateLimitError 429
 * │   └── InternalServerError ≥500 ── OverloadedError 529 / overloaded_error
 * ├── APIConnectionError (cause) ── APITimeoutError
 * ├── APIUserAbortError
 * ├── StreamDecodeError (eventType, path, excerpt)
 * ├── IncompleteStreamError (received)
 * ├── ToolInputParseError (raw)
 * ├── InvalidArgumentError (argument)
 * ├── ToolError (content): thrown by a tool, read by the model
 * ├── UnknownToolError (toolName, available)
 * ├── OutputParseError (raw, position) · OutputValidationError (raw, value, failures, paths)
 * ├── OutputRefusalError (raw, stopDetails) · OutputTruncatedError (raw, stopReason, partial)
 * └── LimiterUnavailableError (key, cause): a shared request limiter could not reach its store
 * ```
 *
 * No error ever holds the request's headers, so the API key cannot leak through a message, a
 * stack, `JSON.stringify` or `util.inspect`.
 */

/**
 * The base class of every error this library raises.
 *
 * ## Example
 * ```ts
 * stream$.pipe(catchError((error) => (error instanceof AnthropicError ? of(fallback) : throwError(() => error))));
 * ```
 */
export class AnthropicError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message);
    this.name = new.target.name;
    if (options && 'cause' in options) {
      Object.defineProperty(this, 'cause', { value: options.cause, enumerable: false, writable: true, configurable: true });
    }
  }

  /** A plain object for logs: name, message and the class's own public fields. */
  toJSON(): Record<string, unknown> {
    return { ...(this as object), name: this.name, message: this.message };
  }
}

/**
 * The error body the API sends, as `{ type: 'error', error: { type, message } }`.
 *
 * ## Example
 * ```ts
 * const body: APIErrorBody = { type: 'overloaded_error', message: 'Overloaded' };
 * ```
 */
export interface APIErrorBody {
  type: string;
  message: string;
  [key: string]: unknown;
}

/**
 * The API answered with an error status, or sent an `event: error` in the middle of a stream.
 *
 * `status` is the HTTP status (`undefined` for an error event inside a 200 stream), `type` the
 * API's `error.type` (`overloaded_error`, `rate_limit_error`, …), `requestId` the `request-id`
 * header to quote to support, `headers` the response headers (rate limits, `retry-after`).
 *
 * ## Example
 * ```ts
 * client.messages.create(params).subscribe({
 *   error: (error) => {
 *     if (error instanceof APIError) console.error(error.status, error.type, error.requestId);
 *   },
 * });
 * ```
 */
export class APIError extends AnthropicError {
  readonly status: number | undefined;
  readonly type: string | undefined;
  readonly requestId: string | undefined;
  readonly headers: Record<string, string>;
  readonly error: APIErrorBody | undefined;

  constructor(
    status: number | undefined,
    error: APIErrorBody | undefined,
    message: string | undefined,
    headers: Record<string, string> = {},
    requestId: string | undefined = headers['request-id'],
  ) {
    super(APIError.describe(status, error, message, requestId));
    this.status = status;
    this.type = error?.type;
    this.requestId = requestId;
    this.headers = headers;
    this.error = error;
  }

  private static describe(
    status: number | undefined,
    error: APIErrorBody | undefined,
    message: string | undefined,
    requestId: string | undefined,
  ): string {
    const head = [status, error?.type].filter((part) => part !== undefined).join(' ');
    const text = error?.message ?? message ?? 'no error message in the response';
    const tail = requestId ? ` (request-id: ${requestId})` : '';
    return `${head ? `${head}: ` : ''}${text}${tail}`;
  }

  /**
   * The error for a response status: the subclass named after its meaning, `APIError` otherwise.
   * `body` is the parsed response body (the API's `{ type: 'error', error }` shape or anything else).
   */
  static fromResponse(status: number, body: unknown, headers: Record<string, string>, fallbackMessage?: string): APIError {
    const error = errorBodyOf(body);
    const requestId = headers['request-id'] ?? stringField(body, 'request_id');
    const ErrorClass = error?.type === 'overloaded_error' ? OverloadedError : classForStatus(status);
    return new ErrorClass(status, error, fallbackMessage, headers, requestId);
  }

  /** The error for an `event: error` inside a stream, chosen by its `error.type`. */
  static fromStreamEvent(data: unknown, headers: Record<string, string> = {}): APIError {
    const error = errorBodyOf(data) ?? { type: 'api_error', message: 'the stream sent an error event without a body' };
    const requestId = stringField(data, 'request_id') ?? headers['request-id'];
    const ErrorClass = classForType[error.type] ?? APIError;
    return new ErrorClass(undefined, error, undefined, headers, requestId);
  }
}

/**
 * 400: the request was malformed (`invalid_request_error`).
 *
 * ## Example
 * ```ts
 * catchError((error) => (error instanceof BadRequestError ? of(`invalid request: ${error.message}`) : throwError(() => error)))
 * ```
 */
export class BadRequestError extends APIError {}
/**
 * 401: the API key or token is missing or wrong (`authentication_error`).
 *
 * ## Example
 * ```ts
 * catchError((error) => (error instanceof AuthenticationError ? throwError(() => new Error('check ANTHROPIC_API_KEY')) : throwError(() => error)))
 * ```
 */
export class AuthenticationError extends APIError {}
/**
 * 403: the key may not use this resource (`permission_error`).
 *
 * ## Example
 * ```ts
 * if (error instanceof PermissionDeniedError) console.error('this key may not use', params.model);
 * ```
 */
export class PermissionDeniedError extends APIError {}
/**
 * 404: no such resource or model (`not_found_error`).
 *
 * ## Example
 * ```ts
 * if (error instanceof NotFoundError) console.error(`no such model: ${params.model}`);
 * ```
 */
export class NotFoundError extends APIError {}
/**
 * 409: a conflicting request. Retried by default.
 *
 * ## Example
 * ```ts
 * if (error instanceof ConflictError) console.warn('conflict after retries', error.requestId);
 * ```
 */
export class ConflictError extends APIError {}
/**
 * 413: the request body is too large (`request_too_large`).
 *
 * ## Example
 * ```ts
 * if (error instanceof RequestTooLargeError) console.error('shorten the request', error.status); // 413
 * ```
 */
export class RequestTooLargeError extends APIError {}
/**
 * 422: the request was well-formed but could not be processed.
 *
 * ## Example
 * ```ts
 * if (error instanceof UnprocessableEntityError) console.error(error.status, error.message); // 422
 * ```
 */
export class UnprocessableEntityError extends APIError {}
/**
 * 429: too many requests (`rate_limit_error`); see `headers['retry-after']`.
 *
 * ## Example
 * ```ts
 * if (error instanceof RateLimitError) console.warn(`retry after ${error.headers['retry-after']} s`);
 * ```
 */
export class RateLimitError extends APIError {}
/**
 * ≥500: the API failed (`api_error`). Retried by default.
 *
 * ## Example
 * ```ts
 * if (error instanceof InternalServerError) console.error(`API failed (${error.status}), request-id ${error.requestId}`);
 * ```
 */
export class InternalServerError extends APIError {}
/**
 * 529 or `overloaded_error`: the API is temporarily overloaded. Retried by default.
 *
 * ## Example
 * ```ts
 * client.messages.stream(params).pipe(
 *   retry({ count: 3, delay: (error) => (error instanceof OverloadedError ? timer(5000) : throwError(() => error)) }),
 * );
 * ```
 */
export class OverloadedError extends InternalServerError {}

function classForStatus(status: number): typeof APIError {
  switch (status) {
    case 400:
      return BadRequestError;
    case 401:
      return AuthenticationError;
    case 403:
      return PermissionDeniedError;
    case 404:
      return NotFoundError;
    case 409:
      return ConflictError;
    case 413:
      return RequestTooLargeError;
    case 422:
      return UnprocessableEntityError;
    case 429:
      return RateLimitError;
    case 529:
      return OverloadedError;
    default:
      return status >= 500 ? InternalServerError : APIError;
  }
}

const classForType: Record<string, typeof APIError | undefined> = {
  invalid_request_error: BadRequestError,
  authentication_error: AuthenticationError,
  permission_error: PermissionDeniedError,
  not_found_error: NotFoundError,
  request_too_large: RequestTooLargeError,
  rate_limit_error: RateLimitError,
  api_error: InternalServerError,
  overloaded_error: OverloadedError,
};

function errorBodyOf(body: unknown): APIErrorBody | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const inner = (body as { error?: unknown }).error;
  const candidate = typeof inner === 'object' && inner !== null ? inner : body;
  const { type, message } = candidate as { type?: unknown; message?: unknown };
  if (typeof type !== 'string' || type === 'error') return undefined;
  return { ...(candidate as object), type, message: typeof message === 'string' ? message : '' } as APIErrorBody;
}

function stringField(body: unknown, key: string): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const value = (body as Record<string, unknown>)[key];
  return typeof value === 'string' ? value : undefined;
}

/**
 * The request never got an HTTP response: DNS, refused or reset connection, or a body that broke off.
 *
 * ## Example
 * ```ts
 * if (error instanceof APIConnectionError) console.error('network problem:', error.cause);
 * ```
 */
export class APIConnectionError extends AnthropicError {
  constructor(message = 'Connection error.', options?: { cause?: unknown }) {
    super(message, options);
  }
}

/**
 * The caller aborted the request through the `signal` it passed.
 *
 * ## Example
 * ```ts
 * const controller = new AbortController();
 * client.messages.stream(params, { signal: controller.signal }).subscribe({
 *   error: (error) => console.log(error instanceof APIUserAbortError), // true
 * });
 * controller.abort();
 * ```
 */
export class APIUserAbortError extends AnthropicError {
  constructor(message = 'Request was aborted.') {
    super(message);
  }
}

/** What a phase's timeout waited for, as its error says it. */
const PHASE_WAITS: Readonly<Record<TimeoutPhase, string>> = {
  firstToken: 'no content within firstTokenMs',
  idle: 'nothing received for idleMs',
  total: 'not finished within totalMs',
};

/**
 * The request waited longer than its `timeout` (milliseconds). With a plain number, for the
 * response or for the next chunk of it (`phase` undefined). With timeouts by phase, `phase` names
 * the one that fired and the message says what did not happen in time: `'firstToken'` (no content
 * within `firstTokenMs` of the request going out), `'idle'` (nothing received for `idleMs`) or
 * `'total'` (the request not finished within `totalMs`).
 *
 * ## Example
 * ```ts
 * client.messages.stream(params, { timeout: { firstTokenMs: 5_000, idleMs: 30_000 } }).subscribe({
 *   error: (error) => error instanceof APITimeoutError && console.error(`${error.phase ?? 'timeout'}: ${error.timeout} ms`),
 * });
 * // error.message: 'Request timed out: no content within firstTokenMs 5000 ms.'
 * ```
 */
export class APITimeoutError extends APIConnectionError {
  readonly timeout: number;
  /** The phase whose timeout fired; `undefined` for a plain-number `timeout`. */
  readonly phase: TimeoutPhase | undefined;
  constructor(timeout: number, phase?: TimeoutPhase) {
    super(phase === undefined ? `Request timed out after ${timeout} ms.` : `Request timed out: ${PHASE_WAITS[phase]} ${timeout} ms.`);
    this.timeout = timeout;
    this.phase = phase;
  }
}

/**
 * A server-sent event could not be understood: its data is not JSON, or an event this library
 * knows lacks a required field or has one of the wrong type, or it refers to a content block that
 * was never started. `path` names the field (`message.usage.input_tokens`), `excerpt` shows the
 * start of the offending data.
 *
 * ## Example
 * ```ts
 * if (error instanceof StreamDecodeError) console.error(error.eventType, error.path, error.excerpt);
 * ```
 */
export class StreamDecodeError extends AnthropicError {
  readonly eventType: string | undefined;
  readonly path: string | undefined;
  readonly excerpt: string;
  constructor(reason: string, details: { eventType?: string | undefined; path?: string | undefined; data?: string; cause?: unknown }) {
    const excerpt = excerptOf(details.data ?? '');
    const where = [
      details.eventType !== undefined ? `event "${details.eventType}"` : undefined,
      details.path ? `at ${details.path}` : undefined,
    ]
      .filter(Boolean)
      .join(' ');
    const data = details.data !== undefined ? ` Data: ${excerpt}` : '';
    super(`Could not decode the stream${where ? ` (${where})` : ''}: ${reason}.${data}`, { cause: details.cause });
    this.eventType = details.eventType;
    this.path = details.path;
    this.excerpt = excerpt;
  }
}

/**
 * The stream completed before `message_stop`, so there is no finished message.
 *
 * ## Example
 * ```ts
 * client.messages.stream(params).pipe(finalMessage()).subscribe({
 *   error: (error) => error instanceof IncompleteStreamError && console.error(`cut off after ${error.received}`),
 * });
 * ```
 */
export class IncompleteStreamError extends AnthropicError {
  readonly received: string;
  constructor(received: string) {
    super(`The stream ended before message_stop, so no final message was produced (received: ${received}).`);
    this.received = received;
  }
}

/**
 * A tool_use block's streamed input is not valid JSON. `raw` holds the text received.
 *
 * Raised at the `input_json_delta` where the text stops being the beginning of any JSON value
 * (`raw` ends with that delta's chunk; later events are never delivered), or at the block's
 * `content_block_stop` when the text is valid so far but unfinished.
 *
 * ## Example
 * ```ts
 * if (error instanceof ToolInputParseError) console.error(`bad tool input in block ${error.blockIndex}:`, error.raw);
 * ```
 */
export class ToolInputParseError extends AnthropicError {
  readonly raw: string;
  readonly blockIndex: number | undefined;
  constructor(raw: string, reason: string, blockIndex?: number) {
    // The raw text verbatim, as both official SDKs give it, but bounded: tool input can be megabytes.
    const shown = raw.length <= RAW_TOOL_INPUT_SHOWN ? raw : `${raw.slice(0, RAW_TOOL_INPUT_SHOWN)}… (${raw.length} characters; see .raw)`;
    super(`Unable to parse tool parameter JSON from model. Please retry your request or adjust your prompt. Error: ${reason}. JSON: ${shown}`);
    this.raw = raw;
    this.blockIndex = blockIndex;
  }
}

const EXCERPT_LENGTH = 120;
const RAW_TOOL_INPUT_SHOWN = 2000;

/**
 * The first characters of a piece of text, for messages that must stay readable.
 *
 * ## Example
 * ```ts
 * excerptOf('ping'); // '"ping"'
 * excerptOf('x'.repeat(500)); // the first 120 characters, then '… (500 characters)'
 * ```
 */
export function excerptOf(text: string): string {
  return text.length <= EXCERPT_LENGTH ? JSON.stringify(text) : `${JSON.stringify(text.slice(0, EXCERPT_LENGTH))}… (${text.length} characters)`;
}

/**
 * A value given to the library cannot be used: an option of `createClient`, the params of a
 * request, or a header of a request. Nothing was sent, and nothing is retried: only a change to
 * the calling code or its configuration can fix it.
 *
 * `createClient` throws it at once for a bad option (a `baseURL` without a scheme, an `apiKey`
 * that is not a string, a negative `maxRetries`, …); a request's Observable fails with it at
 * subscribe when its params are not an object or a header cannot be sent. `argument` names what
 * was wrong as the caller wrote it (`baseURL`, `apiKey`, `params`, `headers`). The message says
 * what was wrong and what to do, and never quotes a credential: a URL's `user:password@` and the
 * values of headers are left out.
 *
 * ## Example
 * ```ts
 * try {
 *   createClient({ baseURL: 'api.anthropic.com' });
 * } catch (error) {
 *   if (error instanceof InvalidArgumentError) console.error(error.argument, error.message);
 *   // baseURL "baseURL 'api.anthropic.com' has no scheme: use 'https://api.anthropic.com'."
 * }
 * ```
 */
export class InvalidArgumentError extends AnthropicError {
  /** What was wrong, as the caller wrote it: `baseURL`, `apiKey`, `maxRetries`, `params`, `headers`, … */
  readonly argument: string;
  /**
   * @param argument The option, parameter or header group that was wrong.
   * @param message What was wrong and what to do, without the value of a credential.
   */
  constructor(argument: string, message: string) {
    super(message);
    this.argument = argument;
  }
}

/**
 * Thrown by a tool's `run` (or emitted as its Observable's error) to give the model specific
 * content as an `is_error` tool result: a string, or blocks (text, images, documents).
 *
 * The tool loop sends `content` as it is, with `is_error: true`, where any other error becomes
 * `Error: <message>`. The error's own `message` is the text of the content (non-text blocks
 * shown as `[image]`, …), for logs. The official SDKs have the same class.
 *
 * ## Example
 * ```ts
 * const readChart = defineTool({
 *   name: 'read_chart', description: 'Reads a chart', input: t.type({ id: t.string }),
 *   run: ({ id }) => {
 *     if (id === '') throw new ToolError([{ type: 'text', text: 'No chart id. Known charts:' }, { type: 'image', source: { type: 'url', url: 'https://example.com/charts.png' } }]);
 *     return `chart ${id}`;
 *   },
 * });
 * ```
 */
export class ToolError extends AnthropicError {
  /** What the model reads, as an `is_error` tool result. */
  readonly content: ToolResultContent;
  /**
   * @param content The text or the blocks to send to the model.
   */
  constructor(content: ToolResultContent) {
    super(typeof content === 'string' ? content : content.map((block) => (block.type === 'text' ? block.text : `[${block.type}]`)).join(' '));
    this.content = content;
  }
}

/**
 * A `tool_use` named a tool the tool loop cannot run at that turn: it was never given, it is a
 * plain API definition the loop does not run, or a `tool_removal` withdrew it.
 *
 * The model reads `Error: Tool '<name>' not found`, as the official runners send; this error,
 * on the `tool_result` event's `error`, tells the app more: the tools that could run.
 *
 * ## Example
 * ```ts
 * client.messages.toolLoop(params, { tools }).subscribe((event) => {
 *   if (event.type === 'tool_result' && event.error instanceof UnknownToolError) console.warn(event.error.message);
 *   // No tool named "teleport" can run at this turn (tools the loop runs: get_weather).
 * });
 * ```
 */
export class UnknownToolError extends AnthropicError {
  /** The name the model called. */
  readonly toolName: string;
  /** The names of the tools the loop could run at that turn. */
  readonly available: readonly string[];
  /**
   * @param toolName The name the model called.
   * @param available The names of the tools the loop could run at that turn.
   */
  constructor(toolName: string, available: readonly string[]) {
    const list = available.length > 0 ? available.join(', ') : 'none';
    super(`No tool named "${toolName}" can run at this turn (tools the loop runs: ${list}).`);
    this.toolName = toolName;
    this.available = available;
  }
}

/** Characters of a structured output's text shown in an error message; the whole text is on `raw`. */
const RAW_OUTPUT_SHOWN = 200;
/** Failures listed in an `OutputValidationError`'s message; more would bury the first ones. */
const OUTPUT_FAILURES_LISTED = 10;

/** The start of an output's text for a message, with its length when it is cut. */
function shownOutput(raw: string): string {
  return raw.length <= RAW_OUTPUT_SHOWN ? JSON.stringify(raw) : `${JSON.stringify(raw.slice(0, RAW_OUTPUT_SHOWN))}… (${raw.length} characters; see .raw)`;
}

/**
 * The text of a structured output is not JSON: it stopped being a JSON prefix (reported at the
 * text delta where it did, by `partialOutput` and `finalOutput`), or it ended unfinished, or the
 * message has no text at all. `raw` holds the text received, `position` the offset in it of the
 * offending character (`undefined` when there is no text).
 *
 * ## Example
 * ```ts
 * client.messages.stream(params).pipe(finalOutput(format)).subscribe({
 *   error: (error) => {
 *     if (error instanceof OutputParseError) console.error(`not JSON at ${error.position}:`, error.raw);
 *   },
 * });
 * ```
 */
export class OutputParseError extends AnthropicError {
  /** The text of the output as received. */
  readonly raw: string;
  /** The offset in `raw` of the offending character, or `raw.length` when the text ended too early. */
  readonly position: number | undefined;
  /**
   * @param raw The text of the output as received.
   * @param reason What is wrong, with where (the message of the JSON parser).
   * @param position The offset in `raw` of the offending character.
   */
  constructor(raw: string, reason: string, position?: number) {
    super(`The structured output is not valid JSON: ${reason}. Text: ${shownOutput(raw)}`);
    this.raw = raw;
    this.position = position;
  }
}

/**
 * The structured output is JSON, but its codec refuses it. Known only once the output is
 * complete, so it comes at the end of the stream. `failures` names each failing path with what
 * the codec expected and what came (the same descriptions a tool's refused input gets), `paths`
 * lists just the paths, `value` is the parsed JSON and `raw` its text.
 *
 * ## Example
 * ```ts
 * client.messages.parse(params).subscribe({
 *   error: (error) => {
 *     if (error instanceof OutputValidationError) console.error(error.paths, error.value);
 *     // ['items.1.qty'] { items: [{ sku: 'a', qty: 1 }, { sku: 'b', qty: 'two' }] }
 *   },
 * });
 * ```
 */
export class OutputValidationError extends AnthropicError {
  /** The text of the output as received. */
  readonly raw: string;
  /** The output parsed as JSON. */
  readonly value: unknown;
  /** Each failure: its dotted `path` (`''` for the output itself), `expected`, `actual` and the `text` of it. */
  readonly failures: ReadonlyArray<{ readonly path: string; readonly expected: string; readonly actual: unknown; readonly text: string }>;
  /** The dotted paths that failed (`items.1.qty`), in the order of the codec. */
  readonly paths: readonly string[];
  /**
   * @param raw The text of the output as received.
   * @param value The output parsed as JSON.
   * @param failures The failures, as `describeInputErrors` gives them.
   */
  constructor(raw: string, value: unknown, failures: OutputValidationError['failures']) {
    const listed = failures.slice(0, OUTPUT_FAILURES_LISTED).map((failure) => failure.text);
    if (failures.length > OUTPUT_FAILURES_LISTED) listed.push(`and ${failures.length - OUTPUT_FAILURES_LISTED} more`);
    super(`The structured output does not match its codec${listed.length === 0 ? '.' : `: ${listed.join('; ')}`}`);
    this.raw = raw;
    this.value = value;
    this.failures = failures;
    this.paths = failures.map((failure) => failure.path);
  }
}

/**
 * The model refused (`stop_reason: 'refusal'`), so there is no structured output: reported as
 * the refusal it is, not as text that failed to parse. `stopDetails` is the message's
 * `stop_details` (category, explanation) when the API sent one; `raw` the text that came before.
 *
 * ## Example
 * ```ts
 * client.messages.stream(params).pipe(finalOutput(format)).subscribe({
 *   error: (error) => error instanceof OutputRefusalError && console.warn('refused:', error.stopDetails),
 * });
 * ```
 */
export class OutputRefusalError extends AnthropicError {
  /** The text received before the refusal. */
  readonly raw: string;
  /** The message's `stop_details`, or `null`. */
  readonly stopDetails: unknown;
  /**
   * @param raw The text received before the refusal.
   * @param stopDetails The message's `stop_details`, if any.
   */
  constructor(raw: string, stopDetails: unknown = null) {
    const details = stopDetails as { category?: unknown; explanation?: unknown } | null;
    const category = typeof details?.category === 'string' ? `, category ${details.category}` : '';
    const explanation = typeof details?.explanation === 'string' ? `: ${details.explanation}` : '';
    super(`The model refused to answer (stop_reason: refusal${category}), so there is no structured output${explanation}.`);
    this.raw = raw;
    this.stopDetails = stopDetails;
  }
}

/**
 * The structured output was cut off before it was complete: the message stopped with
 * `max_tokens` (or `model_context_window_exceeded`). `raw` is the text received and `partial`
 * the value as far as it arrived (what `partialOutput` last emitted); raise `max_tokens` or ask
 * for a smaller output.
 *
 * ## Example
 * ```ts
 * client.messages.stream(params).pipe(finalOutput(format)).subscribe({
 *   error: (error) => error instanceof OutputTruncatedError && console.warn(`cut off (${error.stopReason})`, error.partial),
 * });
 * ```
 */
export class OutputTruncatedError extends AnthropicError {
  /** The text received. */
  readonly raw: string;
  /** Why the message stopped: `max_tokens` or `model_context_window_exceeded`. */
  readonly stopReason: string;
  /** The output as far as it arrived, as partial JSON; `undefined` when nothing of it had. */
  readonly partial: unknown;
  /**
   * @param raw The text received.
   * @param stopReason Why the message stopped.
   * @param partial The output as far as it arrived.
   */
  constructor(raw: string, stopReason: string, partial: unknown) {
    super(`The structured output was cut off after ${raw.length} characters (stop_reason: ${stopReason}): raise max_tokens or ask for less.`);
    this.raw = raw;
    this.stopReason = stopReason;
    this.partial = partial;
  }
}

/**
 * A request was not sent because its limiter could not reach the store that the limit is shared
 * through (Redis, for `redisRequestLimiter` with `onStoreError: 'refuse'`). `cause` is the
 * store's error; `key` names the shared limit.
 *
 * Nothing was sent, so the request can be tried again as it is; the limiter tries the store again
 * by itself, and admits requests once the store answers. To let requests through unlimited while
 * the store is down instead, build the limiter with `onStoreError: 'allow'`.
 *
 * ## Example
 * ```ts
 * client.messages.stream(params).pipe(
 *   retry({ count: 3, delay: (error) => (error instanceof LimiterUnavailableError ? timer(1_000) : throwError(() => error)) }),
 * );
 * ```
 */
export class LimiterUnavailableError extends AnthropicError {
  /** The key of the shared limit, as the limiter was given it. */
  readonly key: string;
  /**
   * @param key The key of the shared limit.
   * @param message What failed and what to do.
   * @param cause The store's error.
   */
  constructor(key: string, message: string, cause: unknown) {
    super(message, { cause });
    this.key = key;
  }
}
