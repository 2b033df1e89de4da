/**
 * The top-level params a browser may set by default.
 *
 * The Messages params that shape one answer: the conversation, the sampling, client tools, thinking
 * and output settings. Left out, so that a request naming one is refused unless the server lists
 * it: `mcp_servers` (the API would connect, on the key owner's account, to servers and with tokens
 * the browser chooses), `container` (a container id reaches the files another user's requests left
 * there), `metadata` (`user_id` is the server's to set, in `prepare`, not the browser's to claim),
 * `service_tier`, `speed` and `inference_geo` (price and data residency are the key owner's
 * decision), `context_management` (a beta, and no beta passes by default). `stream` is always
 * accepted: the route decides it.
 *
 * ## Example
 * ```ts
 * // Let browsers also set the metadata (here a server behind its own login), keep the rest:
 * createProxyHandler({ client: createClient(), authorize, allowedParams: [...DEFAULT_ALLOWED_PARAMS, 'metadata'] });
 * ```
 */
export const DEFAULT_ALLOWED_PARAMS: readonly string[] = Object.freeze([
  'model',
  'max_tokens',
  'messages',
  'system',
  'temperature',
  'top_p',
  'top_k',
  'stop_sequences',
  'tools',
  'tool_choice',
  'thinking',
  'output_config',
  'output_format',
  'cache_control',
]);

/**
 * The tool types a browser may declare by default: `custom` only (a tool whose code runs in the
 * browser, the type a tool without `type` has).
 *
 * Server tools (`web_search_20250305`, `web_fetch_…`, `code_execution_…`) run on Anthropic's side
 * at the key owner's cost, so each must be listed by its versioned type to pass.
 *
 * ## Example
 * ```ts
 * createProxyHandler({ client: createClient(), authorize, allowedToolTypes: [...DEFAULT_ALLOWED_TOOL_TYPES, 'web_search_20250305'] });
 * ```
 */
export const DEFAULT_ALLOWED_TOOL_TYPES: readonly string[] = Object.freeze(['custom']);

/**
 * The content block types a browser may send by default: what a chat in a browser sends (text,
 * images, documents, its client tools' uses and results, thinking, search results).
 *
 * Left out, so that a request with one is refused until the server lists it: `tool_addition` and
 * `tool_removal` (they change the tools mid-conversation, and may carry a whole tool definition),
 * `container_upload` (a file into the code execution container), the server tools' own blocks
 * (`server_tool_use`, `web_search_tool_result`, …), `compaction` and any type the API adds later.
 *
 * ## Example
 * ```ts
 * // A relay that lets browsers replay conversations that used web search:
 * createProxyHandler({
 *   client: createClient(),
 *   authorize,
 *   allowedToolTypes: [...DEFAULT_ALLOWED_TOOL_TYPES, 'web_search_20250305'],
 *   allowedContentTypes: [...DEFAULT_ALLOWED_CONTENT_TYPES, 'server_tool_use', 'web_search_tool_result', 'web_search_result'],
 * });
 * ```
 */
export const DEFAULT_ALLOWED_CONTENT_TYPES: readonly string[] = Object.freeze([
  'text',
  'image',
  'document',
  'tool_use',
  'tool_result',
  'thinking',
  'redacted_thinking',
  'search_result',
]);

/** The default base path of the routes. */
export const DEFAULT_BASE_PATH = '/api';

/** The default bound of a request body: a long chat with a few images, not the API's own 32 MiB, which would let a dozen bodies fill the server's memory. */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

/** The default deadline of a whole request body. */
export const DEFAULT_BODY_TIMEOUT_MS = 10_000;

/** The default bound of the requests the relay holds at once. */
export const DEFAULT_MAX_CONCURRENT_REQUESTS = 256;

/** The default deadline of an upstream request. */
export const DEFAULT_MAX_STREAM_MS = 10 * 60_000;

/** The default bound of the SSE text held for a slow reader. */
export const DEFAULT_MAX_BUFFERED_BYTES = 4 * 1024 * 1024;
