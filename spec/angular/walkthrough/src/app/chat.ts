import { ChangeDetectionStrategy, Component } from '@angular/core';
import { injectChatStore, messageText } from 'rx-anthropic/angular';

@Component({
  selector: 'app-chat',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @for (message of chat.messages(); track $index) {
      <p [class]="message.role">{{ messageText(message) }}</p>
    }
    @if (chat.busy()) {
      <p class="assistant">{{ chat.text() }}</p>
    }
    @if (chat.status() === 'error') {
      <p class="error">{{ chat.error() }} <button type="button" (click)="chat.retry()">Retry</button></p>
    }
    <form (submit)="$event.preventDefault(); ask(prompt.value); prompt.value = ''">
      <input #prompt name="prompt" placeholder="Ask something" />
      <button type="submit">Send</button>
      <button type="button" (click)="chat.stop()" [disabled]="!chat.busy()">Stop</button>
    </form>
    <small>{{ chat.usage().outputTokens }} output tokens</small>
  `,
})
export class Chat {
  readonly chat = injectChatStore({ params: { system: 'Answer in two sentences at most.' } });
  readonly messageText = messageText;

  ask(prompt: string): void {
    if (prompt.trim() !== '') this.chat.send(prompt);
  }
}
