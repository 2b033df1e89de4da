// First: it loads @angular/compiler, which Angular's packages need before they load.
import './support/angularTestBed';
import { HttpErrorResponse, HttpEventType, HttpHeaderResponse, HttpHeaders, HttpResponse, type HttpEvent } from '@angular/common/http';
import { Subject } from 'rxjs';
import { responseFromHttpEvents } from '../../lib/angular/responseFromHttpEvents';

/** HttpClient's events as a fetch Response: when it resolves, what its body holds, and how it fails. */

const progress = (partialText: string): HttpEvent<string> => ({ type: HttpEventType.DownloadProgress, loaded: partialText.length, partialText });
const header = (status: number, headers: Record<string, string> = {}) => new HttpHeaderResponse({ status, statusText: 'x', headers: new HttpHeaders(headers) });

async function readAll(response: Response): Promise<string[]> {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  const chunks: string[] = [];
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return chunks;
    chunks.push(decoder.decode(value));
  }
}

describe('responseFromHttpEvents', () => {
  it('resolves at the header event and streams each new part of partialText as one chunk', async () => {
    const events = new Subject<HttpEvent<string>>();
    const pending = responseFromHttpEvents(events);
    events.next(header(200, { 'content-type': 'text/event-stream', 'request-id': 'req_9' }));
    const response = await pending;
    expect(response.status).toBe(200);
    expect(response.headers.get('request-id')).toBe('req_9');
    const chunks = readAll(response);
    events.next(progress('héllo '));
    events.next(progress('héllo wörld'));
    events.next(new HttpResponse({ body: 'héllo wörld!', status: 200 }));
    events.complete();
    expect(await chunks).toEqual(['héllo ', 'wörld', '!']);
  });

  it('turns an error status into a response of that status whose body is the error body', async () => {
    const events = new Subject<HttpEvent<string>>();
    const pending = responseFromHttpEvents(events);
    events.error(new HttpErrorResponse({ status: 404, statusText: 'Not Found', error: '{"type":"error"}', headers: new HttpHeaders({ 'request-id': 'req_4' }) }));
    const response = await pending;
    expect(response.status).toBe(404);
    expect(response.ok).toBe(false);
    expect(response.headers.get('request-id')).toBe('req_4');
    expect(await response.text()).toBe('{"type":"error"}');
  });

  it('rejects with a TypeError, the HttpClient error as its cause, when no response came', async () => {
    const events = new Subject<HttpEvent<string>>();
    const pending = responseFromHttpEvents(events);
    const noResponse = new HttpErrorResponse({ status: 0, error: new Error('offline') });
    events.error(noResponse);
    await expect(pending).rejects.toBeInstanceOf(TypeError);
    await expect(pending).rejects.toMatchObject({ message: 'HttpClient got no response', cause: noResponse });
  });

  it('errors the body when the request fails after the response began, or ends without its Response event', async () => {
    const broken = new Subject<HttpEvent<string>>();
    const response = await (async () => {
      const pending = responseFromHttpEvents(broken);
      broken.next(progress('data: 1\n\n'));
      return pending;
    })();
    const reading = readAll(response);
    broken.error(new HttpErrorResponse({ status: 500, error: 'late failure' }));
    await expect(reading).rejects.toThrow('HttpClient failed: status 500 after the body had begun with status 200');

    const cut = new Subject<HttpEvent<string>>();
    const pending = responseFromHttpEvents(cut);
    cut.next(header(200));
    const cutReading = readAll(await pending);
    cut.complete();
    await expect(cutReading).rejects.toThrow('HttpClient completed the request without a response.');
  });

  it('unsubscribes from HttpClient when the signal aborts, and when the body is cancelled', async () => {
    const controller = new AbortController();
    const events = new Subject<HttpEvent<string>>();
    const pending = responseFromHttpEvents(events, controller.signal);
    expect(events.observed).toBe(true);
    controller.abort();
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    expect(events.observed).toBe(false);

    const cancelled = new Subject<HttpEvent<string>>();
    const response = responseFromHttpEvents(cancelled);
    cancelled.next(header(200));
    await (await response).body!.cancel();
    expect(cancelled.observed).toBe(false);

    const early = new AbortController();
    early.abort();
    const never = new Subject<HttpEvent<string>>();
    await expect(responseFromHttpEvents(never, early.signal)).rejects.toMatchObject({ name: 'AbortError' });
    expect(never.observed).toBe(false);
  });

  it('has no body for a status that cannot have one', async () => {
    const events = new Subject<HttpEvent<string>>();
    const pending = responseFromHttpEvents(events);
    events.next(new HttpResponse<string>({ status: 204, statusText: 'No Content' }));
    const response = await pending;
    expect(response.status).toBe(204);
    expect(response.body).toBeNull();
  });
});
