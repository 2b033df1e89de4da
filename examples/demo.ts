/**
 * `npm start`: streams two replies through the operators to the terminal as they arrive.
 * With ANTHROPIC_API_KEY set it asks the real API; without it, the built-in mock server.
 */
import { concat, defer, finalize, from, ignoreElements, mergeMap, tap } from 'rxjs';
import { createClient } from 'rx-anthropic';
import { createMockServer, demoScript, type MockTurn } from 'rx-anthropic/testing';
import { eventSwitch } from './eventSwitch';
import { hello } from './hello';
import { structuredOutput, structuredOutputScript } from './structuredOutput';
import { weather, weatherScript } from './weather';

const write = (text: string) => process.stdout.write(text);

/** Offline, the mock answers the hello and event-switch requests itself, then plays the weather turns and the structured answer. */
const scripted: readonly MockTurn[] = [...weatherScript, ...structuredOutputScript];
const offlineScript = (request: Parameters<typeof demoScript>[0], index: number): MockTurn =>
  index < 2 ? demoScript(request, index) : (scripted[index - 2] ?? demoScript(request, index));

const demo$ = defer(() =>
  process.env['ANTHROPIC_API_KEY']
    ? Promise.resolve({ client: createClient(), close: async () => undefined, where: 'the Anthropic API' })
    : createMockServer(offlineScript).then((server) => ({
        client: createClient({ baseURL: server.baseURL, apiKey: 'offline-demo' }),
        close: () => server.close(),
        where: `the built-in mock server at ${server.baseURL} (offline: ANTHROPIC_API_KEY is not set)`,
      })),
).pipe(
  mergeMap(({ client, close, where }) =>
    concat(
      defer(() => (write(`Streaming from ${where}\n\n== hello: textDeltas()\n`), hello(client))).pipe(tap(write)),
      defer(() => (write('\n\n== event switch: messageStreamEvents()\n'), eventSwitch(client))).pipe(tap(write)),
      defer(() => (write('\n== tool loop: toolLoop() with a get_weather tool\n'), weather(client))).pipe(tap(write)),
      defer(() => (write('\n== structured output: partialOutput() and finalOutput()\n'), structuredOutput(client))).pipe(tap(write)),
    ).pipe(
      ignoreElements(),
      finalize(() => void close()),
    ),
  ),
);

demo$.subscribe({
  error: (error: unknown) => {
    console.error('\n', error);
    process.exitCode = 1;
  },
});
