/**
 * Several streams at once: `streamAll` with tagged events and `aggregateUsage` over them,
 * `combineSnapshots` for a side-by-side view, and `streamMetrics` on one stream, on a client that
 * keeps at most two requests open (`maxConcurrentRequests`). `npx tsx examples/concurrent.ts`
 * runs it offline against the mock server.
 */
import { concat, connect, defer, finalize, last, map, merge, mergeMap, type Observable } from 'rxjs';
import { aggregateUsage, combineSnapshots, createClient, streamAll, streamMetrics, type Client, type Message, type MessageCreateParams } from 'rx-anthropic';
import { createMockServer, textReply, type MockTurn, type RecordedRequest } from 'rx-anthropic/testing';
import { MODEL } from './hello';

const ask = (content: string): MessageCreateParams => ({ model: MODEL, max_tokens: 256, messages: [{ role: 'user', content }] });

/** The three questions, by key. */
export const questions = {
  haiku: ask('Write a haiku about rain.'),
  limerick: ask('Write a one-line limerick opening about a cat.'),
  fact: ask('Tell me one fact about octopuses.'),
};

/** The answers the mock server streams for the questions, 12 characters every 15 ms. */
export const answers: Record<keyof typeof questions, string> = {
  haiku: 'Rain on the tin roof, a hush between two heartbeats, the kettle answers.',
  limerick: 'A cat with a taste for the cream...',
  fact: 'An octopus has three hearts and blue blood.',
};

/** Answers each question with its text; the fact's request reads 1 200 tokens from the prompt cache. */
export function concurrentScript(request: RecordedRequest): MockTurn {
  const content = (request.body as MessageCreateParams).messages[0]?.content;
  const key = (Object.keys(questions) as (keyof typeof questions)[]).find((name) => questions[name].messages[0]?.content === content) ?? 'fact';
  return textReply(answers[key], { chunkSize: 12, chunkDelayMs: 15, ...(key === 'fact' ? { usage: { cache_read_input_tokens: 1200 } } : {}) });
}

const PRICES = { input: 3, output: 15 };

/** Part 1: the tagged events as they come, then the usage of all three streams. */
export function taggedEvents(client: Client): Observable<string> {
  return streamAll(client, questions, { concurrency: 2 }).pipe(
    connect((tagged$) =>
      merge(
        tagged$.pipe(
          map(({ key, event }) => {
            if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') return `[${key}] ${JSON.stringify(event.delta.text)}\n`;
            return event.type === 'message_start' || event.type === 'message_stop' ? `[${key}] ${event.type}\n` : '';
          }),
        ),
        tagged$.pipe(
          aggregateUsage({ prices: PRICES }),
          last(),
          map(
            ({ inputTokens, cacheReadInputTokens, outputTokens, messages, cost, byKey }) =>
              `usage: ${inputTokens} in + ${cacheReadInputTokens} cache read, ${outputTokens} out, ${messages} messages, ` +
              `$${cost?.toFixed(6)} at $${PRICES.input}/$${PRICES.output} per MTok (haiku ${byKey.haiku?.outputTokens} out)\n`,
          ),
        ),
      ),
    ),
  );
}

/** Part 3: the live figures of one stream, one update per event and a last one when done. */
export function liveFigures(client: Client): Observable<string> {
  return client.messages.stream(questions.haiku).pipe(
    streamMetrics(),
    map(
      (m) =>
        `${String(m.elapsedMs).padStart(4)} ms  ttft ${m.ttftMs ?? '-'} ms  ${m.outputTokens} tokens${m.estimated ? ' (estimated)' : ''}  ` +
        `${m.tokensPerSecond.toFixed(0)} tokens/s${m.done ? '  done' : ''}\n`,
    ),
  );
}

const describeSnapshot = (message: Message | undefined): string => {
  if (!message) return '(waiting)';
  const text = message.content.map((block) => (block.type === 'text' ? block.text : '')).join('');
  return `${text.length} chars${message.stop_reason ? ', done' : ''}`;
};

/** Part 2: the three streams side by side, at most one record per 40 ms. */
export function sideBySide(client: Client): Observable<string> {
  const streams = {
    haiku: client.messages.stream(questions.haiku),
    limerick: client.messages.stream(questions.limerick),
    fact: client.messages.stream(questions.fact),
  };
  return combineSnapshots(streams, { throttle: 40 }).pipe(
    map((record) => `haiku ${describeSnapshot(record.haiku)} | limerick ${describeSnapshot(record.limerick)} | fact ${describeSnapshot(record.fact)}\n`),
  );
}

/** The three parts, one after the other. */
export function concurrent(client: Client): Observable<string> {
  return concat(
    defer(() => ['== streamAll(client, questions, { concurrency: 2 }): tagged events, then aggregateUsage()\n']),
    taggedEvents(client),
    ['\n== combineSnapshots(streams, { throttle: 40 }) on createClient({ maxConcurrentRequests: 2 })\n'],
    sideBySide(client),
    ['\n== streamMetrics() on the haiku stream\n'],
    liveFigures(client),
  );
}

/** Starts the mock server, runs {@link concurrent} on a client limited to two open requests, and closes the server. */
export function runConcurrentExample(): Observable<string> {
  return defer(() => createMockServer(concurrentScript)).pipe(
    mergeMap((server) =>
      concurrent(createClient({ baseURL: server.baseURL, apiKey: 'offline-example', maxConcurrentRequests: 2 })).pipe(finalize(() => void server.close())),
    ),
  );
}

if (/examples[\\/]concurrent\.ts$/.test(process.argv[1] ?? '')) {
  runConcurrentExample().subscribe({
    next: (text) => process.stdout.write(text),
    error: (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  });
}
