import { encodeSSEFrame } from '../../../lib/testing/encodeSSEFrame';
import { messageToEvents } from '../../../lib/testing/messageToEvents';
import type { MockContentBlock } from '../../../lib/testing/types';

/** What a reply says and how it ends; the usage is fixed so that specs can total it. */
export interface ReplyContent {
  readonly content: readonly MockContentBlock[];
  readonly stop_reason?: string;
  readonly id?: string;
}

/** The usage every scripted reply reports. */
export const REPLY_USAGE = { input_tokens: 12, output_tokens: 9 } as const;

/**
 * The server-sent events the API would send for a reply, one string per event (`event: …\ndata: …\n\n`),
 * text in deltas of four characters: what a spec hands `HttpTestingController` piece by piece.
 */
export function sseFrames(reply: ReplyContent): string[] {
  const message = {
    id: reply.id ?? 'msg_1',
    type: 'message' as const,
    role: 'assistant' as const,
    model: 'claude-sonnet-4-6',
    content: reply.content,
    stop_reason: reply.stop_reason ?? 'end_turn',
    stop_sequence: null,
    usage: { ...REPLY_USAGE, cache_creation_input_tokens: null, cache_read_input_tokens: null },
  };
  return messageToEvents(message, 4).map(encodeSSEFrame);
}

/** The whole body of a text reply. */
export const textSSE = (text: string, id?: string): string => sseFrames({ content: [{ type: 'text', text }], ...(id ? { id } : {}) }).join('');
