import type { GetPromptResult, PromptMessage } from '@modelcontextprotocol/sdk/types.js';
import type { MessageParam } from '../schema';
import { contentToBlock } from './convertContent';
import type { MCPBlockOptions } from './mcpTypes';

/**
 * Converts a whole MCP prompt (the result of `prompts/get`, or its `messages`) to request
 * messages, one per prompt message, in order.
 *
 * ## Example
 * ```ts
 * const prompt = await mcpClient.getPrompt({ name: 'review', arguments: { file: 'main.ts' } });
 * client.messages
 *   .stream({ model, max_tokens: 1024, messages: mcpMessages(prompt, { cache_control: { type: 'ephemeral' } }) })
 *   .pipe(textDeltas())
 *   .subscribe((text) => process.stdout.write(text));
 * ```
 *
 * @param prompt The result of `mcpClient.getPrompt()`, or its `messages`.
 * @param options `cache_control` for every block.
 * @return The messages.
 * @throws UnsupportedMCPValueError naming the first message whose content the API cannot take.
 * @see mcpMessage
 */
export function mcpMessages(prompt: Pick<GetPromptResult, 'messages'> | readonly PromptMessage[], options: MCPBlockOptions = {}): MessageParam[] {
  const messages: readonly PromptMessage[] = 'messages' in prompt ? prompt.messages : prompt;
  return messages.map((message, index) => ({
    role: message.role,
    content: [contentToBlock(message.content, options, `in prompt message ${index} (${message.role})`)],
  }));
}
