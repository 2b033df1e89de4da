import { AsyncPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { Subject, map, merge, scan, switchMap, takeUntil, type Observable } from 'rxjs';
import { ChatService, IDLE_REPLY, type ChatReply } from './chat.service';

/**
 * Renders the reply with the `async` pipe. Stop is `takeUntil(stop$)`: it unsubscribes the stream
 * (so the request is aborted, here and, through the proxy, upstream); leaving the page does the
 * same, because the async pipe unsubscribes when the component is destroyed. Stop is enabled
 * only while a reply streams, as in the signals pane.
 */
@Component({
  selector: 'app-async-chat',
  imports: [AsyncPipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section data-pane="async">
      <h2>async pipe</h2>
      <!-- One async pipe, so one subscription: the button and the reply both read it. -->
      @let reply = reply$ | async;
      <form (submit)="$event.preventDefault(); send(prompt.value)">
        <input #prompt name="prompt" placeholder="Ask something" value="Write a short poem about streams" />
        <button type="submit" data-action="send">Send</button>
        <button type="button" data-action="stop" (click)="stop()" [disabled]="reply?.status !== 'streaming'">Stop</button>
      </form>
      @if (reply) {
        <div class="reply" data-reply>{{ reply.text }}</div>
        <div class="status">
          <b data-status>{{ reply.status }}</b> · output tokens: {{ reply.outputTokens }}
          @if (reply.error) { · {{ reply.error }} }
        </div>
      }
    </section>
  `,
})
export class AsyncChatComponent {
  private readonly chat = inject(ChatService);
  private readonly prompts = new Subject<string>();
  private readonly stops = new Subject<void>();

  readonly reply$: Observable<ChatReply> = merge(
    this.prompts.pipe(switchMap((prompt) => this.chat.reply(prompt).pipe(takeUntil(this.stops)))),
    this.stops.pipe(map(() => 'stopped' as const)),
  ).pipe(
    // A stop keeps the text so far; it only changes the status of a reply still streaming.
    scan((reply: ChatReply, next: ChatReply | 'stopped') => (next !== 'stopped' ? next : reply.status === 'streaming' ? { ...reply, status: 'stopped' } : reply), IDLE_REPLY),
  );

  send(prompt: string): void {
    if (prompt.trim()) this.prompts.next(prompt);
  }

  stop(): void {
    this.stops.next();
  }
}
