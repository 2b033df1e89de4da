import { map, type Observable } from 'rxjs';
import { messageStreamEvents, type Client } from 'rx-anthropic';
import { MODEL } from './hello';

/**
 * The SDK's event switch: text as it streams, a line when a block finishes, and the final
 * message as JSON. Returns the lines to print.
 */
export function eventSwitch(client: Client): Observable<string> {
  return client.messages
    .stream({ model: MODEL, max_tokens: 256, messages: [{ role: 'user', content: 'Name three colours of the sky.' }] })
    .pipe(
      messageStreamEvents(),
      map((event) => {
        switch (event.type) {
          case 'text':
            return event.text;
          case 'content_block_stop':
            return `\n[content_block_stop: ${event.content_block.type}]\n`;
          case 'message_stop':
            return `final message: ${JSON.stringify(event.message)}\n`;
          default:
            return '';
        }
      }),
    );
}
