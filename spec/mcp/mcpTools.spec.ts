import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { CallToolRequestSchema, ListToolsRequestSchema, ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { firstValueFrom, lastValueFrom, type Observable, type Subscription } from 'rxjs';
import { mcpTools } from 'rx-anthropic/mcp';
import type { Message } from '../../lib/schema';
import type { RunnableTool } from '../../lib/tools/RunnableTool';
import { startInProcessServer, type InProcessServer } from './support/inProcessServer';

jest.setTimeout(10_000);

type Tools = RunnableTool<Record<string, unknown>>[];

let mcp: InProcessServer;
const subscriptions: Subscription[] = [];
beforeEach(async () => {
  mcp = await startInProcessServer();
});
afterEach(async () => {
  for (const subscription of subscriptions.splice(0)) subscription.unsubscribe();
  await mcp.close();
});

/** Subscribes and records every list; the subscription is ended after the test. */
function record(tools$: Observable<Tools>): { lists: string[][]; tools: Tools[]; subscription: Subscription } {
  const lists: string[][] = [];
  const tools: Tools[] = [];
  const subscription = tools$.subscribe((list) => {
    tools.push(list);
    lists.push(list.map((tool) => tool.name));
  });
  subscriptions.push(subscription);
  return { lists, tools, subscription };
}

async function waitFor(condition: () => boolean, what: string, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const pause = (ms = 30) => new Promise((resolve) => setTimeout(resolve, ms));

/** The handler table the SDK keeps privately, to check what was left behind. */
const handlerOf = (client: Client) =>
  (client as unknown as { _notificationHandlers: Map<string, unknown> })._notificationHandlers.get('notifications/tools/list_changed');

describe('mcpTools', () => {
  it('emits every tool of the server as runnable tools', async () => {
    const tools = await firstValueFrom(mcpTools(mcp.client, { cache_control: { type: 'ephemeral' } }));
    expect(tools.map((tool) => tool.name)).toEqual(expect.arrayContaining(['text', 'image_png', 'slow', 'progress', 'structured']));
    expect(tools.every((tool) => tool.cache_control?.type === 'ephemeral')).toBe(true);
    const text = tools.find((tool) => tool.name === 'text');
    const result = await lastValueFrom(text!.run({}, { signal: new AbortController().signal, toolUseId: 'toolu_1', message: {} as Message }) as Observable<unknown>);
    expect(result).toEqual({ content: [{ type: 'text', text: 'plain text' }] });
  });

  it('is cold: nothing is listed before subscribe', async () => {
    const listTools = jest.spyOn(mcp.client, 'listTools');
    const tools$ = mcpTools(mcp.client);
    await pause();
    expect(listTools).not.toHaveBeenCalled();
    await firstValueFrom(tools$);
    expect(listTools).toHaveBeenCalledTimes(1);
  });

  it('re-emits when the server announces tools/list_changed: tools come and go', async () => {
    const { lists } = record(mcpTools(mcp.client));
    await waitFor(() => lists.length === 1, 'the first list');
    expect(lists[0]).not.toContain('weather');

    const weather = mcp.server.registerTool('weather', { description: 'The weather' }, () => ({ content: [{ type: 'text', text: 'sunny' }] }));
    await waitFor(() => lists.length === 2, 'the list after registerTool');
    expect(lists[1]).toEqual([...lists[0]!, 'weather']);

    weather.remove();
    await waitFor(() => lists.length === 3, 'the list after remove');
    expect(lists[2]).toEqual(lists[0]);
  });

  it('the tools of a new list run', async () => {
    const { tools } = record(mcpTools(mcp.client));
    await waitFor(() => tools.length === 1, 'the first list');
    mcp.server.registerTool('weather', { description: 'The weather' }, () => ({ content: [{ type: 'text', text: 'sunny' }] }));
    await waitFor(() => tools.length === 2, 'the second list');
    const weather = tools[1]!.find((tool) => tool.name === 'weather')!;
    expect(weather.description).toBe('The weather');
    const context = { signal: new AbortController().signal, toolUseId: 'toolu_1', message: {} as Message };
    expect(await lastValueFrom(weather.run({}, context) as Observable<unknown>)).toEqual({ content: [{ type: 'text', text: 'sunny' }] });
  });

  it('unsubscribing removes its notification handler', async () => {
    const listTools = jest.spyOn(mcp.client, 'listTools');
    const { lists, subscription } = record(mcpTools(mcp.client));
    await waitFor(() => lists.length === 1, 'the first list');
    expect(handlerOf(mcp.client)).toBeDefined();
    subscription.unsubscribe();
    expect(handlerOf(mcp.client)).toBeUndefined();
    mcp.server.registerTool('weather', {}, () => ({ content: [] }));
    await pause(50);
    expect(listTools).toHaveBeenCalledTimes(1);
    expect(lists).toHaveLength(1);
  });

  it('keeps calling a handler the user set before, and puts it back afterwards', async () => {
    const seen: string[] = [];
    mcp.client.setNotificationHandler(ToolListChangedNotificationSchema, (notification) => {
      seen.push(notification.method);
    });
    const users = handlerOf(mcp.client);

    const { lists, subscription } = record(mcpTools(mcp.client));
    await waitFor(() => lists.length === 1, 'the first list');
    mcp.server.registerTool('weather', {}, () => ({ content: [] }));
    await waitFor(() => lists.length === 2 && seen.length === 1, 'both handlers');

    subscription.unsubscribe();
    expect(handlerOf(mcp.client)).toBe(users);
    mcp.server.registerTool('news', {}, () => ({ content: [] }));
    await waitFor(() => seen.length === 2, "the user's handler alone");
    expect(lists).toHaveLength(2);
  });

  it('still re-emits when the user’s handler throws (the client’s onerror gets the failure)', async () => {
    const errors: string[] = [];
    mcp.client.onerror = (error) => errors.push(error.message);
    mcp.client.setNotificationHandler(ToolListChangedNotificationSchema, () => {
      throw new Error('user handler failed');
    });
    const { lists } = record(mcpTools(mcp.client));
    await waitFor(() => lists.length === 1, 'the first list');
    mcp.server.registerTool('weather', {}, () => ({ content: [] }));
    await waitFor(() => lists.length === 2 && errors.length === 1, 'the list and the error');
    expect(errors[0]).toContain('user handler failed');
  });

  it('leaves a handler the user set while subscribed, and chains it for later subscribers', async () => {
    const first = record(mcpTools(mcp.client));
    await waitFor(() => first.lists.length === 1, 'the first list');
    const seen: number[] = [];
    mcp.client.setNotificationHandler(ToolListChangedNotificationSchema, () => {
      seen.push(1);
    });
    const users = handlerOf(mcp.client);

    // A later subscriber wraps the user's handler; the first one is revived with it.
    const second = record(mcpTools(mcp.client));
    await waitFor(() => second.lists.length === 1, 'the second subscriber’s list');
    mcp.server.registerTool('weather', {}, () => ({ content: [] }));
    await waitFor(() => first.lists.length === 2 && second.lists.length === 2 && seen.length === 1, 'every handler');

    first.subscription.unsubscribe();
    second.subscription.unsubscribe();
    expect(handlerOf(mcp.client)).toBe(users);
  });

  it('shares one handler between subscribers; the last one out removes it', async () => {
    const a = record(mcpTools(mcp.client));
    const b = record(mcpTools(mcp.client));
    await waitFor(() => a.lists.length === 1 && b.lists.length === 1, 'both first lists');
    a.subscription.unsubscribe();
    mcp.server.registerTool('weather', {}, () => ({ content: [] }));
    await waitFor(() => b.lists.length === 2, 'the remaining subscriber’s list');
    expect(a.lists).toHaveLength(1);
    expect(handlerOf(mcp.client)).toBeDefined();
    b.subscription.unsubscribe();
    expect(handlerOf(mcp.client)).toBeUndefined();
  });
});

describe('mcpTools with a paginating server', () => {
  const names = ['a', 'b', 'c', 'd', 'e'];
  let server: Server;
  let client: Client;
  let available = names;
  const cursors: (string | undefined)[] = [];

  beforeEach(async () => {
    available = names;
    cursors.length = 0;
    server = new Server({ name: 'pages', version: '1.0.0' }, { capabilities: { tools: { listChanged: true } } });
    server.setRequestHandler(ListToolsRequestSchema, (request) => {
      const cursor = request.params?.cursor;
      cursors.push(cursor);
      const start = cursor === undefined ? 0 : Number(cursor);
      const page = available.slice(start, start + 2);
      const next = start + 2 < available.length ? String(start + 2) : undefined;
      return { tools: page.map((name) => ({ name, inputSchema: { type: 'object' as const } })), ...(next === undefined ? {} : { nextCursor: next }) };
    });
    server.setRequestHandler(CallToolRequestSchema, (request) => ({ content: [{ type: 'text', text: `ran ${request.params.name}` }] }));
    client = new Client({ name: 'spec', version: '1.0.0' });
    const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
    await Promise.all([server.connect(serverTransport), client.connect(clientTransport)]);
  });
  afterEach(async () => {
    for (const subscription of subscriptions.splice(0)) subscription.unsubscribe();
    await client.close();
    await server.close();
  });

  it('follows nextCursor through every page', async () => {
    const tools = await firstValueFrom(mcpTools(client));
    expect(tools.map((tool) => tool.name)).toEqual(names);
    expect(cursors).toEqual([undefined, '2', '4']);
  });

  it('lists every page again after tools/list_changed', async () => {
    const { lists } = record(mcpTools(client));
    await waitFor(() => lists.length === 1, 'the first list');
    available = ['x', 'y', 'z'];
    await server.sendToolListChanged();
    await waitFor(() => lists.length === 2, 'the second list');
    expect(lists).toEqual([names, ['x', 'y', 'z']]);
  });

  it('a change during a listing cancels it and lists again', async () => {
    let release = (): void => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let calls = 0;
    server.setRequestHandler(ListToolsRequestSchema, async (request) => {
      calls += 1;
      if (calls === 2) await gate; // the second page of the first listing hangs
      return { tools: [{ name: `call${calls}`, inputSchema: { type: 'object' as const } }], ...(request.params?.cursor === undefined ? { nextCursor: 'p2' } : {}) };
    });
    const { lists } = record(mcpTools(client));
    await waitFor(() => calls === 2, 'the first listing to reach its second page');
    await server.sendToolListChanged();
    await waitFor(() => lists.length === 1, 'the new listing');
    release();
    await pause(30);
    expect(lists).toEqual([['call3', 'call4']]);
  });

  it('fails when the server repeats a cursor, rather than paging forever', async () => {
    server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: [{ name: 'loop', inputSchema: { type: 'object' as const } }], nextCursor: 'again' }));
    await expect(firstValueFrom(mcpTools(client))).rejects.toThrow('repeated the tools/list cursor "again"');
  });
});
