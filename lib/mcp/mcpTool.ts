import type { Tool as MCPToolDefinition } from '@modelcontextprotocol/sdk/types.js';
import * as t from 'io-ts';
import { Observable } from 'rxjs';
import { toolProgress, type RunnableTool, type ToolContext, type ToolOutput, type ToolProgress } from '../tools/RunnableTool';
import { mcpToolResult } from './mcpToolResult';
import { UnsupportedMCPValueError } from './UnsupportedMCPValueError';
import type { MCPCallOptions, MCPToolClient, MCPToolExtras } from './mcpTypes';

/**
 * Makes an MCP server's tool a tool the loop runs (`toolLoop`, `client.messages.toolLoop`).
 *
 * The definition is the MCP tool's `name`, its `description` (left out when it has none) and
 * its `inputSchema` as `input_schema` (with `type: 'object'`), plus `extras`. The input is only
 * checked to be an object: the server validates it against its own schema. `run` calls
 * `tools/call` and returns a cold Observable: each progress notification the server sends for
 * the call is emitted as a `toolProgress({ progress, total?, message? })` value, then the
 * converted result (see {@link mcpToolResult}; an MCP `isError` result becomes an `is_error`
 * tool result). Unsubscribing, or the loop's `ctx.signal` aborting, cancels the request: the
 * server gets `notifications/cancelled`. Content the API cannot take makes the Observable fail
 * with {@link UnsupportedMCPValueError}, which the loop sends back as an `is_error` result.
 *
 * ## Example
 * ```ts
 * const { tools } = await mcpClient.listTools();
 * const echo = mcpTool(tools.find((tool) => tool.name === 'echo')!, mcpClient, { cache_control: { type: 'ephemeral' } });
 * client.messages
 *   .toolLoop({ model, max_tokens: 1024, messages: [{ role: 'user', content: 'Echo "hi"' }] }, { tools: [echo] })
 *   .subscribe((event) => event.type === 'tool_result' && console.log(event.content));
 * ```
 *
 * @param tool A tool of `mcpClient.listTools()`.
 * @param mcpClient The connected MCP client that calls it.
 * @param extras Other API fields of the tool (`cache_control`, `defer_loading`, `strict`, …).
 * @param callOptions The MCP request's `timeout` (default 60 s), `resetTimeoutOnProgress`, `maxTotalTimeout`, and `maxResultBytes`.
 * @return The runnable tool.
 * @see mcpTools
 */
export function mcpTool(
  tool: MCPToolDefinition,
  mcpClient: MCPToolClient,
  extras: MCPToolExtras = {},
  callOptions: MCPCallOptions = {},
): RunnableTool<Record<string, unknown>, t.Decoder<unknown, Record<string, unknown>>> {
  return {
    name: tool.name,
    ...(tool.description === undefined ? {} : { description: tool.description }),
    input_schema: { ...tool.inputSchema, type: 'object' },
    ...extras,
    input: t.UnknownRecord,
    run: (input, context) => callTool(mcpClient, tool.name, input, context, callOptions),
  };
}

/**
 * The default of `MCPCallOptions.maxResultBytes`.
 *
 * ## Example
 * ```ts
 * mcpTools(mcpClient, {}, { maxResultBytes: 2 * DEFAULT_MAX_RESULT_BYTES }); // accept results up to 10 MiB
 * ```
 */
export const DEFAULT_MAX_RESULT_BYTES = 5 * 1024 * 1024;

function callTool(
  mcpClient: MCPToolClient,
  name: string,
  input: Record<string, unknown>,
  context: ToolContext,
  { maxResultBytes = DEFAULT_MAX_RESULT_BYTES, ...requestOptions }: MCPCallOptions,
): Observable<ToolOutput | ToolProgress> {
  return new Observable<ToolOutput | ToolProgress>((subscriber) => {
    const controller = new AbortController();
    let settled = false;
    const onLoopAbort = (): void => controller.abort(context.signal.reason);
    if (context.signal.aborted) onLoopAbort();
    else context.signal.addEventListener('abort', onLoopAbort);

    mcpClient
      .callTool({ name, arguments: input }, undefined, {
        ...requestOptions,
        signal: controller.signal,
        // Passing onprogress is what makes the client send a progressToken, without which the
        // server has nothing to report progress against.
        onprogress: (progress) => subscriber.next(toolProgress(progress)),
      })
      .then(
        (result) => {
          settled = true;
          const size = new TextEncoder().encode(JSON.stringify(result)).length;
          if (size > maxResultBytes) {
            subscriber.error(
              new UnsupportedMCPValueError(
                `The result of tool "${name}" is ${size} bytes, over the limit of ${maxResultBytes} (maxResultBytes): it was not sent to the model.`,
                { kind: 'oversized_result' },
              ),
            );
            return;
          }
          // Conversion errors fail the Observable with UnsupportedMCPValueError; the loop
          // sends them back as is_error results, and direct callers can tell them apart.
          subscriber.next(mcpToolResult(result, { toolName: name }));
          subscriber.complete();
        },
        (error: unknown) => {
          settled = true;
          subscriber.error(error);
        },
      )
      .catch((error: unknown) => subscriber.error(error));

    return () => {
      context.signal.removeEventListener('abort', onLoopAbort);
      // The reason is what the server reads in notifications/cancelled.
      if (!settled) controller.abort(`The call of tool "${name}" was unsubscribed.`);
    };
  });
}
