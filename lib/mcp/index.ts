/**
 * `rx-anthropic/mcp`: Model Context Protocol servers as tools, messages and documents for the
 * Anthropic API. Needs `@modelcontextprotocol/sdk` (a peer dependency, not installed with the core).
 */
export { mcpTool, DEFAULT_MAX_RESULT_BYTES } from './mcpTool';
export { mcpTools } from './mcpTools';
export { mcpToolResult, type MCPToolResultOptions } from './mcpToolResult';
export { mcpContent } from './mcpContent';
export { mcpMessage } from './mcpMessage';
export { mcpMessages } from './mcpMessages';
export { mcpResourceToContent } from './mcpResourceToContent';
export { mcpResourceToFile } from './mcpResourceToFile';
export { UnsupportedMCPValueError, type UnsupportedMCPValueDetails } from './UnsupportedMCPValueError';
export type { MCPResourceContents } from './convertContent';
export type { MCPBlock, MCPBlockOptions, MCPCallOptions, MCPToolClient, MCPToolExtras, MCPToolsClient } from './mcpTypes';
