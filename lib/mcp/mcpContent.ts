import type { ContentBlock } from '@modelcontextprotocol/sdk/types.js';
import { contentToBlock } from './convertContent';
import type { MCPBlock, MCPBlockOptions } from './mcpTypes';

/**
 * Converts one MCP content item to a block of a request message.
 *
 * Text becomes a text block; a JPEG, PNG, GIF or WebP image a base64 image block; an embedded
 * resource an image block, a PDF document or a plain-text document by its MIME type. Audio,
 * resource links, other image types and other resource types throw
 * {@link UnsupportedMCPValueError}. Use it to mix MCP content with your own blocks.
 *
 * ## Example
 * ```ts
 * const { messages } = await mcpClient.getPrompt({ name: 'review' });
 * const content = [mcpContent(messages[0]!.content), { type: 'text', text: 'Be brief.' }];
 * ```
 *
 * @param content A content item of an MCP prompt message or tool result.
 * @param options `cache_control` for the block.
 * @return The block.
 * @throws UnsupportedMCPValueError for what the API cannot take.
 * @see mcpMessage
 * @see mcpResourceToContent
 */
export function mcpContent(content: ContentBlock, options: MCPBlockOptions = {}): MCPBlock {
  return contentToBlock(content, options, 'in MCP content');
}
