import { Observable, type SchedulerAction } from 'rxjs';
import { APIError, APITimeoutError, APIUserAbortError, InvalidArgumentError, StreamDecodeError } from '../errors';
import { baseURLProblem } from './baseURLProblem';
import { fetchFailure } from './fetchFailure';
import { headerProblem } from './headerProblem';
import { headersToRecord } from './headersToRecord';
import { attemptWait } from './timeoutOption';
import type { HttpRequest, RequestObserver, RequestOptions, TransportConfig } from './HttpRequest';

// `bytes` takes any content type (every string starts with ''): a downloaded file has its own.
const CONTENT_TYPES = { 'event-stream': 'text/event-stream', json: 'application/json', bytes: '' } as const;

/**
 * One HTTP attempt as a cold Observable of the response body's chunks.
 *
 * Subscribing sends the request; unsubscribing aborts it, which closes the socket. A status
 * that is not 2xx fails with the `APIError` subclass for it, carrying the API's message, the
 * request id and the headers; a failed connection fails with `APIConnectionError` (its `cause`
 * is what `fetch` threw, its message the reason at the bottom of that); waiting longer than
 * `timeout` for the headers or for the next chunk fails with `APITimeoutError`. With timeouts by
 * phase, `idleMs` is that wait, counted from the request going out and restarted by each chunk
 * only (the headers do not count), its error naming the phase `'idle'`; without `idleMs` the
 * default wait of 10 minutes stays (`attemptWait`). A request that
 * no retry could send (a base URL that is not an absolute `http:`/`https:` URL, a header that
 * HTTP cannot carry) fails at subscribe with `InvalidArgumentError`, before `fetch` is called.
 * An `observer` adds its headers (a trace context) to the request and hears of its sending and
 * of its response.
 */
export function sendAttempt(config: TransportConfig, request: HttpRequest, options: RequestOptions, attempt: number, observer?: RequestObserver): Observable<Uint8Array> {
  return new Observable<Uint8Array>((subscriber) => {
    const controller = new AbortController();
    const { scheduler } = config;
    const wait = attemptWait(options.timeout ?? config.timeout);
    const url = `${config.baseURL.replace(/\/+$/, '')}${request.path}`;
    let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
    let lastActivity = scheduler.now();
    /** Whether the body was read to its end: then there is nothing left to abort. */
    let finished = false;

    const fail = (error: unknown): void => {
      if (subscriber.closed) return;
      subscriber.error(error);
      controller.abort();
    };

    // One scheduled check that re-arms itself for the time left, rather than a new timer per chunk.
    const watchdog = scheduler.schedule(function (this: SchedulerAction<undefined>) {
      const idle = scheduler.now() - lastActivity;
      if (idle >= wait.ms) fail(new APITimeoutError(wait.ms, wait.phase));
      else this.schedule(undefined, wait.ms - idle);
    }, wait.ms);

    const onUserAbort = (): void => fail(new APIUserAbortError());
    options.signal?.addEventListener('abort', onUserAbort);

    const headers = requestHeaders(config, request, options);
    if (observer?.attemptHeaders) Object.assign(headers, observer.attemptHeaders());
    const run = async (): Promise<void> => {
      observer?.attemptStarted?.({ attempt, method: request.method, url, headers });
      const response = await config.fetch(url, {
        method: request.method,
        headers,
        ...(request.body !== undefined ? { body: request.body } : {}),
        signal: controller.signal,
      });
      if (wait.headersCount) lastActivity = scheduler.now();
      const responseHeaders = headersToRecord(response.headers);
      const info = { status: response.status, headers: responseHeaders, requestId: responseHeaders['request-id'], url, attempt };
      observer?.responded?.(info);
      options.onResponse?.(info);
      if (!response.ok) {
        const text = await response.text().catch(() => '');
        fail(APIError.fromResponse(response.status, parseJSON(text), responseHeaders, text.trim() || response.statusText));
        return;
      }
      if (!response.body) {
        finished = true;
        subscriber.complete();
        return;
      }
      reader = response.body.getReader();
      const expected = CONTENT_TYPES[request.expect];
      const contentType = responseHeaders['content-type'];
      if (contentType !== undefined && !contentType.toLowerCase().startsWith(expected)) {
        const first = await reader.read();
        const excerpt = first.value ? new TextDecoder().decode(first.value.subarray(0, 200)) : '';
        fail(new StreamDecodeError(`expected a ${expected} response but got ${contentType} (status ${response.status})`, { data: excerpt }));
        return;
      }
      for (;;) {
        const { done, value } = await reader.read();
        if (subscriber.closed) return;
        lastActivity = scheduler.now();
        if (done) break;
        subscriber.next(value);
      }
      finished = true;
      subscriber.complete();
    };

    const invalid = invalidRequest(config.baseURL, headers);
    if (invalid !== undefined) fail(invalid);
    else if (options.signal?.aborted) onUserAbort();
    else
      run().catch((cause: unknown) => {
        if (subscriber.closed) return;
        if (options.signal?.aborted) return fail(new APIUserAbortError());
        fail(fetchFailure(cause));
      });

    return () => {
      watchdog.unsubscribe();
      options.signal?.removeEventListener('abort', onUserAbort);
      // Aborting a finished response would only build an AbortError (a DOMException, with its stack) for nothing.
      if (finished) return;
      controller.abort();
      reader?.cancel().catch(() => undefined);
    };
  });
}

/** The headers a request is sent with: the client's, the request's, the betas, then the caller's (`null` removes one). */
export function requestHeaders(config: TransportConfig, request: HttpRequest, options: RequestOptions): Record<string, string> {
  const headers: Record<string, string> = { ...config.headers, ...request.headers };
  if (options.betas && options.betas.length > 0) headers['anthropic-beta'] = options.betas.join(',');
  for (const [name, value] of Object.entries(options.headers ?? {})) {
    if (value === null) delete headers[name.toLowerCase()];
    else headers[name.toLowerCase()] = value;
  }
  return headers;
}

/**
 * Why `fetch` would refuse to send this request whatever the network does, checked before it is
 * called: its own `TypeError` quotes the offending value (a key, a password in the URL) and
 * cannot be told apart from a network failure in every runtime.
 */
function invalidRequest(baseURL: string, headers: Record<string, string>): InvalidArgumentError | undefined {
  const urlProblem = baseURLProblem(baseURL);
  if (urlProblem !== undefined) return new InvalidArgumentError('baseURL', `The baseURL ${urlProblem}.`);
  for (const [name, value] of Object.entries(headers)) {
    const problem = headerProblem(name, value);
    if (problem !== undefined) return new InvalidArgumentError('headers', `Cannot send the request: ${problem}.`);
  }
  return undefined;
}

function parseJSON(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
