import { lastValueFrom, toArray } from 'rxjs';
import { createClient, textDeltas } from 'rx-anthropic';
import { openTelemetry } from 'rx-anthropic/otel';
import { textReply } from 'rx-anthropic/testing';
import { params, useProxy } from '../proxy/support/proxyHarness';
import { installTracing, uninstallTracing } from './support/tracing';

const ORIGIN = 'https://app.example';

beforeEach(() => installTracing());
afterEach(() => uninstallTracing());

/** A client with tracing aimed at rx-anthropic/proxy, as a page (or a server-side renderer) would have it. */
describe('trace context through rx-anthropic/proxy', () => {
  const { start } = useProxy('node:http');

  it("lets a page send traceparent (the preflight allows it) and keeps the page's trace context off the API", async () => {
    const { proxy, mock } = await start([textReply('relayed')], { allowedOrigins: [ORIGIN] });
    const preflight = await fetch(`${proxy.url}/api/v1/messages`, {
      method: 'OPTIONS',
      headers: { origin: ORIGIN, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type, traceparent, tracestate' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-headers')).toContain('traceparent');

    const sent: Array<string | null> = [];
    const spyingFetch: typeof fetch = (input, init) => {
      sent.push(new Headers(init?.headers).get('traceparent'));
      return fetch(input, init);
    };
    const client = createClient({ baseURL: `${proxy.url}/api`, apiKey: null, authToken: null, maxRetries: 0, fetch: spyingFetch, telemetry: openTelemetry() });
    const text = (await lastValueFrom(client.messages.stream({ ...params, model: 'claude-sonnet-4-6' }).pipe(textDeltas(), toArray()))).join('');
    expect(text).toBe('relayed');
    expect(sent).toEqual([expect.stringMatching(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/)]);
    expect(mock.requests).toHaveLength(1);
    expect(mock.requests[0]!.headers['traceparent']).toBeUndefined();
  });
});
