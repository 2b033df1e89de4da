import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Observable } from 'rxjs';
import type { MessageTokensCount } from '../client/messages';
import type { Message, MessageCountTokensParams, MessageCreateParams, RawMessageStreamEvent } from '../schema';
import type { RequestOptions } from '../transport/HttpRequest';

/**
 * What the proxy needs of the server-side client: a `Client` from `createClient()` is one.
 *
 * The interface is structural so that a test, or a server with its own transport, can hand the
 * proxy any object with these three methods.
 *
 * ## Example
 * ```ts
 * const upstream: ProxyClient = createClient({ apiKey: process.env.ANTHROPIC_API_KEY });
 * const handler = createProxyHandler({ client: upstream });
 * ```
 */
export interface ProxyClient {
  readonly messages: {
    /** Streams a message (relayed as SSE). */
    stream(params: MessageCreateParams, options?: RequestOptions): Observable<RawMessageStreamEvent>;
    /** Creates a message without streaming (relayed as JSON). */
    create(params: MessageCreateParams & { stream?: false | null }, options?: RequestOptions): Observable<Message>;
    /** Counts a request's input tokens. */
    countTokens(params: MessageCountTokensParams, options?: RequestOptions): Observable<MessageTokensCount>;
  };
}

/**
 * The API call a request is relayed as: `stream` (`POST …/messages`, or `POST …/v1/messages`
 * with `stream: true`), `create` (`POST …/v1/messages` without it), `countTokens`
 * (`POST …/v1/messages/count_tokens`).
 *
 * ## Example
 * ```ts
 * const prepare = (params: ProxyParams, { route }: ProxyContext) => (route === 'countTokens' ? params : { ...params, system: 'Be brief.' });
 * ```
 */
export type ProxyRoute = 'stream' | 'create' | 'countTokens';

/**
 * The params of a relayed request: a Messages request, or a token count's params on the
 * `countTokens` route.
 *
 * ## Example
 * ```ts
 * const withSystem = (params: ProxyParams): ProxyParams => ({ ...params, system: 'Answer in French.' });
 * ```
 */
export type ProxyParams = MessageCreateParams | MessageCountTokensParams;

/**
 * What the `prepare` hook knows of the request besides its params.
 *
 * ## Example
 * ```ts
 * const prepare = (params: ProxyParams, context: ProxyContext) => ({ ...params, metadata: { user_id: String(context.request.headers['x-user-id']) } });
 * ```
 */
export interface ProxyContext {
  /** The browser's request (an Express `Request` under Express): headers, URL, socket. */
  readonly request: IncomingMessage;
  /** The API call the request becomes. */
  readonly route: ProxyRoute;
}

/**
 * Options of {@link createProxyHandler}: the server-side client, and what a browser may ask of it.
 *
 * Every check runs on what the browser sent, in this order: `authorize`, the beta header, the
 * body's size and JSON, `allowedParams`, `allowedModels`, `maxTokens`, `allowedToolTypes`; then
 * `prepare` rewrites the params (its output is trusted and not checked again); then the request
 * goes upstream. A refusal answers a 4xx in the API's error shape and sends nothing upstream.
 *
 * ## Example
 * ```ts
 * const options: ProxyOptions = {
 *   client: createClient(),
 *   allowedModels: ['claude-sonnet-4-5', 'claude-haiku-4-5'],
 *   maxTokens: 2048,
 *   authorize: (request) => request.headers['authorization'] === `Bearer ${process.env.SESSION_TOKEN}`,
 * };
 * ```
 */
export interface ProxyOptions {
  /** The server-side client: it holds the API key, which never leaves the server. */
  client: ProxyClient;
  /**
   * The path the routes live under, as the browser sees it (under Express, whatever the mount:
   * the handler reads `originalUrl`). Default `'/api'`: `POST /api/messages`,
   * `POST /api/v1/messages`, `POST /api/v1/messages/count_tokens`.
   */
  basePath?: string;
  /**
   * The models a browser may ask for; a request for another one is refused with 403
   * `permission_error`. Default: every model.
   */
  allowedModels?: readonly string[];
  /** The largest `max_tokens` a browser may ask for. Default: no cap (the model's own limit). */
  maxTokens?: number;
  /**
   * What a `max_tokens` over {@link ProxyOptions.maxTokens} gets: `'refuse'` answers 400
   * `invalid_request_error` naming the cap; `'clamp'` lowers it to the cap. Default `'refuse'`.
   */
  overMaxTokens?: 'refuse' | 'clamp';
  /**
   * The top-level params a browser may set; a request with any other is refused with 403
   * `permission_error` naming it (never silently dropped). Default {@link DEFAULT_ALLOWED_PARAMS}.
   */
  allowedParams?: readonly string[];
  /**
   * The tool types a browser may declare in `tools`. A tool without a `type` is `'custom'` (its
   * code runs in the browser). Server tools (`web_search_…`, `web_fetch_…`, `code_execution_…`)
   * run at the key owner's cost and must be listed by their versioned type to pass.
   * Default {@link DEFAULT_ALLOWED_TOOL_TYPES}: custom tools only.
   */
  allowedToolTypes?: readonly string[];
  /**
   * The beta names a browser may send in `anthropic-beta`; a request with another is refused with
   * 403 `permission_error`. Default: none.
   */
  allowedBetas?: readonly string[];
  /**
   * Decides, before the body is read, whether a request may use the proxy: `true` lets it
   * through, `false` answers 401 `authentication_error`; throwing a `ProxyRefusalError` answers
   * its status (403 `permission_error`, say). Default: every request.
   */
  authorize?: (request: IncomingMessage) => boolean | Promise<boolean>;
  /**
   * Rewrites the checked params before they go upstream: a system prompt, `metadata.user_id`
   * from the session, a forced model. Throwing a `ProxyRefusalError` refuses the request with
   * its status. Default: the params as the browser sent them (less `stream`, which the route decides).
   */
  prepare?: (params: ProxyParams, context: ProxyContext) => ProxyParams | Promise<ProxyParams>;
  /** The largest request body accepted, in bytes; a larger one answers 413. Default 32 MiB (the API's own limit). */
  maxBodyBytes?: number;
  /**
   * The most SSE text, in bytes, held for a browser that reads slower than the upstream writes;
   * past it the browser is cut off and the upstream request aborted. Default 4 MiB.
   */
  maxBufferedBytes?: number;
  /**
   * Hears the failures the proxy answers with 500 or 502: a hook that threw something other than a
   * `ProxyRefusalError`, or a request to the API that got no answer (no connection, a timeout).
   * The API's own errors are not reported: the browser gets those as they came. The browser gets
   * no details of a 500. Default: `console.error`.
   */
  onError?: (error: unknown, request: IncomingMessage) => void;
}

/**
 * A request handler for `node:http` and Express alike: `(request, response, next?)`.
 *
 * It answers the proxy's routes and passes every other request to `next` (under Express: the
 * next middleware, static files, say); without `next`, it answers those with 404.
 *
 * ## Example
 * ```ts
 * const handler: ProxyHandler = createProxyHandler({ client: createClient() });
 * createServer((request, response) => handler(request, response)).listen(8787);
 * ```
 */
export type ProxyHandler = (request: IncomingMessage, response: ServerResponse, next?: (error?: unknown) => void) => void;

/**
 * Options of {@link createProxyServer}: the handler's options, where to listen, and what answers
 * the other requests.
 *
 * ## Example
 * ```ts
 * const options: ProxyServerOptions = { client: createClient(), port: 8787, allowedModels: ['claude-haiku-4-5'] };
 * ```
 */
export interface ProxyServerOptions extends ProxyOptions {
  /** Default 0: a free port (see `url`). */
  port?: number;
  /** Default `'127.0.0.1'`: reachable from this machine only. */
  host?: string;
  /**
   * Answers the requests that are not the proxy's (the pages, a health check). Default: 404 in
   * the API's error shape.
   */
  fallback?: (request: IncomingMessage, response: ServerResponse) => void;
}

/**
 * A running proxy server.
 *
 * ## Example
 * ```ts
 * const proxy: ProxyServer = await createProxyServer({ client: createClient() });
 * console.log(`POST ${proxy.url}/api/messages`);
 * await proxy.close();
 * ```
 */
export interface ProxyServer {
  /** `http://<host>:<port>`. */
  readonly url: string;
  /** The `node:http` server. */
  readonly server: Server;
  /** Stops listening and closes every connection (aborting the streams still open, and their upstream requests). */
  close(): Promise<void>;
}
