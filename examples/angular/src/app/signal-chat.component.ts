import { ChangeDetectionStrategy, Component } from '@angular/core';
import { injectChatStore } from 'rx-anthropic/angular';

/** One reply per prompt, rendered from the store's signals; Stop aborts the request. */
@Component({
  selector: 'app-signal-chat',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section data-pane="signals">
      <h2>signals</h2>
      <form (submit)="$event.preventDefault(); ask(prompt.value)">
        <input #prompt name="prompt" placeholder="Ask something" value="Explain backpressure in one paragraph" />
        <button type="submit" data-action="send">Send</button>
        <button type="button" data-action="stop" (click)="chat.stop()" [disabled]="!chat.busy()">Stop</button>
      </form>
      <div class="reply" data-reply>{{ chat.text() }}</div>
      <div class="status">
        <b data-status>{{ chat.status() }}</b> · output tokens: <span data-output-tokens>{{ chat.usage().outputTokens }}</span>
        @if (chat.error()) { · {{ chat.error() }} }
      </div>
    </section>
  `,
})
export class SignalChatComponent {
  readonly chat = injectChatStore();

  ask(prompt: string): void {
    if (prompt.trim() === '') return;
    this.chat.reset();
    this.chat.send(prompt);
  }
}
