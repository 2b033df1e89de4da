import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult, GetPromptResult, ReadResourceResult } from '@modelcontextprotocol/sdk/types.js';

/** A 1×1 PNG. */
export const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';
/** The start of a PDF (enough for a converter, which never looks inside). */
export const PDF = Buffer.from('%PDF-1.4\n%âãÏÓ\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n', 'latin1').toString('base64');
export const base64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');

/** Every kind of content a tool can answer, one zero-argument tool per kind. */
export const toolResults: Record<string, CallToolResult> = {
  text: { content: [{ type: 'text', text: 'plain text' }] },
  image_png: { content: [{ type: 'image', data: PNG, mimeType: 'image/png' }] },
  image_svg: { content: [{ type: 'image', data: base64('<svg/>'), mimeType: 'image/svg+xml' }] },
  audio: { content: [{ type: 'audio', data: base64('RIFF'), mimeType: 'audio/wav' }] },
  resource_link: { content: [{ type: 'resource_link', uri: 'file:///notes.md', name: 'notes' }] },
  embedded_text: { content: [{ type: 'resource', resource: { uri: 'file:///notes.md', mimeType: 'text/markdown', text: '# Notes' } }] },
  embedded_pdf: { content: [{ type: 'resource', resource: { uri: 'file:///report.pdf', mimeType: 'application/pdf', blob: PDF } }] },
  embedded_json: { content: [{ type: 'resource', resource: { uri: 'file:///data.json', mimeType: 'application/json', text: '{"a":1}' } }] },
  mixed: {
    content: [
      { type: 'text', text: 'a caption' },
      { type: 'image', data: PNG, mimeType: 'image/png' },
    ],
  },
  failing: { content: [{ type: 'text', text: 'the city is unknown' }], isError: true },
  failing_with_audio: { content: [{ type: 'audio', data: base64('RIFF'), mimeType: 'audio/wav' }], isError: true },
  structured: { content: [], structuredContent: { temperature: 18, unit: 'C' } },
};

/** Resources of every kind the converters meet. */
export const resources: Record<string, ReadResourceResult> = {
  'file:///notes.md': { contents: [{ uri: 'file:///notes.md', mimeType: 'text/markdown', text: '# Notes\n\nÀ bientôt' }] },
  'file:///report.pdf': { contents: [{ uri: 'file:///report.pdf', mimeType: 'application/pdf', blob: PDF }] },
  'file:///logo.png': { contents: [{ uri: 'file:///logo.png', mimeType: 'image/png', blob: PNG }] },
  'file:///config.json': { contents: [{ uri: 'file:///config.json', mimeType: 'application/json', text: '{"debug":true}' }] },
  'file:///both.json': {
    contents: [
      { uri: 'file:///both.json', mimeType: 'application/json', text: '{"a":1}' },
      { uri: 'file:///both.json', mimeType: 'text/plain', text: 'a = 1' },
    ],
  },
};

/** Prompts: one of every convertible kind, one the API cannot take. */
export const prompts: Record<string, GetPromptResult> = {
  review: {
    description: 'Review a file',
    messages: [
      { role: 'user', content: { type: 'text', text: 'Review this file.' } },
      { role: 'user', content: { type: 'resource', resource: { uri: 'file:///main.ts', mimeType: 'text/x-typescript', text: 'export {}' } } },
      { role: 'assistant', content: { type: 'text', text: 'Here is my review.' } },
      { role: 'user', content: { type: 'image', data: PNG, mimeType: 'image/png' } },
    ],
  },
  listen: { messages: [{ role: 'user', content: { type: 'audio', data: base64('RIFF'), mimeType: 'audio/wav' } }] },
};

/** What the slow tool saw of its last call. */
export interface SlowToolCall {
  /** Resolves when the server has started the call. */
  readonly started: Promise<void>;
  /** Resolves with the abort reason when the server saw the cancellation. */
  readonly cancelled: Promise<unknown>;
}

export interface InProcessServer {
  readonly server: McpServer;
  readonly client: Client;
  /** The calls of the `slow` tool, in order. */
  readonly slowCalls: SlowToolCall[];
  /** The progress tokens the `progress` tool was called with. */
  readonly progressTokens: unknown[];
  close(): Promise<void>;
}

/**
 * A real `McpServer` and a connected `Client` over the SDK's in-memory transport, serving the
 * tools, prompts and resources above, a `slow` tool that runs until cancelled (or 10 s), and a
 * `progress` tool that reports three steps before answering.
 */
export async function startInProcessServer(): Promise<InProcessServer> {
  const server = new McpServer({ name: 'rx-anthropic-spec', version: '1.0.0' });
  const slowCalls: SlowToolCall[] = [];
  const progressTokens: unknown[] = [];

  for (const [name, result] of Object.entries(toolResults)) {
    server.registerTool(name, { description: `Answers ${name} content` }, () => result);
  }
  server.registerTool('slow', { description: 'Runs until cancelled' }, (extra) => {
    let started = (): void => undefined;
    let cancelled = (_reason: unknown): void => undefined;
    slowCalls.push({ started: new Promise<void>((resolve) => (started = resolve)), cancelled: new Promise((resolve) => (cancelled = resolve)) });
    started();
    return new Promise<CallToolResult>((resolve) => {
      const timer = setTimeout(() => resolve({ content: [{ type: 'text', text: 'finished' }] }), 10_000);
      extra.signal.addEventListener('abort', () => {
        clearTimeout(timer);
        cancelled(extra.signal.reason);
        resolve({ content: [{ type: 'text', text: 'cancelled' }] });
      });
    });
  });
  server.registerTool('progress', { description: 'Reports progress' }, async (extra) => {
    const progressToken = extra._meta?.progressToken;
    progressTokens.push(progressToken);
    if (progressToken !== undefined) {
      for (let step = 1; step <= 3; step++) {
        await extra.sendNotification({ method: 'notifications/progress', params: { progressToken, progress: step, total: 3, message: `step ${step}` } });
      }
    }
    return { content: [{ type: 'text', text: 'all done' }] };
  });
  for (const [name, result] of Object.entries(prompts)) {
    server.registerPrompt(name, { description: result.description ?? name }, () => result);
  }
  for (const [uri, result] of Object.entries(resources)) {
    server.registerResource(uri.slice('file:///'.length), uri, {}, () => result);
  }

  const client = new Client({ name: 'rx-anthropic-spec-client', version: '1.0.0' });
  const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
  await Promise.all([server.connect(serverTransport), client.connect(clientTransport)]);
  return {
    server,
    client,
    slowCalls,
    progressTokens,
    close: async () => {
      await client.close();
      await server.close();
    },
  };
}
