import type { ServerResponse } from 'node:http';
import type { Observable } from 'rxjs';
import { sendJSON } from './sendJSON';
import { upstreamErrorResponse } from './upstreamErrorResponse';

/**
 * Answers with the one value of `answer$` as JSON (a message, a token count), or with the
 * upstream error in the API's shape; the response closing first (the browser left) unsubscribes,
 * which aborts the upstream request.
 */
export function relayJSON(
  answer$: Observable<unknown>,
  response: ServerResponse,
  headers: () => Record<string, string>,
  onError: (error: unknown) => void,
): void {
  if (response.destroyed || response.closed) return;
  const subscription = answer$.subscribe({
    next: (value) => sendJSON(response, 200, value, headers()),
    error: (error: unknown) => {
      const answer = upstreamErrorResponse(error);
      if (answer.report) onError(error);
      sendJSON(response, answer.status, answer.body, answer.headers);
    },
    // A client that completes without a value has failed the proxy as surely as one that errors.
    complete: () => sendJSON(response, 502, { type: 'error', error: { type: 'api_error', message: "The proxy's request to the API gave no answer." } }),
  });
  response.once('close', () => subscription.unsubscribe());
}
