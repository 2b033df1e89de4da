import { ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { Observable } from 'rxjs';
import type { MCPToolsClient } from './mcpTypes';

const METHOD = 'notifications/tools/list_changed';

type RawHandler = (notification: unknown) => unknown;

/** The one handler this module installs on a client, shared by every subscriber. */
interface Dispatcher {
  readonly listeners: Set<() => void>;
  /** The handler that was there before ours (the user's, or the client's own `listChanged` one). */
  readonly previous: RawHandler | undefined;
  /** Ours, as the client stored it, to tell whether someone replaced it since. */
  readonly installed: RawHandler | undefined;
}

const dispatchers = new WeakMap<MCPToolsClient, Dispatcher>();

/**
 * The client's table of notification handlers. `Protocol` keeps it private and offers no getter,
 * yet reading it is the only way to call a handler the user set before us and to put it back
 * afterwards instead of deleting it. When a future SDK moves it, we degrade to replacing and
 * then removing the handler, which is what `setNotificationHandler` alone allows.
 */
function handlerTable(client: MCPToolsClient): Map<string, RawHandler> | undefined {
  const table = (client as unknown as { _notificationHandlers?: unknown })._notificationHandlers;
  return table instanceof Map ? (table as Map<string, RawHandler>) : undefined;
}

function install(client: MCPToolsClient): Dispatcher {
  const table = handlerTable(client);
  const previous = table?.get(METHOD);
  const listeners = new Set<() => void>();
  client.setNotificationHandler(ToolListChangedNotificationSchema, (notification) => {
    let chained: unknown;
    try {
      chained = previous?.(notification);
    } finally {
      // A handler of the user's that throws must not keep the news from our subscribers.
      for (const listener of [...listeners]) listener();
    }
    // Returned so that a failure of the user's handler still reaches the client's onerror.
    return chained as Promise<void> | undefined;
  });
  return { listeners, previous, installed: table?.get(METHOD) };
}

function uninstall(client: MCPToolsClient, dispatcher: Dispatcher): void {
  dispatchers.delete(client);
  const table = handlerTable(client);
  if (table === undefined) {
    client.removeNotificationHandler(METHOD);
    return;
  }
  // Someone set their own handler after ours: it is theirs now, leave it.
  if (!isInstalled(client, dispatcher)) return;
  if (dispatcher.previous === undefined) client.removeNotificationHandler(METHOD);
  else table.set(METHOD, dispatcher.previous);
}

/**
 * Emits each time the MCP server sends `notifications/tools/list_changed`. Hot in effect but
 * lazy: the handler is installed on the first subscription and taken away after the last one;
 * any handler already set for the notification keeps being called, and is put back afterwards.
 *
 * ## Example
 * ```ts
 * toolListChanges(mcpClient).subscribe(() => console.log('the server changed its tools'));
 * ```
 *
 * @param mcpClient A connected MCP client.
 * @return An Observable that never completes by itself.
 * @see mcpTools
 */
export function toolListChanges(mcpClient: MCPToolsClient): Observable<void> {
  return new Observable<void>((subscriber) => {
    let dispatcher = dispatchers.get(mcpClient);
    if (dispatcher === undefined || !isInstalled(mcpClient, dispatcher)) {
      // A handler set over ours since: chain it in a new dispatcher, keeping our listeners.
      const listeners = dispatcher?.listeners ?? [];
      dispatcher = install(mcpClient);
      for (const listener of listeners) dispatcher.listeners.add(listener);
      dispatchers.set(mcpClient, dispatcher);
    }
    const listener = (): void => subscriber.next();
    dispatcher.listeners.add(listener);
    return () => {
      const current = dispatchers.get(mcpClient);
      if (current === undefined) return;
      current.listeners.delete(listener);
      if (current.listeners.size === 0) uninstall(mcpClient, current);
    };
  });
}

function isInstalled(client: MCPToolsClient, dispatcher: Dispatcher): boolean {
  const table = handlerTable(client);
  return table === undefined || table.get(METHOD) === dispatcher.installed;
}
