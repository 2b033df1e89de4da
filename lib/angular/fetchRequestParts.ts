/** What the `HttpClient` transport needs of a `fetch` call: where, how, with which headers and body. */
export interface FetchRequestParts {
  readonly url: string;
  readonly method: string;
  readonly headers: Record<string, string>;
  readonly body: string | FormData | Blob | ArrayBuffer | URLSearchParams | null;
  readonly signal: AbortSignal | undefined;
}

function isBodyHttpClientSends(body: unknown): body is NonNullable<FetchRequestParts['body']> {
  return (
    typeof body === 'string' ||
    (typeof FormData !== 'undefined' && body instanceof FormData) ||
    (typeof Blob !== 'undefined' && body instanceof Blob) ||
    body instanceof ArrayBuffer ||
    (typeof URLSearchParams !== 'undefined' && body instanceof URLSearchParams)
  );
}

/**
 * The parts of a `fetch(input, init)` call, read the way `fetch` reads them (`init` over the
 * `Request` given as `input`; header names in lower case), at once: the transport sends the
 * `HttpClient` request during the call, so that a test's `HttpTestingController` finds it right
 * after subscribe. A body `HttpClient` cannot send (a `ReadableStream`, the body of a `Request`,
 * which can only be read later) is refused with a `TypeError`, as `fetch` refuses what it cannot send.
 *
 * ## Example
 * ```ts
 * const { url, method, headers, body } = fetchRequestParts('https://api.example/v1/messages', { method: 'POST', body: '{}' });
 * ```
 *
 * @param input A URL or a `Request`.
 * @param init The options of the call.
 * @return The URL, method, headers, body and signal to send with.
 * @throws TypeError for a body the transport cannot send.
 */
export function fetchRequestParts(input: RequestInfo | URL, init: RequestInit = {}): FetchRequestParts {
  const request = typeof Request !== 'undefined' && input instanceof Request ? input : undefined;
  const url = request ? request.url : String(input);
  const method = (init.method ?? request?.method ?? 'GET').toUpperCase();
  const headers: Record<string, string> = {};
  new Headers(init.headers ?? request?.headers).forEach((value, name) => {
    headers[name] = value;
  });
  let body: unknown = init.body ?? null;
  if (body === null && request?.body) {
    throw new TypeError('The HttpClient transport cannot read the body of a Request object: pass the body in the second argument of fetch.');
  }
  if (ArrayBuffer.isView(body)) body = body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength);
  if (body !== null && !isBodyHttpClientSends(body)) {
    throw new TypeError(`The HttpClient transport cannot send a body of ${Object.prototype.toString.call(body)}: use a string, FormData, Blob, ArrayBuffer or URLSearchParams.`);
  }
  return { url, method, headers, body, signal: init.signal ?? request?.signal ?? undefined };
}
