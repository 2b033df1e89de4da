import { ChangeDetectionStrategy, Component } from '@angular/core';
import { AsyncChatComponent } from './async-chat.component';
import { ChatPaneComponent } from './chat-pane.component';
import { SignalChatComponent } from './signal-chat.component';

/** Three panes, each on a chat store of its own: read through Observables, read as signals, and a conversation with its history. */
@Component({
  selector: 'app-root',
  imports: [AsyncChatComponent, SignalChatComponent, ChatPaneComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h1>rx-anthropic · Angular</h1>
    <p class="lead">Replies stream through <code>HttpClient</code> to the proxy at <code>/api</code>, with <code>rx-anthropic/angular</code>.</p>
    <div class="panes">
      <app-async-chat />
      <app-signal-chat />
    </div>
    <app-chat-pane />
  `,
})
export class AppComponent {}
