import type { CallToolResult, CompatibilityCallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { ToolResultValue } from '../tools/RunnableTool';
import { contentToBlock } from './convertContent';
import type { MCPBlockOptions } from './mcpTypes';

/**
 * Options of {@link mcpToolResult}.
 *
 * ## Example
 * ```ts
 * const options: MCPToolResultOptions = { toolName: 'search', cache_control: { type: 'ephemeral' } };
 * mcpToolResult(await mcpClient.callTool({ name: 'search', arguments: { q } }), options);
 * ```
 */
export interface MCPToolResultOptions extends MCPBlockOptions {
  /** The tool's name, for error messages. */
  readonly toolName?: string;
}

/**
 * Converts the result of an MCP `tools/call` to a tool result the loop sends back.
 *
 * `isError: true` gives the converted content with `is_error: true`. Empty `content` with
 * `structuredContent` gives that object as JSON text (the spec only says a server *should* also
 * send it as text). Otherwise the content items are converted one by one (see {@link mcpContent}).
 * A result of the 2024-10-07 protocol (`toolResult`) is sent as JSON text.
 *
 * ## Example
 * ```ts
 * const result = await mcpClient.callTool({ name: 'get_weather', arguments: { city: 'Paris' } });
 * const { content, is_error } = mcpToolResult(result, { toolName: 'get_weather' });
 * ```
 *
 * @param result What `mcpClient.callTool()` resolved with.
 * @param options The tool's name (for messages) and `cache_control` for the blocks.
 * @return `{ content, is_error }`.
 * @throws UnsupportedMCPValueError when an item is something the API cannot take (audio, a
 * resource link, …), naming the tool and the item.
 * @see mcpTool
 */
export function mcpToolResult(result: CallToolResult | CompatibilityCallToolResult, options: MCPToolResultOptions = {}): ToolResultValue {
  const isError = result.isError === true;
  const items = Array.isArray(result.content) ? (result.content as CallToolResult['content']) : [];
  const structured = result.structuredContent;
  let content: ToolResultValue['content'];
  if (items.length === 0 && typeof structured === 'object' && structured !== null) content = JSON.stringify(structured);
  else if (items.length === 0 && 'toolResult' in result) content = JSON.stringify(result.toolResult) ?? '';
  else {
    const where = options.toolName === undefined ? 'in a tool result' : `in the result of tool "${options.toolName}"`;
    content = items.map((item, index) => contentToBlock(item, options, `${where} (content[${index}])`));
  }
  return isError ? { content, is_error: true } : { content };
}
