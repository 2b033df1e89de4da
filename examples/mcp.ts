/**
 * An MCP server's tools in a tool loop, offline: the reference "everything" MCP server runs as a
 * child process over stdio, and the mock Messages server plays the model, which calls `echo`.
 * Run it with `npx tsx examples/mcp.ts`.
 */
import { Client as MCPClient } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { catchError, concat, concatWith, defer, finalize, first, from, ignoreElements, map, mergeMap, of, switchMap, throwError, type Observable } from 'rxjs';
import { createClient, toolLoop, type Client, type ToolLoopEvent } from 'rx-anthropic';
import { mcpResourceToContent, mcpTools, type MCPToolsClient } from 'rx-anthropic/mcp';
import { createMockServer, textReply, toolUseReply } from 'rx-anthropic/testing';
import { MODEL } from './hello';

/** The resource of the everything server the example attaches to its question. */
export const FEATURES_URI = 'demo://resource/static/document/features.md';

/**
 * The built entry of `@modelcontextprotocol/server-everything` (its `bin`), resolved from
 * node_modules: from this module under Jest (CommonJS), from the script run under tsx (ESM).
 */
export function everythingServerEntry(): string {
  const resolveFrom = typeof require === 'function' ? require : createRequire(resolve(process.argv[1] ?? join(process.cwd(), 'index.js')));
  const manifestPath = resolveFrom.resolve('@modelcontextprotocol/server-everything/package.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { bin: Record<string, string> };
  return join(dirname(manifestPath), manifest.bin['mcp-server-everything'] ?? 'dist/index.js');
}

/** Starts the everything server as a child process and connects an MCP client to it over stdio. */
export async function connectEverythingServer(): Promise<MCPClient> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [everythingServerEntry(), 'stdio'],
    // Its log lines are not the example's output.
    stderr: 'ignore',
  });
  const mcpClient = new MCPClient({ name: 'rx-anthropic-example', version: '1.0.0' });
  await mcpClient.connect(transport);
  return mcpClient;
}

/**
 * Runs a tool loop with every tool of the MCP server, a resource of it attached as a document,
 * and returns what to print: the tools, the streamed text, each tool result, how it ended.
 */
export function mcpToolLoop(client: Client, mcpClient: MCPToolsClient & Pick<MCPClient, 'readResource' | 'getServerVersion'>): Observable<string> {
  const server = mcpClient.getServerVersion();
  const question = 'Echo "hi" with the echo tool.';
  return mcpTools(mcpClient).pipe(
    first(),
    switchMap((tools) => from(mcpClient.readResource({ uri: FEATURES_URI })).pipe(map((resource) => ({ tools, resource })))),
    switchMap(({ tools, resource }) =>
      concat(
        of(
          `Connected to ${server?.name} ${server?.version} over stdio: ${tools.length} tools (${tools.map((tool) => tool.name).join(', ')})\n`,
          `Attached ${FEATURES_URI} as a document.\n`,
          `> ${question}\n`,
        ),
        of({
          model: MODEL,
          max_tokens: 1024,
          messages: [{ role: 'user' as const, content: [mcpResourceToContent(resource), { type: 'text' as const, text: question }] }],
        }).pipe(toolLoop(client, { tools }), map(describeEvent)),
      ),
    ),
  );
}

function describeEvent(event: ToolLoopEvent): string {
  switch (event.type) {
    case 'content_block_delta':
      return event.delta.type === 'text_delta' ? (event.delta as { text: string }).text : '';
    case 'message_stop':
      return '\n';
    case 'tool_result': {
      const content = typeof event.content === 'string' ? event.content : event.content.map((block) => (block.type === 'text' ? block.text : `[${block.type}]`)).join(' ');
      return `[tool_result ${event.name}${event.is_error ? ' (error)' : ''}] ${content}\n`;
    }
    case 'tool_loop_end':
      return `[tool_loop_end] ${event.stop_reason} after ${event.iterations} requests\n`;
    default:
      return '';
  }
}

/**
 * The whole example, offline: starts the mock Messages server (a turn that calls `echo`, then
 * "done") and the everything server, runs {@link mcpToolLoop}, and closes both before completing.
 */
export function runMcpExample(): Observable<string> {
  return defer(async () => {
    const messagesServer = await createMockServer([toolUseReply([{ name: 'echo', input: { message: 'hi' } }], { text: 'Let me echo that.' }), textReply('done')]);
    const mcpClient = await connectEverythingServer().catch(async (error: unknown) => {
      await messagesServer.close();
      throw error;
    });
    let closing: Promise<void> | undefined;
    const close = () => (closing ??= Promise.all([mcpClient.close(), messagesServer.close()]).then(() => undefined));
    return { client: createClient({ baseURL: messagesServer.baseURL, apiKey: 'offline-example' }), mcpClient, close };
  }).pipe(
    mergeMap(({ client, mcpClient, close }) =>
      mcpToolLoop(client, mcpClient).pipe(
        concatWith(defer(close).pipe(ignoreElements())),
        catchError((error: unknown) => from(close()).pipe(mergeMap(() => throwError(() => error)))),
        finalize(() => void close()),
      ),
    ),
  );
}

if (/examples[\\/]mcp\.ts$/.test(process.argv[1] ?? '')) {
  runMcpExample().subscribe({
    next: (text) => process.stdout.write(text),
    error: (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  });
}
