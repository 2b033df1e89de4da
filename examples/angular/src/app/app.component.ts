import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { AsyncChatComponent } from './async-chat.component';
import { ChatService } from './chat.service';
import { SignalChatComponent } from './signal-chat.component';

/** Two panes on one service; the totals are the service's Observable read as a signal. */
@Component({
  selector: 'app-root',
  imports: [AsyncChatComponent, SignalChatComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h1>rx-anthropic · Angular</h1>
    <p class="lead">
      Replies stream through the proxy at <code>/api</code>.
      Finished replies: <b data-totals>{{ totals().replies }}, with {{ totals().outputTokens }} output tokens</b>.
    </p>
    <div class="panes">
      <app-async-chat />
      <app-signal-chat />
    </div>
  `,
})
export class AppComponent {
  /** `toSignal` subscribes now and unsubscribes when the component is destroyed. */
  readonly totals = toSignal(inject(ChatService).totals$, { requireSync: true });
}
