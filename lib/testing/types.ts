/**
 * Types of the `rx-anthropic/testing` mock server: the script (turns), what it records, and the
 * server handle. Kept apart from `lib/schema` on purpose: the mock has to stay loose enough to
 * serve malformed or future-shaped payloads that a strict codec would refuse.
 */

/**
 * A content block as the mock sends it: a `type` plus whatever fields that type has.
 *
 * ## Example
 * ```ts
 * const block: MockContentBlock = { type: 'text', text: 'Hello!' };
 * messageReply({ content: [block] });
 * ```
 */
export interface MockContentBlock {
  readonly type: string;
  readonly [field: string]: unknown;
}

/**
 * The `usage` object of a mock Message.
 *
 * ## Example
 * ```ts
 * const usage: MockUsage = { input_tokens: 12, output_tokens: 3, cache_creation_input_tokens: null, cache_read_input_tokens: null };
 * ```
 */
export interface MockUsage {
  readonly input_tokens: number;
  readonly output_tokens: number;
  readonly cache_creation_input_tokens: number | null;
  readonly cache_read_input_tokens: number | null;
  readonly [field: string]: unknown;
}

/**
 * A finished Message, as answered to a non-streaming request.
 *
 * ## Example
 * ```ts
 * const message: MockMessage = {
 *   id: 'msg_1', type: 'message', role: 'assistant', model: 'claude-sonnet-4-6', content: [{ type: 'text', text: 'Hi' }],
 *   stop_reason: 'end_turn', stop_sequence: null,
 *   usage: { input_tokens: 5, output_tokens: 1, cache_creation_input_tokens: null, cache_read_input_tokens: null },
 * };
 * const server = await createMockServer([jsonReply(message)]);
 * ```
 */
export interface MockMessage {
  readonly id: string;
  readonly type: 'message';
  readonly role: 'assistant';
  readonly model: string;
  readonly content: readonly MockContentBlock[];
  readonly stop_reason: string | null;
  readonly stop_sequence: string | null;
  readonly usage: MockUsage;
  readonly [field: string]: unknown;
}

/**
 * A Message with the parts the server fills per request left optional: `id` (`msg_mock_<n>`),
 * `model` (the request's), tool-use ids (`toolu_mock_<n>_<i>`) and `usage` (token estimates).
 *
 * ## Example
 * ```ts
 * const draft: MockMessageDraft = { content: [{ type: 'text', text: 'Hi' }], stop_reason: 'end_turn' };
 * const server = await createMockServer([messageReply(draft)]);
 * ```
 */
export interface MockMessageDraft {
  readonly id?: string;
  readonly model?: string;
  readonly content: readonly MockContentBlock[];
  readonly stop_reason?: string | null;
  readonly stop_sequence?: string | null;
  readonly usage?: Partial<MockUsage>;
  readonly [field: string]: unknown;
}

/**
 * How a turn is delivered. Every option works with every kind of turn, so faults compose with
 * any reply: `{ ...textReply('hi'), cutAfterBytes: 100 }`.
 *
 * ## Example
 * ```ts
 * const faults: MockReplyOptions = { delayMs: 100, splitBytes: 7, cutAfterBytes: 200 };
 * const server = await createMockServer([{ ...textReply('Hello there!'), ...faults }]);
 * ```
 */
export interface MockReplyOptions {
  /** HTTP status (default 200, or the error's status for an error turn). */
  readonly status?: number;
  /** Extra response headers; they override the defaults (`retry-after`, `x-should-retry`, …). */
  readonly headers?: Readonly<Record<string, string>>;
  /** Overrides the `content-type` header. */
  readonly contentType?: string;
  /** Waits this long before sending the status line and headers. */
  readonly delayMs?: number;
  /** Waits this long between two body chunks (SSE frames, or `splitBytes` pieces). */
  readonly chunkDelayMs?: number;
  /** Writes the body in pieces of this many bytes instead of one piece per SSE frame. */
  readonly splitBytes?: number;
  /**
   * Writes only the first `n` bytes of the body, then closes the connection without finishing
   * the response. With `n` at least the body's length the whole body goes out, but unterminated.
   */
  readonly cutAfterBytes?: number;
  /** Sends the headers at once, then waits this long before the first piece of the body (a slow first event). */
  readonly firstEventDelayMs?: number;
  /**
   * Sends only the first `n` SSE frames of a streamed body (pings included), then closes the
   * connection without finishing the response: a connection dropped between two events. With
   * `cutAfterBytes` too, whichever comes first.
   */
  readonly cutAfterEvents?: number;
  /**
   * Sends the first `n` SSE frames of a streamed body (pings included), then nothing until the
   * client goes away or the server closes: a stream that stalls.
   */
  readonly stallAfterEvents?: number;
  /**
   * Refuses a request that ends with an assistant message (a prefill) with status 400 and an
   * `invalid_request_error`, as the API does for a model or request that takes no prefill; a
   * request without one gets the turn's answer.
   */
  readonly refusePrefill?: boolean;
  /** Sends the headers, then nothing until the client goes away or the server closes. */
  readonly hangAfterHeaders?: boolean;
  /** Never answers: not even headers. */
  readonly hang?: boolean;
}

/**
 * A reply built from a Message: streamed as events, or answered whole when not streaming.
 *
 * ## Example
 * ```ts
 * const turn: MockMessageTurn = textReply('Hello!', { chunkSize: 2 });
 * ```
 */
export interface MockMessageTurn extends MockReplyOptions {
  readonly kind: 'message';
  readonly message: MockMessageDraft;
  /** Characters per `text_delta` / `thinking_delta` (default 4). */
  readonly chunkSize?: number;
  /** Characters per `input_json_delta` (default 8). */
  readonly jsonChunkSize?: number;
}

/**
 * Raw stream events, each sent as one SSE frame named after its `type`.
 *
 * ## Example
 * ```ts
 * const turn: MockEventsTurn = eventsReply([{ type: 'ping' }, { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }]);
 * ```
 */
export interface MockEventsTurn extends MockReplyOptions {
  readonly kind: 'events';
  readonly events: readonly object[];
}

/**
 * Raw SSE bytes sent exactly as given (a recorded fixture, a malformed stream).
 *
 * ## Example
 * ```ts
 * const turn: MockSSETurn = sseReply('event: ping\ndata: {"type":"ping"}\n\n');
 * ```
 */
export interface MockSSETurn extends MockReplyOptions {
  readonly kind: 'sse';
  readonly sse: string | Uint8Array;
}

/**
 * Any JSON body, whatever the request asked for.
 *
 * ## Example
 * ```ts
 * const turn: MockJSONTurn = jsonReply({ input_tokens: 42 });
 * ```
 */
export interface MockJSONTurn extends MockReplyOptions {
  readonly kind: 'json';
  readonly body: unknown;
}

/**
 * An API error: `{ type: 'error', error: { type, message }, request_id }` with an HTTP status.
 *
 * ## Example
 * ```ts
 * const turn: MockErrorTurn = errorReply(529); // error.type 'overloaded_error'
 * ```
 */
export interface MockErrorTurn extends MockReplyOptions {
  readonly kind: 'error';
  readonly status: number;
  readonly error: { readonly type: string; readonly message: string };
}

/**
 * Raw bytes with a content type: what the mock answers to `GET /v1/files/{id}/content`.
 *
 * ## Example
 * ```ts
 * const turn: MockBytesTurn = { kind: 'bytes', body: new TextEncoder().encode('a,b\n1,2\n'), contentType: 'text/csv' };
 * const server = await createMockServer([turn]);
 * ```
 */
export interface MockBytesTurn extends MockReplyOptions {
  readonly kind: 'bytes';
  readonly body: Uint8Array;
  readonly contentType: string;
}

/**
 * One answer of the mock server, told apart by `kind`. Build them with the `*Reply` helpers.
 *
 * ## Example
 * ```ts
 * const script: MockTurn[] = [errorReply(529), textReply('Hello!')];
 * const server = await createMockServer(script);
 * ```
 */
export type MockTurn = MockMessageTurn | MockEventsTurn | MockSSETurn | MockJSONTurn | MockErrorTurn | MockBytesTurn;

/**
 * Picks the turn for a `POST /v1/messages` request; `index` counts those requests from 0,
 * leaving out the ones the server refused as invalid (see `MockServerOptions.validateRequests`).
 *
 * ## Example
 * ```ts
 * const echo: MockTurnFunction = (request, index) => textReply(`request ${index}: ${JSON.stringify(request.body)}`);
 * const server = await createMockServer(echo);
 * ```
 */
export type MockTurnFunction = (request: RecordedRequest, index: number) => MockTurn;

/**
 * Turns consumed in order, one per `POST /v1/messages` the server accepts, or a function that
 * picks each one. A request refused as invalid uses no turn.
 *
 * ## Example
 * ```ts
 * const script: MockScript = [toolUseReply([{ name: 'get_weather', input: { city: 'Paris' } }]), textReply('Sunny.')];
 * const server = await createMockServer(script);
 * ```
 */
export type MockScript = readonly MockTurn[] | MockTurnFunction;

/**
 * A request the mock server received. The connection fields change as the exchange goes on.
 *
 * ## Example
 * ```ts
 * const request: RecordedRequest = await server.waitForRequest(0);
 * expect(request.path).toBe('/v1/messages');
 * expect((request.body as { model: string }).model).toBe('claude-sonnet-4-6');
 * ```
 */
export interface RecordedRequest {
  /** Position in `MockServer.requests`. */
  readonly index: number;
  /** The `request-id` header the server answered with (`req_mock_<n>`). */
  readonly requestId: string;
  readonly method: string;
  /** The path without the query string. */
  readonly path: string;
  /** The query string parameters (the official SDKs add `?beta=true` on beta endpoints); a repeated one keeps its last value. */
  readonly query: Readonly<Record<string, string>>;
  /** The query string as sent, without the `?` (`''` when there is none): every value of a repeated parameter (`ids[]=a&ids[]=b`). */
  readonly search?: string;
  /** Lower-cased names; repeated headers are joined with `, `. */
  readonly headers: Readonly<Record<string, string>>;
  /** The body parsed as JSON, or its text when it is not JSON (`undefined` when empty). */
  readonly body: unknown;
  /** The body bytes as received. */
  readonly rawBody: Uint8Array;
  /** Resolves once the exchange is over: the response was fully sent, or the connection closed. */
  readonly closed: Promise<void>;
  /** The whole response was sent. */
  readonly completed: boolean;
  /** The client closed the connection before the response was complete. */
  readonly abortedByClient: boolean;
  /**
   * Set when the server refused the request as the API would, with status 400 and this
   * `invalid_request_error` message (`max_tokens: Field required`); such a request used no
   * scripted turn. `undefined` for a request that was accepted. See `MockServerOptions.validateRequests`.
   */
  readonly refusal?: string;
}

/**
 * A file the mock server holds from the start, as if a tool (code execution) had written it:
 * listed, described and, unlike an upload, downloadable (`downloadable` defaults to true).
 * Its id is `file_mock_generated_<n>`, n counting these files from 1.
 *
 * ## Example
 * ```ts
 * const chart: MockFile = { filename: 'chart.csv', mimeType: 'text/csv', content: 'x,y\n1,2\n' };
 * const server = await createMockServer([], { files: [chart] }); // GET /v1/files/file_mock_generated_1/content
 * ```
 */
export interface MockFile {
  readonly filename: string;
  /** Default `application/octet-stream`. */
  readonly mimeType?: string;
  /** The bytes, or a text sent as UTF-8. */
  readonly content: string | Uint8Array;
  readonly downloadable?: boolean;
}

/**
 * The result the mock gives a request of a batch, as a line of the results file has it:
 * `{ type: 'succeeded', message }`, `{ type: 'errored', error: { type: 'error', error: { type, message } } }`,
 * `{ type: 'canceled' }` or `{ type: 'expired' }`.
 *
 * ## Example
 * ```ts
 * const expired: MockBatchResult = { type: 'expired' };
 * ```
 */
export interface MockBatchResult {
  readonly type: string;
  readonly [field: string]: unknown;
}

/**
 * How the mock server's Message Batches behave.
 *
 * ## Example
 * ```ts
 * const batches: MockBatchOptions = {
 *   endAfterRetrievals: 3,
 *   result: (customId) => (customId.startsWith('bad') ? { type: 'errored', error: { type: 'error', error: { type: 'invalid_request_error', message: 'bad' } } } : undefined),
 * };
 * const server = await createMockServer([], { batches });
 * ```
 */
export interface MockBatchOptions {
  /**
   * A batch is `in_progress` until it has been retrieved this many times: the retrieval that
   * makes the count answers it `ended` (default 1: the first retrieval; 0: ended from its creation).
   */
  readonly endAfterRetrievals?: number;
  /** The result of each request, by `custom_id` and params; `undefined` (or no function) for a `succeeded` message "Result for <custom_id>". */
  readonly result?: (customId: string, params: unknown) => MockBatchResult | undefined;
  /**
   * A reply played instead of the batch for a `GET /v1/messages/batches/{id}` (`poll` counts
   * them from 0 for each batch), such as `errorReply(429, { headers: { 'retry-after': '1' } })`;
   * `undefined` answers the batch. A scripted reply does not count as a retrieval.
   */
  readonly retrieveReply?: (id: string, poll: number) => MockTurn | undefined;
  /** How the results file is sent (`splitBytes`, `chunkDelayMs`, `cutAfterBytes`, …). */
  readonly resultsDelivery?: MockReplyOptions;
}

/**
 * Options of `createMockServer` beyond the script.
 *
 * ## Example
 * ```ts
 * const options: MockServerOptions = { countTokens: () => 42, validateRequests: false };
 * const server = await createMockServer([textReply('Hi')], options);
 * ```
 */
export interface MockServerOptions {
  /**
   * Answers `POST /v1/messages/count_tokens`: a number becomes `{ input_tokens }`, a turn is
   * played as is (an `errorReply`, a delay, …). Default: ceil(characters / 4) of the request.
   */
  readonly countTokens?: (request: RecordedRequest, index: number) => number | MockTurn;
  /**
   * Checks the body of every `POST /v1/messages` and `/v1/messages/count_tokens` against the
   * request codecs (`MessageCreateParams`, `MessageCountTokensParams`) and answers an invalid
   * one as the API does: status 400, `invalid_request_error`, a message that starts with the
   * field's path (`messages: Field required`, `max_tokens: expected integer, …`). The refused
   * request is recorded (with its `refusal`) but uses no scripted turn, so the script stays in
   * step with the requests the API would have answered. Default true; `false` lets any JSON
   * object through, for tests of odd requests. A body that is not a JSON object is refused either way.
   */
  readonly validateRequests?: boolean;
  /** Files the server holds from the start (see {@link MockFile}); uploads are added to them. */
  readonly files?: readonly MockFile[];
  /** How the Message Batches API behaves (see {@link MockBatchOptions}). */
  readonly batches?: MockBatchOptions;
  /**
   * Keeps the Node process alive while the server listens (default false: the server and its
   * connections are `unref`ed, so a forgotten `close()` cannot hang a test run or a demo).
   */
  readonly keepProcessAlive?: boolean;
}

/**
 * A running mock server.
 *
 * ## Example
 * ```ts
 * const server: MockServer = await createMockServer([textReply('Hello!')]);
 * const client = createClient({ apiKey: 'test', baseURL: server.baseURL });
 * await server.close();
 * ```
 */
export interface MockServer {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** The same as `url`: what `createClient({ baseURL })` takes. */
  readonly baseURL: string;
  /** Every request received, in the order their bodies arrived. */
  readonly requests: readonly RecordedRequest[];
  /** Resolves with `requests[index]` once it has arrived (rejects if the server closes first). */
  waitForRequest(index: number): Promise<RecordedRequest>;
  /** Number of TCP connections open right now. */
  openConnections(): number;
  /** Stops listening, ends every exchange and destroys every connection. Safe to call twice. */
  close(): Promise<void>;
}
