import { ChangeDetectionStrategy, Component } from '@angular/core';
import { injectChatStore } from 'rx-anthropic/angular';
import { MessageViewComponent } from './message-view.component';

/**
 * A conversation on one chat store: the history (`messages`), the reply streaming now (`text`
 * while `busy`), Stop, Retry after a stop or an error, and the tokens used so far. Each prompt is
 * sent with the history before it.
 */
@Component({
  selector: 'app-chat-pane',
  imports: [MessageViewComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section data-pane="chat">
      <h2>chat store · a conversation</h2>
      <div class="history" data-history>
        @for (message of chat.messages(); track $index) {
          <app-message-view [message]="message" />
        }
        @if (chat.busy()) {
          <div class="assistant streaming" data-streaming><span class="role">assistant</span><div class="text">{{ chat.text() }}</div></div>
        }
      </div>
      <form (submit)="$event.preventDefault(); ask(prompt.value); prompt.value = ''">
        <input #prompt name="prompt" placeholder="Say something" />
        <button type="submit" data-action="send">Send</button>
        <button type="button" data-action="stop" (click)="chat.stop()" [disabled]="!chat.busy()">Stop</button>
        <button type="button" data-action="retry" (click)="chat.retry()" [disabled]="chat.status() !== 'stopped' && chat.status() !== 'error'">Retry</button>
      </form>
      <div class="status">
        <b data-status>{{ chat.status() }}</b> · {{ chat.messages().length }} messages · output tokens:
        <span data-output-tokens>{{ chat.usage().outputTokens }}</span>
        @if (chat.error()) { · <span data-error>{{ chat.error() }}</span> }
      </div>
    </section>
  `,
})
export class ChatPaneComponent {
  readonly chat = injectChatStore({ params: { system: 'You are a friendly assistant in a demo of rx-anthropic.' } });

  ask(prompt: string): void {
    if (prompt.trim() !== '') this.chat.send(prompt);
  }
}
