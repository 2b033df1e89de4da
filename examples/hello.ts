import type { Observable } from 'rxjs';
import { textDeltas, type Client } from 'rx-anthropic';

/** The model the examples ask; `ANTHROPIC_MODEL` overrides it. */
export const MODEL = process.env['ANTHROPIC_MODEL'] ?? 'claude-sonnet-4-6';

/** Streams the reply to "Say hello there!" as text fragments, as they arrive. */
export function hello(client: Client): Observable<string> {
  return client.messages
    .stream({ model: MODEL, max_tokens: 256, messages: [{ role: 'user', content: 'Say hello there!' }] })
    .pipe(textDeltas());
}
