import { DOCUMENT, inject } from '@angular/core';
import { HttpClient } from '@angular/common/http';
import { createClient, type Client } from '../client/createClient';
import { InvalidArgumentError } from '../errors';
import type { AnthropicOptions } from './AnthropicOptions';
import { httpClientFetch } from './httpClientFetch';
import { MissingProviderError } from './MissingProviderError';

/** A path (`/api`, `./api`) rather than a URL: resolved against the document's base URI. */
const RELATIVE_PATH = /^\.{0,2}\//;

function resolveBaseURL(baseURL: string | null | undefined): string | null | undefined {
  if (typeof baseURL !== 'string' || !RELATIVE_PATH.test(baseURL.trim()) || baseURL.trim().startsWith('//')) return baseURL;
  const base = inject(DOCUMENT, { optional: true })?.baseURI;
  if (!base || !/^https?:/i.test(base)) {
    throw new InvalidArgumentError(
      'baseURL',
      `provideAnthropic(): the baseURL '${baseURL}' is a path, and there is no http(s) document to resolve it against (base URI: ${base ?? 'none'}); ` +
        'give an absolute URL, such as one built from the request URL when rendering on the server.',
    );
  }
  return new URL(baseURL.trim(), base).href;
}

function httpClientOrThrow(): HttpClient {
  const http = inject(HttpClient, { optional: true });
  if (http) return http;
  throw new MissingProviderError(
    'provideHttpClient',
    "provideAnthropic() sends requests through Angular's HttpClient, which is not provided here: add provideHttpClient(withFetch()) " +
      "to the same providers (app.config.ts), or pass transport: 'fetch' to use the global fetch without interceptors.",
  );
}

/**
 * The client `provideAnthropic()` provides, created in its injection context: the options'
 * client options, a `baseURL` path resolved against the document's base URI, and the transport
 * they name (`HttpClient`, the default, through {@link httpClientFetch}).
 *
 * ## Example
 * ```ts
 * { provide: ANTHROPIC_CLIENT, useFactory: () => createAnthropicClient(inject(ANTHROPIC_OPTIONS)) }
 * ```
 *
 * @param options The merged options.
 * @return The client.
 * @throws MissingProviderError for the `HttpClient` transport without `provideHttpClient()`.
 * @throws InvalidArgumentError for a `baseURL` path without a document, and the options `createClient` refuses.
 */
export function createAnthropicClient(options: AnthropicOptions): Client {
  const { transport, params: _params, baseURL, fetch, ...clientOptions } = options;
  const send = fetch ?? (transport === 'fetch' ? undefined : httpClientFetch(httpClientOrThrow()));
  return createClient({ ...clientOptions, baseURL: resolveBaseURL(baseURL), ...(send ? { fetch: send } : {}) });
}
