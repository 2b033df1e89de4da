import { createClient, type ClientOptions, type RecoveryEvent } from 'rx-anthropic';
import { createMockServer, type MockServer, type MockTurn } from 'rx-anthropic/testing';

/** A mock server, a client on it that keeps the recoveries it reports, and those reports. */
export interface RecoveringClient {
  server: MockServer;
  client: ReturnType<typeof createClient>;
  reports: RecoveryEvent[];
}

/**
 * For a spec file (call it at its top level): a function that starts a mock server answering its
 * requests with `turns` in order, and a client on it (no retries) that keeps every recovery it
 * reports. The servers it started are closed after each test.
 *
 * ## Example
 * ```ts
 * const setup = recoveringClients();
 * const { client, reports, server } = await setup([textReply('Hi')], { hedge: { afterMs: 50 } });
 * ```
 */
export function recoveringClients(): (turns: MockTurn[], options?: ClientOptions) => Promise<RecoveringClient> {
  const servers: MockServer[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => server.close()));
  });
  return async (turns, options = {}) => {
    const server = await createMockServer(turns);
    servers.push(server);
    const reports: RecoveryEvent[] = [];
    const client = createClient({ apiKey: 'sk-test', baseURL: server.baseURL, maxRetries: 0, onRecovery: (event) => reports.push(event), ...options });
    return { server, client, reports };
  };
}
