import { ChangeDetectionStrategy, Component, DestroyRef, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import type { Subscription } from 'rxjs';
import { ChatService, IDLE_REPLY, type ChatReply } from './chat.service';

/**
 * Renders the reply from a signal. The stream is subscribed by hand, with `takeUntilDestroyed` so
 * that leaving the page aborts it; Stop calls `unsubscribe()` on it, which aborts the request.
 */
@Component({
  selector: 'app-signal-chat',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section data-pane="signals">
      <h2>signals</h2>
      <form (submit)="$event.preventDefault(); send(prompt.value)">
        <input #prompt name="prompt" placeholder="Ask something" value="Explain backpressure in one paragraph" />
        <button type="submit" data-action="send">Send</button>
        <button type="button" data-action="stop" (click)="stop()" [disabled]="reply().status !== 'streaming'">Stop</button>
      </form>
      <div class="reply" data-reply>{{ reply().text }}</div>
      <div class="status">
        <b data-status>{{ reply().status }}</b> · output tokens: {{ reply().outputTokens }}
        @if (reply().error) { · {{ reply().error }} }
      </div>
    </section>
  `,
})
export class SignalChatComponent {
  private readonly chat = inject(ChatService);
  private readonly destroyRef = inject(DestroyRef);
  private running: Subscription | undefined;

  readonly reply = signal<ChatReply>(IDLE_REPLY);

  send(prompt: string): void {
    if (!prompt.trim()) return;
    this.running?.unsubscribe();
    this.running = this.chat
      .reply(prompt)
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe((reply) => this.reply.set(reply));
  }

  stop(): void {
    this.running?.unsubscribe();
    this.running = undefined;
    this.reply.update((reply) => (reply.status === 'streaming' ? { ...reply, status: 'stopped' } : reply));
  }
}
