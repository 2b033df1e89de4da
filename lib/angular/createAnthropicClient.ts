import { isPlatformServer } from '@angular/common';
import { HttpClient } from '@angular/common/http';
import { inject, Injector, PendingTasks, PLATFORM_ID, TransferState } from '@angular/core';
import { NEVER, throwError } from 'rxjs';
import { createClient, type Client } from '../client/createClient';
import type { AnthropicOptions } from './AnthropicOptions';
import { httpClientFetch } from './httpClientFetch';
import { MissingProviderError } from './MissingProviderError';
import { recordToTransferState } from './recordToTransferState';
import { replaceRequests } from './replaceRequests';
import { replayFromTransferState } from './replayFromTransferState';
import { resolveBaseURL } from './resolveBaseURL';
import { lacksProvideHttpClient, warnWithoutProvideHttpClient } from './warnWithoutProvideHttpClient';

/** The base URL of a client that cannot send (its own is a path with nothing to resolve it against); never used. */
const UNRESOLVED_BASE_URL = 'http://unresolved.invalid';

function httpClientOrThrow(): HttpClient {
  // Asked before inject(HttpClient), which would create Angular 21's root provider.
  const unprovided = lacksProvideHttpClient();
  const http = inject(HttpClient, { optional: true });
  if (http) {
    if (unprovided) warnWithoutProvideHttpClient();
    return http;
  }
  throw new MissingProviderError(
    'provideHttpClient',
    "provideAnthropic() sends requests through Angular's HttpClient, which is not provided here: add provideHttpClient(withFetch()) " +
      "to the same providers (app.config.ts), or pass transport: 'fetch' to use the global fetch without interceptors.",
  );
}

/**
 * The client `provideAnthropic()` provides, created in its injection context: the options'
 * client options, a `baseURL` path resolved against the document's base URI (on the server, the
 * request's URL), and the transport they name (`HttpClient`, the default, through
 * {@link httpClientFetch}).
 *
 * Creating it reads neither `document` nor `window`, and does not throw on the server, with or
 * without a request. On the server, with `onServer: 'wait'` (the default), its requests wait for
 * the browser: their Observables emit nothing and send nothing. With `onServer: 'send'` they are
 * sent, and each response is kept in `TransferState`, which the client in the browser (given the
 * same `onServer: 'send'`) replays once instead of sending the same request again; where a `baseURL` path has no request to be
 * resolved against (prerendering), each request fails with an `InvalidArgumentError` saying so.
 *
 * ## Example
 * ```ts
 * { provide: ANTHROPIC_CLIENT, useFactory: () => createAnthropicClient(inject(ANTHROPIC_OPTIONS)) }
 * ```
 *
 * @param options The merged options.
 * @return The client.
 * @throws MissingProviderError for the `HttpClient` transport without `provideHttpClient()`.
 * @throws InvalidArgumentError in a browser for a `baseURL` path without an http(s) document, and for the options `createClient` refuses.
 */
export function createAnthropicClient(options: AnthropicOptions): Client {
  const { transport, params: _params, baseURL, fetch, onServer = 'wait', ...clientOptions } = options;
  const send: typeof globalThis.fetch = fetch ?? (transport === 'fetch' ? (input, init) => globalThis.fetch(input, init) : httpClientFetch(httpClientOrThrow()));
  const resolved = resolveBaseURL(baseURL);

  if (!isPlatformServer(inject(PLATFORM_ID))) {
    if (resolved instanceof Error) throw resolved;
    if (onServer === 'wait') return createClient({ ...clientOptions, baseURL: resolved, fetch: send });
    const injector = inject(Injector);
    return createClient({ ...clientOptions, baseURL: resolved, fetch: replayFromTransferState(send, () => injector.get(TransferState)) });
  }
  if (resolved instanceof Error) {
    const client = createClient({ ...clientOptions, baseURL: UNRESOLVED_BASE_URL, fetch: send });
    return replaceRequests(client, onServer === 'send' ? () => throwError(() => resolved) : () => NEVER, baseURL ?? undefined);
  }
  if (onServer === 'wait') return replaceRequests(createClient({ ...clientOptions, baseURL: resolved, fetch: send }), () => NEVER);
  return createClient({ ...clientOptions, baseURL: resolved, fetch: recordToTransferState(send, inject(TransferState), inject(PendingTasks)) });
}
