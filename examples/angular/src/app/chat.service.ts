import { Injectable, InjectionToken, inject } from '@angular/core';
import { BehaviorSubject, catchError, concat, connect, defer, filter, map, merge, of, type Observable } from 'rxjs';
import { createClient, textSnapshots, type RawMessageStreamEvent } from 'rx-anthropic';

/** Where the proxy's Messages API is: `<page origin>/api`, the client then posts to `/api/v1/messages`. */
export const ANTHROPIC_PROXY_URL = new InjectionToken<string>('rx-anthropic proxy base URL', {
  providedIn: 'root',
  factory: () => new URL('api', document.baseURI).href,
});

/** The model the replies are asked of. */
export const CHAT_MODEL = new InjectionToken<string>('model', { providedIn: 'root', factory: () => 'claude-sonnet-4-5' });

/** What a pane shows of one reply. */
export interface ChatReply {
  readonly text: string;
  readonly status: 'idle' | 'streaming' | 'done' | 'stopped' | 'error';
  /** Output tokens so far (the API's count arrives near the end). */
  readonly outputTokens: number;
  readonly error?: string;
}

/** Totals over every reply this service has finished, whichever component asked. */
export interface ChatTotals {
  readonly replies: number;
  readonly outputTokens: number;
}

export const IDLE_REPLY: ChatReply = { text: '', status: 'idle', outputTokens: 0 };

/** The output token count an event carries: `message_start` has the first, `message_delta` the final one. */
function outputTokensOf(event: RawMessageStreamEvent): number | undefined {
  if (event.type === 'message_start') return event.message.usage.output_tokens;
  if (event.type === 'message_delta') return event.usage.output_tokens;
  return undefined;
}

/**
 * The Messages API, through the proxy. The client has no credentials (the proxy adds them), so it
 * may run in the page; each `reply()` is cold: one subscription, one request, unsubscribe aborts it.
 */
@Injectable({ providedIn: 'root' })
export class ChatService {
  private readonly client = createClient({ baseURL: inject(ANTHROPIC_PROXY_URL), maxRetries: 0 });
  private readonly model = inject(CHAT_MODEL);
  private readonly totals = new BehaviorSubject<ChatTotals>({ replies: 0, outputTokens: 0 });

  /** The running totals; the current value at once on subscribe. */
  readonly totals$: Observable<ChatTotals> = this.totals.asObservable();

  /** The reply to `prompt` as it streams: a new state per event, `done` or `error` last. */
  reply(prompt: string): Observable<ChatReply> {
    return defer(() => {
      let last: ChatReply = { ...IDLE_REPLY, status: 'streaming' };
      const params = { model: this.model, max_tokens: 1024, messages: [{ role: 'user' as const, content: prompt }] };
      // One request, read twice: the text so far, and the token counts the API reports.
      const streaming = this.client.messages.stream(params).pipe(
        connect((events) =>
          merge(
            events.pipe(textSnapshots(), map((text) => ({ text }))),
            events.pipe(map(outputTokensOf), filter((tokens) => tokens !== undefined), map((outputTokens) => ({ outputTokens }))),
          ),
        ),
        map((change): ChatReply => (last = { ...last, ...change })),
      );
      const finished = defer(() => {
        const { replies, outputTokens } = this.totals.value;
        this.totals.next({ replies: replies + 1, outputTokens: outputTokens + last.outputTokens });
        return of<ChatReply>({ ...last, status: 'done' });
      });
      return concat(of(last), streaming, finished).pipe(
        catchError((error: unknown) => of<ChatReply>({ ...last, status: 'error', error: error instanceof Error ? error.message : String(error) })),
      );
    });
  }
}
