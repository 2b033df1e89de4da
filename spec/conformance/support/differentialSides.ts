import Anthropic from '@anthropic-ai/sdk';
import { createClient, type Client } from 'rx-anthropic';
import { createMockServer, type MockServerOptions, type MockServer, type RecordedRequest } from 'rx-anthropic/testing';

/** The two clients of a differential spec, on one mock server. */
export interface Sides {
  sdk: Anthropic;
  ours: Client;
  server: MockServer;
}

/**
 * A mock server with `options` and no script, the official SDK's client and ours on it (the same
 * key, no retries). The caller closes the server.
 *
 * ## Example
 * ```ts
 * const { sdk, ours, server } = await differentialSides({ batches: { endAfterRetrievals: 1 } });
 * ```
 */
export async function differentialSides(options: MockServerOptions = {}): Promise<Sides> {
  const server = await createMockServer([], options);
  const apiKey = 'my-anthropic-api-key';
  return {
    server,
    sdk: new Anthropic({ apiKey, baseURL: server.baseURL, maxRetries: 0, logLevel: 'off' }),
    ours: createClient({ apiKey, baseURL: server.baseURL, maxRetries: 0 }),
  };
}

/**
 * The headers of a recorded request that a differential spec compares, by name (a missing one as `undefined`).
 *
 * ## Example
 * ```ts
 * expect(comparedHeaders(ourRequest, ['accept'])).toEqual(comparedHeaders(sdkRequest, ['accept']));
 * ```
 */
export function comparedHeaders(request: RecordedRequest, names: readonly string[]): Record<string, string | undefined> {
  const headers: Record<string, string | undefined> = {};
  for (const name of names) headers[name] = request.headers[name];
  return headers;
}
