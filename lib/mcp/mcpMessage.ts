import type { PromptMessage } from '@modelcontextprotocol/sdk/types.js';
import type { MessageParam } from '../schema';
import { contentToBlock } from './convertContent';
import type { MCPBlockOptions } from './mcpTypes';

/**
 * Converts a message of an MCP prompt (`prompts/get`) to a request message: same role, its
 * content as one block (see {@link mcpContent} for the conversion).
 *
 * ## Example
 * ```ts
 * const prompt = await mcpClient.getPrompt({ name: 'review', arguments: { file: 'main.ts' } });
 * client.messages.stream({ model, max_tokens: 1024, messages: [mcpMessage(prompt.messages[0]!)] });
 * ```
 *
 * @param message One of `GetPromptResult.messages`.
 * @param options `cache_control` for the block.
 * @return The message.
 * @throws UnsupportedMCPValueError when its content is something the API cannot take.
 * @see mcpMessages
 */
export function mcpMessage(message: PromptMessage, options: MCPBlockOptions = {}): MessageParam {
  return { role: message.role, content: [contentToBlock(message.content, options, `in a ${message.role} prompt message`)] };
}
