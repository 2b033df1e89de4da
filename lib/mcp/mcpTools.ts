import { map, merge, of, switchMap, type Observable } from 'rxjs';
import type { RunnableTool } from '../tools/RunnableTool';
import { listAllTools } from './listAllTools';
import { mcpTool } from './mcpTool';
import type { MCPCallOptions, MCPToolExtras, MCPToolsClient } from './mcpTypes';
import { toolListChanges } from './toolListChanges';

/**
 * Every tool of an MCP server as runnable tools, kept up to date: a cold Observable that lists
 * the tools (following pagination) on subscribe, and lists them again each time the server
 * sends `notifications/tools/list_changed`, so a long-running loop or dashboard sees tools come
 * and go. A change that arrives while a listing is under way cancels it and lists again.
 *
 * It never completes by itself; take the first list with `first()`, or switch on each with
 * `switchMap`. Unsubscribing aborts a listing in flight and removes the notification handler. A
 * handler you set before for the same notification keeps being called and is put back
 * afterwards; one you set while this is subscribed replaces it (the MCP client has one handler
 * per notification), so set yours first. A failed listing fails the Observable (`retry()` it).
 *
 * ## Example
 * ```ts
 * mcpTools(mcpClient)
 *   .pipe(switchMap((tools) => client.messages.toolLoop(params, { tools })))
 *   .subscribe((event) => console.log(event.type));
 *
 * const tools = await firstValueFrom(mcpTools(mcpClient)); // just the tools of now
 * ```
 *
 * @param mcpClient A connected MCP client.
 * @param extras Other API fields for every tool (`cache_control`, `defer_loading`, …).
 * @param callOptions The MCP request options of every call (`timeout`, `resetTimeoutOnProgress`, …).
 * @return The server's tools, then again after every change.
 * @see mcpTool
 */
export function mcpTools(
  mcpClient: MCPToolsClient,
  extras: MCPToolExtras = {},
  callOptions: MCPCallOptions = {},
): Observable<RunnableTool<Record<string, unknown>>[]> {
  // The handler goes in before the first listing starts, so a change during it is not missed.
  return merge(toolListChanges(mcpClient), of(undefined)).pipe(
    switchMap(() => listAllTools(mcpClient)),
    map((tools) => tools.map((tool) => mcpTool(tool, mcpClient, extras, callOptions))),
  );
}
