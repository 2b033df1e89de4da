import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import type { InputMessage } from 'rx-anthropic';
import { messageText } from 'rx-anthropic/angular';

/** The blocks of a message that are not text, by type: what a tool turn shows besides its words (and whether a tool result is an error). */
interface OtherBlock {
  readonly type: string;
  readonly name?: string;
  readonly is_error?: boolean;
}

/**
 * One message of the conversation: its text, and a line for each tool use or tool result, so a
 * conversation with tools reads as one. A card of its own (an approval, a file) would sit beside it.
 */
@Component({
  selector: 'app-message-view',
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { '[attr.data-role]': 'message().role', 'data-message': '', '[class]': 'message().role' },
  template: `
    <span class="role">{{ message().role }}</span>
    @if (text()) {
      <div class="text">{{ text() }}</div>
    }
    @for (block of otherBlocks(); track $index) {
      <div class="block">{{ block.type }}{{ block.name ? ' · ' + block.name : '' }}{{ block.is_error ? ' · error' : '' }}</div>
    }
  `,
})
export class MessageViewComponent {
  readonly message = input.required<InputMessage>();
  readonly text = computed(() => messageText(this.message()));
  readonly otherBlocks = computed<readonly OtherBlock[]>(() => {
    const content = this.message().content;
    return typeof content === 'string' ? [] : (content as readonly OtherBlock[]).filter((block) => block.type !== 'text');
  });
}
