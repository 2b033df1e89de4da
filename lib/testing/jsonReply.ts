import type { MockJSONTurn, MockReplyOptions } from './types';

/**
 * A turn that answers with this JSON body, whether or not the request asked for a stream: a
 * Message that breaks the schema, a body the client must refuse, a custom status.
 *
 * ## Example
 * ```ts
 * const server = await createMockServer([jsonReply({ type: 'message', content: 'not a list' })]);
 * ```
 * @param body Serialised with `JSON.stringify`.
 * @param options Delivery and faults (`status` defaults to 200).
 * @return A turn for the script.
 * @see errorReply
 */
export function jsonReply(body: unknown, options: MockReplyOptions = {}): MockJSONTurn {
  return { ...options, kind: 'json', body };
}
