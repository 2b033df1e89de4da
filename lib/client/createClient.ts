import { asyncScheduler, of, type Observable } from 'rxjs';
import type { MessageCreateParams } from '../schema';
import type { ToolLoopEvent } from '../tools/ToolLoopEvent';
import type { ToolLoopOptions } from '../tools/toolLoop';
import { AnthropicError, InvalidArgumentError } from '../errors';
import { LocalRequestLimiter } from '../concurrency/LocalRequestLimiter';
import { baseURLProblem } from '../transport/baseURLProblem';
import { headerProblem } from '../transport/headerProblem';
import type { TransportConfig } from '../transport/HttpRequest';
import { checkClientOptions } from './checkClientOptions';
import type { ClientOptions } from './ClientOptions';
import { environmentVariable } from './environment';
import { isBrowser } from './isBrowser';
import { missingCredentials } from './missingCredentials';
import type { MessageBatches } from './batches';
import type { Files } from './files';
import { createMessages, type Messages } from './messages';
import { resolveLog } from '../logging/resolveLog';
import { registerTelemetry } from '../telemetry/telemetryOf';
import type { Models } from './models';
import { lazyResource } from './lazyResource';
import { lazyModule, whenLoaded } from './whenLoaded';

// The methods of the resources loaded at first use (see lazyResource): their code stays out of an
// app's first bundle, so that a chat-only app does not carry the tool loop, Files, Models or Batches.
const FILES_METHODS = { upload: true, list: true, retrieveMetadata: true, download: true, delete: true } as const;
const MODELS_METHODS = { list: true, retrieve: true } as const;
const BATCHES_METHODS = { create: true, retrieve: true, cancel: true, delete: true, list: true, results: true, watch: true, run: true } as const;
const toolLoopModule = lazyModule(() => import('../tools/toolLoop'));

/**
 * The API version every request names in `anthropic-version`.
 *
 * ## Example
 * ```ts
 * createClient({ defaultHeaders: { 'anthropic-version': ANTHROPIC_VERSION } }); // '2023-06-01', already the default
 * ```
 */
export const ANTHROPIC_VERSION = '2023-06-01';
const DEFAULT_BASE_URL = 'https://api.anthropic.com';

/** The base URL from the option, else from `ANTHROPIC_BASE_URL`, else the public API's; refused when it cannot be used. */
function resolveBaseURL(option: string | null | undefined): string {
  const fromOption = option !== undefined && option !== null;
  const baseURL = fromOption ? option : (environmentVariable('ANTHROPIC_BASE_URL') ?? DEFAULT_BASE_URL);
  const problem = baseURLProblem(baseURL);
  if (problem !== undefined) {
    const source = fromOption ? '' : ' It came from the ANTHROPIC_BASE_URL environment variable.';
    throw new InvalidArgumentError('baseURL', `The baseURL ${problem}.${source}`);
  }
  return baseURL.trim();
}

/**
 * A client of the Anthropic API: resources whose methods return cold Observables.
 *
 * ## Example
 * ```ts
 * const client: Client = createClient({ apiKey: process.env.ANTHROPIC_API_KEY });
 * client.messages.stream(params).pipe(textDeltas()).subscribe((text) => process.stdout.write(text));
 * ```
 */
export interface Client {
  readonly messages: Messages & {
    /** Runs the tool loop for one request: the same as `of(params).pipe(toolLoop(client, options))`. */
    toolLoop(params: MessageCreateParams, options: ToolLoopOptions): Observable<ToolLoopEvent>;
    /** The Message Batches API: `create`, `retrieve`, `list`, `cancel`, `delete`, `results`, `watch` and `run`. */
    readonly batches: MessageBatches;
  };
  /** The Files API (beta): `upload(file, options?)`, a cold `Observable<FileMetadata>`. */
  readonly files: Files;
  /** The Models API: `list(params?)` and `retrieve(id)`, cold Observables of `ModelInfo`. */
  readonly models: Models;
  /** The base URL requests go to. */
  readonly baseURL: string;
}

/** A credential given as an option: `null` (none) for an empty or blank one. */
const givenCredential = (value: string | null): string | null => (value === null || value.trim() === '' ? null : value);

/**
 * Creates a client of the Anthropic API.
 *
 * Every method returns a cold Observable: nothing is sent before subscribe, each subscription
 * sends its own request, and unsubscribing aborts it. The credentials live only inside the
 * client's closures: they are never a property of the client or of any error, so logging either
 * cannot leak them. Without credentials the requests go out unauthenticated, for a relay or a
 * proxy that adds them; a client aimed at the API itself (`https://api.anthropic.com`, the
 * default) with neither a key nor a token (`ANTHROPIC_API_KEY` unset, empty or blank) is
 * created all the same, but each of its requests fails at subscribe with an
 * `InvalidArgumentError` naming `ANTHROPIC_API_KEY`, `apiKey` and `authToken`, before it is sent.
 *
 * ## Example
 * ```ts
 * import { createClient, textDeltas } from 'rx-anthropic';
 *
 * const client = createClient(); // reads ANTHROPIC_API_KEY
 * client.messages
 *   .stream({ model: 'claude-sonnet-4-6', max_tokens: 1024, messages: [{ role: 'user', content: 'Hello' }] })
 *   .pipe(textDeltas())
 *   .subscribe((text) => process.stdout.write(text));
 * ```
 *
 * Mistakes in the options are refused here, where they are made, with an `InvalidArgumentError`
 * naming the option: a `baseURL` (or `ANTHROPIC_BASE_URL`) that is not an absolute `http:` or
 * `https:` URL, or holds `user:password@`; an `apiKey` or `authToken` that is not a string (an
 * empty or blank one is none, as an unset `ANTHROPIC_API_KEY` is); a negative or fractional `maxRetries`; a `timeout` that is not a positive number; a
 * `fetch` that is not a function; header values HTTP cannot send; a `limiter` without `limit` and
 * `observeResponse`, or given together with `maxConcurrentRequests` or `rateLimit`. None of them
 * is quoted when it could be a credential.
 *
 * Logging (`logLevel`, `logger`, `ANTHROPIC_LOG`) and tracing (`telemetry`) are described in
 * docs/observability.md.
 *
 * @param options Credentials, base URL, retries, timeout, `fetch`, default headers, request limits (or a `limiter`), logging, telemetry.
 * @return The client.
 * @throws InvalidArgumentError when an option cannot be used (see above).
 * @throws AnthropicError in a browser when given credentials, unless `dangerouslyAllowBrowser` is set.
 */
export function createClient(options: ClientOptions = {}): Client {
  checkClientOptions(options);
  const apiKey = options.apiKey === undefined ? environmentVariable('ANTHROPIC_API_KEY') : givenCredential(options.apiKey);
  const authToken = options.authToken === undefined ? environmentVariable('ANTHROPIC_AUTH_TOKEN') : givenCredential(options.authToken);
  // Only credentials are at risk in a page: a client without any (pointed at your own proxy) may run there.
  if (isBrowser() && (apiKey || authToken) && !options.dangerouslyAllowBrowser) {
    throw new AnthropicError(
      'Running in a browser with an API key or token would expose it to the page\'s users. Send requests through your own server ' +
        '(see toSSE()) and create the client there, or without credentials pointed at that server; pass `dangerouslyAllowBrowser: true` ' +
        'to createClient only if you understand the risk.',
    );
  }
  const baseURL = resolveBaseURL(options.baseURL);

  const headers: Record<string, string> = {
    accept: 'application/json',
    'content-type': 'application/json',
    'anthropic-version': ANTHROPIC_VERSION,
  };
  if (apiKey) headers['x-api-key'] = apiKey;
  else if (authToken) headers['authorization'] = `Bearer ${authToken}`;
  if (options.dangerouslyAllowBrowser) headers['anthropic-dangerous-direct-browser-access'] = 'true';
  for (const [name, value] of Object.entries(options.defaultHeaders ?? {})) {
    if (value === null) delete headers[name.toLowerCase()];
    else if (value !== undefined) headers[name.toLowerCase()] = value;
  }
  const fromDefaultHeaders = new Set(Object.keys(options.defaultHeaders ?? {}).map((name) => name.toLowerCase()));
  for (const [name, value] of Object.entries(headers)) {
    // fetch would reject the value with a TypeError that quotes it (the API key) in every error of the client.
    const problem = headerProblem(name, value);
    if (problem === undefined) continue;
    const source = fromDefaultHeaders.has(name) ? 'defaultHeaders' : name === 'x-api-key' ? 'apiKey' : 'authToken';
    const hint = source === 'defaultHeaders' ? '' : ': check how the value was read (pasted with extra text, or from a file of several lines?)';
    throw new InvalidArgumentError(source, `Cannot use the ${source} option: ${problem}${hint}.`);
  }

  const config: TransportConfig = {
    baseURL,
    fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
    headers,
    maxRetries: options.maxRetries ?? 2,
    timeout: options.timeout ?? 600_000,
    scheduler: options.scheduler ?? asyncScheduler,
    maxEventSize: options.maxEventSize,
    resumeStreams: options.resumeStreams ?? false,
    log: resolveLog(options),
    recovery: { continueOnDrop: options.continueOnDrop, fallback: options.fallback, hedge: options.hedge, onRecovery: options.onRecovery, timeout: options.timeout },
  };
  const requireCredentials = missingCredentials(options, baseURL, apiKey, authToken);
  if (requireCredentials !== undefined) config.requireCredentials = requireCredentials;
  if (options.limiter !== undefined) {
    config.gate = options.limiter;
  } else if (options.maxConcurrentRequests !== undefined || options.rateLimit === 'respect') {
    config.gate = new LocalRequestLimiter({ maxConcurrent: options.maxConcurrentRequests, rateLimit: options.rateLimit, scheduler: config.scheduler });
  }

  const client: Client = {
    messages: {
      ...createMessages(config, options.onWarning, options.telemetry),
      toolLoop: (params, loopOptions) => whenLoaded(toolLoopModule, ({ toolLoop }) => of(params).pipe(toolLoop(client, loopOptions))),
      batches: lazyResource<MessageBatches>(() => import('./batches').then(({ createMessageBatches }) => createMessageBatches(config)), BATCHES_METHODS),
    },
    files: lazyResource<Files>(() => import('./files').then(({ createFiles }) => createFiles(config)), FILES_METHODS),
    models: lazyResource<Models>(() => import('./models').then(({ createModels }) => createModels(config)), MODELS_METHODS),
    baseURL,
  };
  registerTelemetry(client, options.telemetry);
  return client;
}
