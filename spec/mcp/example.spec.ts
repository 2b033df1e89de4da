import type { Client as MCPClient } from '@modelcontextprotocol/sdk/client/index.js';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { lastValueFrom, toArray } from 'rxjs';
import { createClient, type MessageParam } from 'rx-anthropic';
import { createMockServer, textReply, toolUseReply, type MockServer } from 'rx-anthropic/testing';
import { connectEverythingServer, everythingServerEntry, FEATURES_URI, mcpToolLoop, runMcpExample } from '../../examples/mcp';
import { outputOf, runCommandSync } from '../support/runCommand';

jest.setTimeout(60_000);

const root = resolve(__dirname, '../..');

describe('examples/mcp.ts', () => {
  it('finds the built entry of server-everything in node_modules', () => {
    const entry = everythingServerEntry();
    expect(entry).toMatch(/@modelcontextprotocol[\\/]server-everything[\\/]dist[\\/]index\.js$/);
    expect(existsSync(entry)).toBe(true);
  });

  it('runMcpExample runs offline end to end and closes what it started', async () => {
    const printed = (await lastValueFrom(runMcpExample().pipe(toArray()))).join('');
    expect(printed).toMatch(/^Connected to mcp-servers\/everything \S+ over stdio: \d+ tools \(echo, /);
    expect(printed).toContain(`Attached ${FEATURES_URI} as a document.\n> Echo "hi" with the echo tool.\n`);
    expect(printed).toContain('Let me echo that.\n[tool_result echo] Echo: hi\ndone\n[tool_loop_end] end_turn after 2 requests\n');
  });

  describe('mcpToolLoop', () => {
    let mcpClient: MCPClient | undefined;
    let server: MockServer | undefined;
    afterEach(async () => {
      await mcpClient?.close();
      await server?.close();
    });

    it('sends the resource as a document and the echo result back', async () => {
      server = await createMockServer([toolUseReply([{ id: 'toolu_echo', name: 'echo', input: { message: 'hi' } }]), textReply('done')]);
      mcpClient = await connectEverythingServer();
      await lastValueFrom(mcpToolLoop(createClient({ baseURL: server.baseURL, apiKey: 'k' }), mcpClient).pipe(toArray()));
      const [first, second] = server.requests.map((request) => (request.body as { messages: MessageParam[] }).messages);
      expect(first?.[0]?.content).toEqual([
        { type: 'document', source: { type: 'text', media_type: 'text/plain', data: expect.stringContaining('#') } },
        { type: 'text', text: 'Echo "hi" with the echo tool.' },
      ]);
      expect(second?.at(-1)).toEqual({ role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_echo', content: [{ type: 'text', text: 'Echo: hi' }] }] });
    });
  });

  it('prints when run directly with tsx', () => {
    const output = outputOf(runCommandSync(process.execPath, [resolve(root, 'node_modules/tsx/dist/cli.mjs'), 'examples/mcp.ts'], { cwd: root, timeoutMs: 45_000 }));
    expect(output).toContain('[tool_result echo] Echo: hi\ndone\n[tool_loop_end] end_turn after 2 requests\n');
  });
});
