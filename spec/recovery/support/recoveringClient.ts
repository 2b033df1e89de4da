import { createClient, type ClientOptions, type RecoveryEvent } from 'rx-anthropic';
import { createMockServer, type MockServer, type MockTurn } from 'rx-anthropic/testing';

/**
 * A mock server answering its requests with `turns` in order, and a client on it (no retries)
 * that keeps every recovery it reports; `close()` ends the server (call it after each test).
 *
 * ## Example
 * ```ts
 * const { client, reports, server } = await recoveringClient([textReply('Hi')], { hedge: { afterMs: 50 } });
 * ```
 */
export async function recoveringClient(turns: MockTurn[], options: ClientOptions = {}): Promise<{ server: MockServer; client: ReturnType<typeof createClient>; reports: RecoveryEvent[] }> {
  const server = await createMockServer(turns);
  const reports: RecoveryEvent[] = [];
  const client = createClient({ apiKey: 'sk-test', baseURL: server.baseURL, maxRetries: 0, onRecovery: (event) => reports.push(event), ...options });
  return { server, client, reports };
}
