import type { MessageBatchRequest } from 'rx-anthropic';

/**
 * `count` batch requests, `req-0`, `req-1`, …, each a short question to `claude-sonnet-4-6`.
 *
 * ## Example
 * ```ts
 * client.messages.batches.create({ requests: batchRequests(3) });
 * ```
 */
export const batchRequests = (count: number): MessageBatchRequest[] =>
  Array.from({ length: count }, (_, i) => ({
    custom_id: `req-${i}`,
    params: { model: 'claude-sonnet-4-6', max_tokens: 64, messages: [{ role: 'user' as const, content: `Question ${i}` }] },
  }));
