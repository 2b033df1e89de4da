import { HttpErrorResponse, HttpEventType, type HttpEvent, type HttpHeaders } from '@angular/common/http';
import type { Observable, Subscription } from 'rxjs';

/** Statuses whose responses have no body: `new Response(body, …)` refuses one for them. */
const NULL_BODY_STATUSES: ReadonlySet<number> = new Set([101, 103, 204, 205, 304]);

function headersOf(headers: HttpHeaders | undefined): Headers {
  const result = new Headers();
  for (const name of headers?.keys() ?? []) {
    for (const value of headers?.getAll(name) ?? []) result.append(name, value);
  }
  return result;
}

/** The text of an error body as `HttpClient` hands it over: text for `responseType: 'text'`, whatever a test flushed otherwise. */
function textOf(body: unknown): string {
  if (body === null || body === undefined) return '';
  if (typeof body === 'string') return body;
  if (body instanceof ArrayBuffer) return new TextDecoder().decode(body);
  return JSON.stringify(body);
}

/** What `fetch` would reject with (or error the body with) for an error of `HttpClient`: a `TypeError` whose `cause` is that error. */
function failure(error: unknown, respondedStatus: number): TypeError {
  if (!(error instanceof HttpErrorResponse)) return new TypeError('HttpClient failed', { cause: error });
  if (error.status === 0) return new TypeError('HttpClient got no response', { cause: error });
  return new TypeError(`HttpClient failed: status ${error.status} after the body had begun with status ${respondedStatus}`, { cause: error });
}

function abortError(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('This operation was aborted', 'AbortError');
}

/**
 * The `Response` that `fetch` would give for a request `HttpClient` sends: it resolves at the
 * first sign of a response, and its body streams the text as it arrives.
 *
 * `events` is `HttpClient.request(…, { observe: 'events', reportProgress: true, responseType: 'text' })`.
 * The response resolves with the status and headers of its `ResponseHeader` event (`withFetch()`
 * and XHR send one), or, when the first event is `DownloadProgress` (as `HttpTestingController`
 * can send), as a 200 without headers. Each `DownloadProgress` carries the whole text so far in
 * `partialText`; the body enqueues the part not yet given, UTF-8 encoded. A `Response` event (a
 * `flush` in a test) gives the rest and closes the body.
 *
 * An `HttpErrorResponse` with a status becomes a response of that status whose body is the error
 * body, so the caller maps it as it maps any HTTP error; one with status 0 (no response: the
 * network, CORS) or any other error rejects, or errors the body if the response has begun, with
 * a `TypeError` whose `cause` is the error, as `fetch` does. Aborting `signal`, or cancelling the
 * body, unsubscribes from `events`, which makes `HttpClient` abort the request.
 *
 * ## Example
 * ```ts
 * const events = http.request('POST', url, { body, observe: 'events', reportProgress: true, responseType: 'text' });
 * const response = await responseFromHttpEvents(events, controller.signal);
 * const reader = response.body!.getReader();
 * ```
 *
 * @param events The request's events; subscribed once, now.
 * @param signal Aborts the request.
 * @return The response, its body streaming.
 */
export function responseFromHttpEvents(events: Observable<HttpEvent<string>>, signal?: AbortSignal): Promise<Response> {
  return new Promise<Response>((resolve, reject) => {
    const encoder = new TextEncoder();
    let body!: ReadableStreamDefaultController<Uint8Array>;
    let responded = false;
    let respondedStatus = 0;
    let ended = false;
    // Characters of the text already enqueued: `partialText` is the whole text so far each time.
    let delivered = 0;
    let subscription: Subscription | undefined;

    const stream = new ReadableStream<Uint8Array>({
      start: (controller) => {
        body = controller;
      },
      cancel: () => {
        ended = true;
        subscription?.unsubscribe();
      },
    });

    const respond = (status: number, statusText: string, headers?: HttpHeaders): void => {
      if (responded) return;
      if (status < 200 || status > 599) {
        fail(new TypeError(`HttpClient gave status ${status}, which a fetch Response cannot have.`));
        return;
      }
      responded = true;
      respondedStatus = status;
      resolve(new Response(NULL_BODY_STATUSES.has(status) ? null : stream, { status, statusText, headers: headersOf(headers) }));
    };
    const push = (text: string): void => {
      if (ended || text.length <= delivered) return;
      body.enqueue(encoder.encode(text.slice(delivered)));
      delivered = text.length;
    };
    const end = (): void => {
      if (ended) return;
      ended = true;
      body.close();
    };
    function fail(error: unknown): void {
      if (ended) return;
      ended = true;
      subscription?.unsubscribe();
      if (responded) body.error(error);
      else {
        responded = true;
        reject(error);
      }
    }

    const onAbort = (): void => fail(abortError(signal!));
    if (signal?.aborted) {
      onAbort();
      return;
    }
    signal?.addEventListener('abort', onAbort, { once: true });

    subscription = events.subscribe({
      next: (event) => {
        switch (event.type) {
          case HttpEventType.ResponseHeader:
            respond(event.status, event.statusText, event.headers);
            break;
          case HttpEventType.DownloadProgress:
            respond(200, 'OK');
            if (event.partialText !== undefined) push(event.partialText);
            break;
          case HttpEventType.Response:
            respond(event.status, event.statusText, event.headers);
            push(event.body ?? '');
            end();
            break;
        }
      },
      error: (error: unknown) => {
        // A status that differs from the one already answered cannot be told through a Response any more.
        if (error instanceof HttpErrorResponse && error.status !== 0 && (!responded || respondedStatus === error.status)) {
          respond(error.status, error.statusText, error.headers);
          push(textOf(error.error));
          end();
          return;
        }
        fail(failure(error, respondedStatus));
      },
      complete: () => {
        if (!ended) fail(new TypeError('HttpClient completed the request without a response.'));
      },
    });
    if (ended) subscription.unsubscribe();
    // Unsubscribed (aborted, cancelled, failed) or completed: the signal is no longer needed.
    subscription.add(() => signal?.removeEventListener('abort', onAbort));
  });
}
