import { AsyncPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component } from '@angular/core';
import { injectChatStore } from 'rx-anthropic/angular';

/**
 * One reply per prompt, rendered with the `async` pipe from the store's Observables. Stop calls
 * `stop()`, which unsubscribes the request (so it is aborted, here and, through the proxy,
 * upstream); leaving the page does the same, since the store ends with the component.
 */
@Component({
  selector: 'app-async-chat',
  imports: [AsyncPipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section data-pane="async">
      <h2>async pipe</h2>
      @let status = chat.status$ | async;
      <form (submit)="$event.preventDefault(); ask(prompt.value)">
        <input #prompt name="prompt" placeholder="Ask something" value="Write a short poem about streams" />
        <button type="submit" data-action="send">Send</button>
        <button type="button" data-action="stop" (click)="chat.stop()" [disabled]="status !== 'streaming'">Stop</button>
      </form>
      <div class="reply" data-reply>{{ chat.text$ | async }}</div>
      <div class="status">
        <b data-status>{{ status }}</b> · output tokens: <span data-output-tokens>{{ (chat.usage$ | async)?.outputTokens }}</span>
        @if (chat.error$ | async; as error) { · {{ error }} }
      </div>
    </section>
  `,
})
export class AsyncChatComponent {
  readonly chat = injectChatStore();

  ask(prompt: string): void {
    if (prompt.trim() === '') return;
    // A pane of single questions: each starts a conversation of its own.
    this.chat.reset();
    this.chat.send(prompt);
  }
}
