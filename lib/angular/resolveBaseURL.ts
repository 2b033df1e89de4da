import { isPlatformServer } from '@angular/common';
import { DOCUMENT, inject, PLATFORM_ID, REQUEST } from '@angular/core';
import { InvalidArgumentError } from '../errors';

/** A path (`/api`, `./api`) rather than a URL: resolved against the page's address. */
const RELATIVE_PATH = /^\.{0,2}\//;

/**
 * The base URL a `provideAnthropic()` client sends to, resolved in the injection context it is
 * created in: an absolute URL as it is; a path against the document's base URI in a browser, and
 * against the incoming request's URL (Angular's `REQUEST`) when rendering on the server, where
 * the document is Angular's server DOM and has no base URI to read. Where there is nothing to
 * resolve against (prerendering, a page without an http(s) address) the answer is the error to
 * fail requests with, not a throw: creating the client must not break a server render.
 *
 * ## Example
 * ```ts
 * // in a server render of https://shop.example/chat:
 * runInInjectionContext(injector, () => resolveBaseURL('/api')); // 'https://shop.example/api'
 * ```
 *
 * @param baseURL The `baseURL` of the options.
 * @return The URL to give `createClient`, or the error that says why there is none.
 */
export function resolveBaseURL(baseURL: string | null | undefined): string | null | undefined | InvalidArgumentError {
  if (typeof baseURL !== 'string') return baseURL;
  const path = baseURL.trim();
  if (!RELATIVE_PATH.test(path) || path.startsWith('//')) return baseURL;
  const onServer = isPlatformServer(inject(PLATFORM_ID));
  const base = onServer ? inject(REQUEST, { optional: true })?.url : inject(DOCUMENT, { optional: true })?.baseURI;
  if (base && /^https?:/i.test(base)) return new URL(path, base).href;
  const fix = onServer
    ? 'when rendering on the server without a request (prerendering), give an absolute baseURL for the server, ' +
      "such as provideAnthropic({ baseURL: 'https://relay.internal/api' }) in app.config.server.ts, or keep the default onServer: 'wait'"
    : 'give an absolute URL';
  return new InvalidArgumentError(
    'baseURL',
    `provideAnthropic(): the baseURL '${baseURL}' is a path, and there is no http(s) ${onServer ? 'request' : 'document'} to resolve it against ` +
      `(${onServer ? 'request URL' : 'base URI'}: ${base ?? 'none'}); ${fix}.`,
  );
}
