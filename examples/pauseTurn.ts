/**
 * A server tool's long turn paused by the API (`stop_reason: "pause_turn"`): the loop sends the
 * paused turn back and the model finishes it. The two streams in `pause-turn/` are in the API's
 * own format (a web search, then the answer). `npx tsx examples/pauseTurn.ts` runs it offline.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { connect, defer, filter, finalize, map, merge, mergeMap, type Observable } from 'rxjs';
import { createClient, textDeltas, turnMessages, type Client, type ToolLoopEndEvent } from 'rx-anthropic';
import { createMockServer, sseReply } from 'rx-anthropic/testing';
import { MODEL } from './hello';

/** This folder: `__dirname` under Jest (CommonJS), the script's own folder when tsx runs it (ESM). */
const here = typeof __dirname === 'string' ? __dirname : dirname(resolve(process.argv[1] ?? 'examples/pauseTurn.ts'));
const stream = (name: string) => readFileSync(join(here, 'pause-turn', name), 'utf8');

/** The paused turn (a web search) and the turn that finishes it, as the API streams them. */
export const pauseTurnScript = [sseReply(stream('paused.sse')), sseReply(stream('resumed.sse'))];

/** Asks a question the model answers with a web search; prints the text, each turn's end, and the loop's. */
export function pauseTurn(client: Client): Observable<string> {
  return client.messages
    .toolLoop(
      { model: MODEL, max_tokens: 1024, messages: [{ role: 'user', content: 'What is the weather in Lisbon today?' }] },
      { tools: [{ type: 'web_search_20250305', name: 'web_search', max_uses: 3 }] },
    )
    .pipe(
      connect((events) =>
        merge(
          events.pipe(textDeltas()),
          events.pipe(
            turnMessages(),
            map((message) => `\n[${message.stop_reason}: ${message.content.map((block) => block.type).join(', ')}]\n`),
          ),
          events.pipe(
            filter((event): event is ToolLoopEndEvent => event.type === 'tool_loop_end'),
            map((end) => `[tool_loop_end: ${end.stop_reason} after ${end.iterations} requests]\n`),
          ),
        ),
      ),
    );
}

/** Starts the mock server, runs {@link pauseTurn}, and closes the server. */
export function runPauseTurnExample(): Observable<string> {
  return defer(() => createMockServer(pauseTurnScript)).pipe(
    mergeMap((server) => pauseTurn(createClient({ baseURL: server.baseURL, apiKey: 'offline-example' })).pipe(finalize(() => void server.close()))),
  );
}

if (/examples[\\/]pauseTurn\.ts$/.test(process.argv[1] ?? '')) {
  runPauseTurnExample().subscribe({
    next: (text) => process.stdout.write(text),
    error: (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  });
}
