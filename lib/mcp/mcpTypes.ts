import type { Protocol, RequestOptions } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type { CallToolRequest, CallToolResult, CompatibilityCallToolResult, ListToolsRequest, ListToolsResult } from '@modelcontextprotocol/sdk/types.js';
import type { CacheControl, DocumentBlockParam, ImageBlockParam, TextBlockParam, Tool } from '../schema';

/**
 * What {@link mcpTool} needs of an MCP client: `callTool`. A connected `Client` of
 * `@modelcontextprotocol/sdk` is one; so is anything with the same method (a wrapper, a fake).
 *
 * Written out rather than picked from the SDK's `Client` class: the SDK's CommonJS declaration of
 * `Client` imports an ES module without a `resolution-mode`, which a CommonJS program that checks
 * library types (`skipLibCheck: false`) reports as an error in the SDK.
 *
 * ## Example
 * ```ts
 * const mcpClient: MCPToolClient = { callTool: async () => ({ content: [{ type: 'text', text: 'ok' }] }) };
 * const tool = mcpTool({ name: 'ping', inputSchema: { type: 'object' } }, mcpClient);
 * ```
 */
export interface MCPToolClient {
  /** Calls a tool of the server: `Client.callTool` of the MCP SDK. */
  callTool(
    params: CallToolRequest['params'],
    resultSchema?: undefined,
    options?: RequestOptions,
  ): Promise<CallToolResult | CompatibilityCallToolResult>;
}

/**
 * What {@link mcpTools} needs of an MCP client: listing and calling tools, and the notification
 * handlers through which it hears `notifications/tools/list_changed`.
 *
 * ## Example
 * ```ts
 * const mcpClient = new Client({ name: 'my-app', version: '1.0.0' }); // from @modelcontextprotocol/sdk
 * await mcpClient.connect(transport);
 * const toolsClient: MCPToolsClient = mcpClient;
 * mcpTools(toolsClient).subscribe((tools) => console.log(tools.map((tool) => tool.name)));
 * ```
 */
export interface MCPToolsClient
  extends MCPToolClient,
    Pick<Protocol<never, never, never>, 'setNotificationHandler' | 'removeNotificationHandler'> {
  /** Lists a page of the server's tools: `Client.listTools` of the MCP SDK. */
  listTools(params?: ListToolsRequest['params'], options?: RequestOptions): Promise<ListToolsResult>;
}

/**
 * The blocks the MCP helpers produce: the kinds the API takes in messages and tool results.
 *
 * ## Example
 * ```ts
 * const block: MCPBlock = mcpContent({ type: 'text', text: 'Hello' }); // { type: 'text', text: 'Hello' }
 * ```
 */
export type MCPBlock = TextBlockParam | ImageBlockParam | DocumentBlockParam;

/**
 * Options of the helpers that produce blocks or messages.
 *
 * ## Example
 * ```ts
 * const options: MCPBlockOptions = { cache_control: { type: 'ephemeral' } };
 * const messages = mcpMessages(await mcpClient.getPrompt({ name: 'review' }), options);
 * ```
 */
export interface MCPBlockOptions {
  /** Set on every block produced, as a prompt-caching breakpoint. */
  readonly cache_control?: CacheControl | null;
}

/**
 * API fields of a tool besides the ones taken from the MCP tool (`cache_control`, `defer_loading`, `strict`, …).
 *
 * ## Example
 * ```ts
 * const extras: MCPToolExtras = { cache_control: { type: 'ephemeral' }, defer_loading: true };
 * mcpTools(mcpClient, extras);
 * ```
 */
export type MCPToolExtras = Partial<Omit<Tool, 'name' | 'description' | 'input_schema'>>;

/**
 * How long a tool call may take, as the MCP client understands it (its default timeout is 60
 * seconds; `resetTimeoutOnProgress` lets a tool that reports progress run longer).
 *
 * ## Example
 * ```ts
 * const callOptions: MCPCallOptions = { timeout: 120_000, resetTimeoutOnProgress: true, maxResultBytes: 1024 * 1024 };
 * mcpTools(mcpClient, {}, callOptions);
 * ```
 */
export type MCPCallOptions = Pick<RequestOptions, 'timeout' | 'resetTimeoutOnProgress' | 'maxTotalTimeout'> & {
  /**
   * The largest tool result accepted, in bytes of its JSON (default 5 MiB): a bigger one fails the
   * call with `UnsupportedMCPValueError` (kind `oversized_result`) instead of going into a request.
   */
  readonly maxResultBytes?: number;
};
