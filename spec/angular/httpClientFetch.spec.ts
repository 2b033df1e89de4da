// First: it loads @angular/compiler, which Angular's packages need before they load.
import { configureTestBed } from './support/angularTestBed';
import { HttpClient, HttpErrorResponse, HttpEventType, HttpHeaderResponse, HttpHeaders, provideHttpClient, withFetch, withInterceptors, type HttpInterceptorFn } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting, type TestRequest } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { firstValueFrom, lastValueFrom, take, tap, toArray, type Subscription } from 'rxjs';
import { APIConnectionError, OverloadedError, RateLimitError, textDeltas, type MessageCreateParams } from 'rx-anthropic';
import { ANTHROPIC_REQUEST, injectAnthropicClient, provideAnthropic } from 'rx-anthropic/angular';
import { createMockServer, textReply, type MockServer } from 'rx-anthropic/testing';
import { sseFrames, textSSE } from './support/sseReply';

/**
 * The HttpClient transport, as an app uses it: `provideAnthropic()` over `provideHttpClient()`,
 * requests answered by `HttpTestingController` (a stream fed piece by piece, error statuses, a
 * network failure, a cancelled request) and, with `withFetch()`, by the mock server over loopback.
 */

const BASE_URL = 'https://proxy.test/api';
const MESSAGES_URL = `${BASE_URL}/v1/messages`;
const params: MessageCreateParams = { model: 'claude-sonnet-4-6', max_tokens: 64, messages: [{ role: 'user', content: 'Hi' }] };

/** Lets the response body's promises and the client's reads run. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

function setUp(options: { interceptors?: HttpInterceptorFn[]; maxRetries?: number } = {}) {
  configureTestBed([
    provideHttpClient(withInterceptors(options.interceptors ?? [])),
    provideHttpClientTesting(),
    provideAnthropic({ baseURL: BASE_URL, apiKey: null, authToken: null, maxRetries: options.maxRetries ?? 0 }),
  ]);
  return { client: TestBed.runInInjectionContext(() => injectAnthropicClient()), httpTesting: TestBed.inject(HttpTestingController) };
}

describe('the HttpClient transport', () => {
  afterEach(() => TestBed.inject(HttpTestingController).verify());

  it('sends the Messages request through HttpClient and streams the reply as it is flushed in pieces', async () => {
    const { client, httpTesting } = setUp();
    const texts: string[] = [];
    let completed = false;
    client.messages
      .stream(params)
      .pipe(textDeltas())
      .subscribe({ next: (text) => texts.push(text), complete: () => (completed = true) });

    const request = httpTesting.expectOne(MESSAGES_URL);
    expect(request.request.method).toBe('POST');
    expect(JSON.parse(request.request.body as string)).toMatchObject({ ...params, stream: true });
    expect(request.request.headers.get('anthropic-version')).toBe('2023-06-01');
    expect(request.request.headers.has('x-api-key')).toBe(false);
    expect(request.request.reportProgress).toBe(true);
    expect(request.request.responseType).toBe('text');

    request.event(new HttpHeaderResponse({ status: 200, headers: new HttpHeaders({ 'content-type': 'text/event-stream', 'request-id': 'req_1' }) }));
    const body = textSSE('Streams, one piece at a time.');
    // Cut anywhere, mid-frame and mid-JSON included: each piece is the whole text so far, as HttpClient gives it.
    const cuts = Array.from({ length: 8 }, (_, index) => Math.round((body.length * (index + 1)) / 8) - (index % 2) * 7);
    const seen: number[] = [];
    for (const cut of cuts) {
      request.event({ type: HttpEventType.DownloadProgress, loaded: cut, partialText: body.slice(0, cut) });
      await settle();
      seen.push(texts.length);
    }
    expect(completed).toBe(false);
    request.flush(body);
    await settle();

    expect(texts.join('')).toBe('Streams, one piece at a time.');
    expect(completed).toBe(true);
    // The text arrived with the pieces, not all at the end.
    expect(seen[0]).toBe(0);
    expect(new Set(seen).size).toBeGreaterThan(2);
    expect(seen[seen.length - 1]).toBe(texts.length);
  });

  it('reads a reply flushed at once, and a progress event without a header event first', async () => {
    const { client, httpTesting } = setUp();
    const whole = lastValueFrom(client.messages.stream(params).pipe(textDeltas(), toArray()));
    const request = httpTesting.expectOne(MESSAGES_URL);
    const frames = sseFrames({ content: [{ type: 'text', text: 'All at once.' }] });
    request.event({ type: HttpEventType.DownloadProgress, loaded: 1, partialText: frames[0]! });
    await settle();
    request.flush(frames.join(''));
    expect((await whole).join('')).toBe('All at once.');
  });

  it('lets the app’s interceptors change the request, and marks it with ANTHROPIC_REQUEST', async () => {
    const proxyAuth: HttpInterceptorFn = (request, next) =>
      request.context.get(ANTHROPIC_REQUEST) ? next(request.clone({ setHeaders: { authorization: 'Bearer session-1' } })) : next(request);
    const { client, httpTesting } = setUp({ interceptors: [proxyAuth] });

    const reply = lastValueFrom(client.messages.stream(params).pipe(textDeltas(), toArray()));
    const request = httpTesting.expectOne(MESSAGES_URL);
    expect(request.request.headers.get('authorization')).toBe('Bearer session-1');
    expect(request.request.context.get(ANTHROPIC_REQUEST)).toBe(true);
    request.flush(textSSE('Authorised.'));
    expect((await reply).join('')).toBe('Authorised.');

    // The app's other requests are left alone.
    TestBed.inject(HttpClient).get('/api/profile').subscribe();
    const other = httpTesting.expectOne('/api/profile');
    expect(other.request.headers.has('authorization')).toBe(false);
    other.flush({});
  });

  it('maps an error status to the typed error, with the API’s message, type and request id', async () => {
    const { client, httpTesting } = setUp();
    const failure = firstValueFrom(client.messages.stream(params)).catch((error: unknown) => error);
    httpTesting
      .expectOne(MESSAGES_URL)
      .flush(
        { type: 'error', error: { type: 'rate_limit_error', message: 'Number of request tokens has exceeded your rate limit.' } },
        { status: 429, statusText: 'Too Many Requests', headers: { 'request-id': 'req_429', 'retry-after': '7' } },
      );
    const error = await failure;
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error).toMatchObject({ status: 429, type: 'rate_limit_error', requestId: 'req_429', headers: { 'retry-after': '7' } });
    expect((error as Error).message).toBe('429 rate_limit_error: Number of request tokens has exceeded your rate limit. (request-id: req_429)');
  });

  it('retries a retryable status as the client does with fetch: a new request through HttpClient', async () => {
    const { client, httpTesting } = setUp({ maxRetries: 1 });
    const reply = lastValueFrom(client.messages.stream(params).pipe(textDeltas(), toArray()));
    httpTesting
      .expectOne(MESSAGES_URL)
      .flush({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }, { status: 529, statusText: 'Overloaded', headers: { 'retry-after-ms': '0' } });
    await settle();
    await settle();
    httpTesting.expectOne(MESSAGES_URL).flush(textSSE('Second time lucky.'));
    expect((await reply).join('')).toBe('Second time lucky.');
  });

  it('fails with the error of the last attempt when the retries are spent', async () => {
    const { client, httpTesting } = setUp({ maxRetries: 0 });
    const failure = firstValueFrom(client.messages.stream(params)).catch((error: unknown) => error);
    httpTesting.expectOne(MESSAGES_URL).flush('{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}', { status: 529, statusText: 'Overloaded' });
    expect(await failure).toBeInstanceOf(OverloadedError);
  });

  it('fails with APIConnectionError when no response came (status 0), the cause kept', async () => {
    const { client, httpTesting } = setUp();
    const failure = firstValueFrom(client.messages.stream(params)).catch((error: unknown) => error);
    const networkDown = new Error('net::ERR_INTERNET_DISCONNECTED');
    httpTesting.expectOne(MESSAGES_URL).error(networkDown as unknown as ProgressEvent);
    const error = await failure;
    expect(error).toBeInstanceOf(APIConnectionError);
    expect((error as Error).message).toMatch(/^Connection error: HttpClient got no response: Http failure response for https:\/\/proxy\.test\/api\/v1\/messages: 0/);
    const httpError = ((error as Error).cause as Error).cause;
    expect(httpError).toBeInstanceOf(HttpErrorResponse);
    expect((httpError as HttpErrorResponse).error).toBe(networkDown);
  });

  it('cancels the HttpClient request when the stream is unsubscribed, before and during the body', async () => {
    const { client, httpTesting } = setUp();
    const before = client.messages.stream(params).subscribe();
    const waiting: TestRequest = httpTesting.expectOne(MESSAGES_URL);
    before.unsubscribe();
    expect(waiting.cancelled).toBe(true);

    const texts: string[] = [];
    const during: Subscription = client.messages
      .stream(params)
      .pipe(textDeltas())
      .subscribe((text) => texts.push(text));
    const streaming = httpTesting.expectOne(MESSAGES_URL);
    const body = textSSE('This reply is stopped half way through.');
    const halfWay = body.indexOf('text_delta') + 400;
    streaming.event({ type: HttpEventType.DownloadProgress, loaded: halfWay, partialText: body.slice(0, halfWay) });
    await settle();
    expect(texts.length).toBeGreaterThan(0);
    during.unsubscribe();
    expect(streaming.cancelled).toBe(true);
  });
});

describe('the HttpClient transport over withFetch() and loopback HTTP', () => {
  let server: MockServer;

  afterEach(() => server?.close());

  function setUpFetch(baseURL: string) {
    configureTestBed([provideHttpClient(withFetch()), provideAnthropic({ baseURL, apiKey: null, authToken: null, maxRetries: 0 })]);
    return TestBed.runInInjectionContext(() => injectAnthropicClient());
  }

  it('streams a reply chunk by chunk through Angular’s FetchBackend', async () => {
    server = await createMockServer([textReply('Through the FetchBackend, chunk by chunk.', { chunkSize: 4, chunkDelayMs: 5 })]);
    const client = setUpFetch(server.baseURL);
    const arrivals: number[] = [];
    const texts = await lastValueFrom(client.messages.stream(params).pipe(textDeltas(), tap(() => arrivals.push(Date.now())), toArray()));
    expect(texts.join('')).toBe('Through the FetchBackend, chunk by chunk.');
    expect(texts.length).toBeGreaterThan(5);
    // Eleven chunks 5 ms apart: had the body been read whole, they would all arrive together.
    expect(arrivals[arrivals.length - 1]! - arrivals[0]!).toBeGreaterThanOrEqual(25);
    const request = await server.waitForRequest(0);
    expect(request.headers['anthropic-version']).toBe('2023-06-01');
    expect(request.headers['x-api-key']).toBeUndefined();
  });

  it('aborts the HTTP request when the stream is unsubscribed: the server sees the client go', async () => {
    server = await createMockServer([textReply('A long reply that nobody waits for. '.repeat(40), { chunkSize: 2, chunkDelayMs: 20 })]);
    const client = setUpFetch(server.baseURL);
    const first = await firstValueFrom(client.messages.stream(params).pipe(textDeltas(), take(2), toArray()));
    expect(first.length).toBe(2);
    const request = await server.waitForRequest(0);
    await request.closed;
    expect(request.abortedByClient).toBe(true);
    expect(request.completed).toBe(false);
  });
});
