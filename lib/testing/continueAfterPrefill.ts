import type { MockMessageDraft } from './types';

/**
 * What the model says after an assistant prefill, when the scripted answer is the whole turn:
 * the scripted message with the prefill taken off the front of its text, as the API goes on from
 * where a prefill ends. The prefill is matched against the text blocks in order (it may span
 * several); the block it ends in stays, with the rest of its text (empty when the prefill ends at
 * the block's end: the API's answer opens with the text block that continues the prefill), and
 * the blocks after it follow unchanged. A prefill that is not a prefix of the scripted text (it
 * differs, or reaches a block that is not text) leaves the message whole: the script answers as
 * written.
 *
 * So a stream cut after some text and sent again with that text as a prefill gets exactly the
 * rest: the two together are the uncut answer, byte for byte.
 *
 * ## Example
 * ```ts
 * continueAfterPrefill({ content: [{ type: 'text', text: 'Hello there!' }] }, 'Hello');
 * // { content: [{ type: 'text', text: ' there!' }] }
 * ```
 */
export function continueAfterPrefill(draft: MockMessageDraft, prefill: string | undefined): MockMessageDraft {
  if (prefill === undefined || prefill === '') return draft;
  const { content } = draft;
  let rest = prefill;
  for (let index = 0; index < content.length; index += 1) {
    const block = content[index];
    if (block?.type !== 'text' || typeof block.text !== 'string') return draft;
    if (block.text.startsWith(rest)) {
      return { ...draft, content: [{ ...block, text: block.text.slice(rest.length) }, ...content.slice(index + 1)] };
    }
    if (!rest.startsWith(block.text)) return draft;
    rest = rest.slice(block.text.length);
  }
  return draft;
}
