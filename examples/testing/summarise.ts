import { of, retry, throwError, type Observable } from 'rxjs';
import { APIConnectionError, finalText, type Client } from 'rx-anthropic';

/**
 * The app code under test in `app.spec.ts`: a one-sentence summary of `text`, as one value.
 *
 * The client retries failures before the first byte of a reply by itself; a connection that
 * drops in the middle of a stream is passed on, so the app starts the request once more here.
 */
export function summarise(client: Client, text: string): Observable<string> {
  return client.messages
    .stream({ model: 'claude-sonnet-4-6', max_tokens: 300, messages: [{ role: 'user', content: `Summarise in one sentence:\n\n${text}` }] })
    .pipe(
      finalText(),
      retry({ count: 1, delay: (error: unknown) => (error instanceof APIConnectionError ? of(0) : throwError(() => error)) }),
    );
}
