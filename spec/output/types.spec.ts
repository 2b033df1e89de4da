import type { AutoParseableOutputFormat } from '@anthropic-ai/sdk/lib/parser';
import * as t from 'io-ts';
import { EMPTY, type Observable } from 'rxjs';

import {
  createClient,
  finalOutput,
  outputFormat,
  partialOutput,
  type Client,
  type DeepPartial,
  type MessageCreateParams,
  type OutputOf,
  type OutputOfParams,
  type ParsedMessage,
  type RawMessageStreamEvent,
  type ToolLoopEvent,
} from 'rx-anthropic';

/**
 * The types of the structured-output API, checked by `npm run typecheck` (this file compiles only
 * if every line holds; each `@ts-expect-error` must be an error). The runtime expectations only
 * keep jest from calling the file empty.
 */
const Review = t.type({ title: t.string, stars: t.number, units: t.union([t.literal('metric'), t.literal('imperial')]), tags: t.array(t.string) });
type Review = t.TypeOf<typeof Review>;
const format = outputFormat(Review);

// Cold: nothing here is ever subscribed, so nothing is sent.
const client: Client = createClient({ apiKey: 'k', baseURL: 'http://127.0.0.1:9' });
const events$: Observable<RawMessageStreamEvent> = EMPTY;
const loop$: Observable<ToolLoopEvent> = EMPTY;
const base = { model: 'claude-sonnet-4-6', max_tokens: 512, messages: [{ role: 'user' as const, content: 'Review this' }] };

describe('the types of structured output', () => {
  it('follow the codec everywhere', () => {
    const value: OutputOf<typeof format> = { title: 'Great', stars: 5, units: 'metric', tags: [] };
    // @ts-expect-error: stars is a number
    const wrong: OutputOf<typeof format> = { title: 'Great', stars: '5', units: 'metric', tags: [] };

    const parsed$: Observable<ParsedMessage<Review>> = client.messages.parse({ ...base, output_config: { format } });
    // @ts-expect-error: the output is a Review, not a string
    const notString$: Observable<ParsedMessage<string>> = client.messages.parse({ ...base, output_config: { format } });
    const noFormat: OutputOfParams<typeof base> = null;
    const plain: OutputOfParams<typeof base & { output_config: { format: { type: 'json_schema'; schema: { type: 'object' } } } }> = 'anything';
    const wide: OutputOfParams<MessageCreateParams> = 'anything';

    const final$: Observable<Review> = events$.pipe(finalOutput(format));
    const partial$: Observable<DeepPartial<Review>> = events$.pipe(partialOutput(format));
    const fromLoop$: Observable<DeepPartial<Review>> = loop$.pipe(partialOutput(format));
    const plainFinal$: Observable<unknown> = events$.pipe(finalOutput({ type: 'json_schema', schema: {} }));

    // Partial strings are strings: a literal union reads "met" before "metric".
    const partial: DeepPartial<Review> = { title: 'Gr', units: 'met', tags: ['a', 'b'] };
    // @ts-expect-error: a partial number is still a number
    const partialWrong: DeepPartial<Review> = { stars: '4' };

    // The format is also one of the official SDK's auto-parseable formats.
    const sdkFormat: AutoParseableOutputFormat<Review> = format;

    expect([value, wrong, parsed$, notString$, noFormat, plain, wide, final$, partial$, fromLoop$, plainFinal$, partial, partialWrong, sdkFormat]).toHaveLength(14);
  });
});
