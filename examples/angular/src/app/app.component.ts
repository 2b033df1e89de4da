import { ChangeDetectionStrategy, Component } from '@angular/core';
import { ApprovalPaneComponent } from './approval-pane.component';
import { AsyncChatComponent } from './async-chat.component';
import { ChatPaneComponent } from './chat-pane.component';
import { RecipeCardComponent } from './recipe-card.component';
import { SignalChatComponent } from './signal-chat.component';

/**
 * Five panes: three on a chat store of their own (read through Observables, read as signals, and
 * a conversation with its history), a tool loop whose tool waits for an Allow / Deny card, and a
 * card that fills in from a structured output's partial objects.
 */
@Component({
  selector: 'app-root',
  imports: [AsyncChatComponent, SignalChatComponent, ChatPaneComponent, ApprovalPaneComponent, RecipeCardComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h1>rx-anthropic · Angular</h1>
    <p class="lead">Replies stream through <code>HttpClient</code> to the proxy at <code>/api</code>, with <code>rx-anthropic/angular</code>.</p>
    <div class="panes">
      <app-async-chat />
      <app-signal-chat />
    </div>
    <app-chat-pane />
    <div class="panes">
      <app-approval-pane />
      <app-recipe-card />
    </div>
  `,
})
export class AppComponent {}
