import type { Tool as MCPToolDefinition } from '@modelcontextprotocol/sdk/types.js';
import { Observable } from 'rxjs';
import { AnthropicError } from '../errors';
import type { MCPToolsClient } from './mcpTypes';

/**
 * Every tool of an MCP server, following `nextCursor` page after page, as a cold Observable of
 * one array. Unsubscribing aborts the page request in flight.
 *
 * ## Example
 * ```ts
 * listAllTools(mcpClient).subscribe((tools) => console.log(tools.map((tool) => tool.name)));
 * ```
 *
 * @param mcpClient A connected MCP client.
 * @return The tools of every page, in order.
 * @see mcpTools
 */
export function listAllTools(mcpClient: Pick<MCPToolsClient, 'listTools'>): Observable<MCPToolDefinition[]> {
  return new Observable<MCPToolDefinition[]>((subscriber) => {
    const controller = new AbortController();
    const run = async (): Promise<void> => {
      const tools: MCPToolDefinition[] = [];
      const seen = new Set<string>();
      let cursor: string | undefined;
      do {
        const page = await mcpClient.listTools(cursor === undefined ? {} : { cursor }, { signal: controller.signal });
        tools.push(...page.tools);
        // A server that hands back a cursor it gave before would page forever.
        if (page.nextCursor !== undefined && seen.has(page.nextCursor)) {
          throw new AnthropicError(`The MCP server repeated the tools/list cursor "${page.nextCursor}".`);
        }
        cursor = page.nextCursor;
        if (cursor !== undefined) seen.add(cursor);
      } while (cursor !== undefined);
      subscriber.next(tools);
      subscriber.complete();
    };
    run().catch((error: unknown) => subscriber.error(error));
    return () => controller.abort();
  });
}
