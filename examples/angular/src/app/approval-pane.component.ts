import { JsonPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, signal } from '@angular/core';
import * as t from 'io-ts';
import { defineTool, described, type ToolApprovalRequest } from 'rx-anthropic';
import { createApprovalQueue, injectChatStore } from 'rx-anthropic/angular';
import { MessageViewComponent } from './message-view.component';

const Email = t.type({
  to: described(t.string, 'The address to send to'),
  subject: t.string,
  body: t.string,
});
type Email = t.TypeOf<typeof Email>;

/** What the model reads when the user clicks Deny. */
const DENIED = 'The user clicked Deny.';

/**
 * A conversation whose tool asks first: the model may send an email, but `send_email` needs
 * approval, so the tool loop waits while an Allow / Deny card shows the tool's name and input.
 * Allow runs the tool (the email lands in the outbox below); Deny does not, and the model reads
 * why. Stop, or a new prompt, while a card shows unsubscribes the loop: the card goes, the tool
 * never runs, and the unanswered tool use leaves the conversation.
 */
@Component({
  selector: 'app-approval-pane',
  imports: [JsonPipe, MessageViewComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section data-pane="approval">
      <h2>tool approval · Allow / Deny</h2>
      <div class="history" data-history>
        @for (message of chat.messages(); track $index) {
          <app-message-view [message]="message" />
        }
        @if (chat.busy() && chat.text()) {
          <div class="assistant streaming" data-streaming><span class="role">assistant</span><div class="text">{{ chat.text() }}</div></div>
        }
      </div>
      @for (request of approvals.pending(); track request.tool_use_id) {
        <div class="approval" data-approval [attr.data-tool-use-id]="request.tool_use_id">
          <p>The model wants to run <b data-tool-name>{{ request.name }}</b> with:</p>
          <pre data-tool-input>{{ request.input | json }}</pre>
          <div class="actions">
            <button type="button" class="allow" data-action="allow" (click)="allow(request)">Allow</button>
            <button type="button" class="deny" data-action="deny" (click)="deny(request)">Deny</button>
          </div>
        </div>
      }
      <form (submit)="$event.preventDefault(); ask(prompt.value)">
        <input #prompt name="prompt" value="Email Ada that the demo is ready" />
        <button type="submit" data-action="send">Send</button>
        <button type="button" data-action="stop" (click)="chat.stop()" [disabled]="!chat.busy()">Stop</button>
      </form>
      <div class="outbox">
        <span>Outbox (<span data-outbox-count>{{ outbox().length }}</span>):</span>
        @for (email of outbox(); track $index) {
          <span class="email" data-sent>{{ email.to }} · {{ email.subject }}</span>
        } @empty {
          <span class="empty">nothing sent</span>
        }
      </div>
      <div class="status">
        <b data-status>{{ chat.status() }}</b>
        @if (approvals.pending().length > 0) { · <span data-waiting>waiting for your approval</span> }
        · {{ chat.messages().length }} messages
        @if (chat.error()) { · <span data-error>{{ chat.error() }}</span> }
      </div>
    </section>
  `,
})
export class ApprovalPaneComponent {
  readonly approvals = createApprovalQueue();
  /** The emails the tool sent: it runs only after Allow. */
  readonly outbox = signal<readonly Email[]>([]);

  readonly sendEmail = defineTool({
    name: 'send_email',
    description: 'Sends an email on behalf of the user',
    input: Email,
    needsApproval: true,
    run: (email) => {
      this.outbox.update((sent) => [...sent, email]);
      return `Sent to ${email.to}: "${email.subject}"`;
    },
  });

  readonly chat = injectChatStore({
    params: { system: 'You help the user with their email.' },
    tools: [this.sendEmail],
    loop: { approve: this.approvals.approve, maxIterations: 4 },
  });

  ask(prompt: string): void {
    if (prompt.trim() !== '') this.chat.send(prompt);
  }

  allow(request: ToolApprovalRequest): void {
    this.approvals.allow(request);
  }

  deny(request: ToolApprovalRequest): void {
    this.approvals.deny(request, DENIED);
  }
}
