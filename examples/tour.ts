/**
 * A tour of the operators against the built-in mock server: each section streams one scripted
 * reply through one operator and prints what comes out. The README shows this output, and a
 * spec checks that it is still what the code prints. Run it with `npx tsx examples/tour.ts`.
 */
import * as t from 'io-ts';
import { concat, connect, defer, filter, finalize, map, merge, mergeMap, toArray, type Observable } from 'rxjs';
import {
  accumulateMessage,
  contentBlocks,
  createClient,
  finalMessage,
  finalOutput,
  finalText,
  messageStreamEvents,
  outputFormat,
  partialOutput,
  textDeltas,
  textSnapshots,
  type Client,
  type MessageCreateParams,
} from 'rx-anthropic';
import { createMockServer, textReply, toolUseReply } from 'rx-anthropic/testing';

const params: MessageCreateParams = { model: 'claude-sonnet-4-6', max_tokens: 1024, messages: [{ role: 'user', content: 'Weather in Paris?' }] };

/** A structured output: the codec is the answer's type, its JSON Schema and its check. */
const Forecast = t.type({ city: t.string, celsius: t.number, sky: t.keyof({ sunny: null, cloudy: null, rainy: null }) });
const forecast = outputFormat(Forecast);

const section = (title: string, lines$: Observable<string>): Observable<string> =>
  concat(defer(async () => `\n// ${title}\n`), lines$.pipe(map((line) => `${line}\n`)));

/** The tour's sections, each a request to a fresh mock turn. */
export function tour(client: Client): Observable<string> {
  const stream = () => client.messages.stream(params);
  return concat(
    section(
      'client.messages.stream(): the raw events, as the API sends them',
      stream().pipe(
        map((event) => {
          switch (event.type) {
            case 'message_start':
              return `message_start        ${JSON.stringify({ id: event.message.id, usage: event.message.usage })}`;
            case 'content_block_start':
              return `content_block_start  ${JSON.stringify(event.content_block)}`;
            case 'content_block_delta':
              return `content_block_delta  ${JSON.stringify(event.delta)}`;
            case 'message_delta':
              return `message_delta        ${JSON.stringify({ delta: event.delta, usage: event.usage })}`;
            default:
              return event.type;
          }
        }),
      ),
    ),
    section(
      'textDeltas(): the text as it streams',
      stream().pipe(textDeltas(), map((text) => JSON.stringify(text))),
    ),
    section(
      "textSnapshots(): the message's text so far, what a UI shows",
      stream().pipe(textSnapshots(), map((text) => JSON.stringify(text))),
    ),
    section(
      'messageStreamEvents(): raw events, then the derived ones',
      stream().pipe(
        messageStreamEvents(),
        map((event) => {
          switch (event.type) {
            case 'text':
              return `text          ${JSON.stringify(event.text)} → snapshot ${JSON.stringify(event.snapshot)}`;
            case 'input_json':
              return `input_json    ${JSON.stringify(event.partial_json)} → snapshot ${JSON.stringify(event.snapshot)}`;
            case 'content_block_stop':
              return `content_block_stop ${JSON.stringify(event.content_block)}`;
            case 'message_stop':
              return `message_stop  stop_reason: ${event.message.stop_reason}`;
            default:
              return event.type;
          }
        }),
      ),
    ),
    section(
      'accumulateMessage(): one immutable snapshot per event',
      stream().pipe(
        accumulateMessage(),
        map((message) => JSON.stringify(message.content)),
      ),
    ),
    section(
      'contentBlocks(): each block once, finished',
      stream().pipe(contentBlocks(), map((block) => JSON.stringify(block))),
    ),
    section(
      'finalMessage(): the whole message at the end',
      stream().pipe(finalMessage(), map((message) => JSON.stringify(message))),
    ),
    section('finalText(): its text', stream().pipe(finalText(), map((text) => JSON.stringify(text)))),
    section(
      'partialOutput(): a structured output (outputFormat(codec)) as it grows; finalOutput(): the value the codec checked',
      client.messages.stream({ ...params, output_config: { format: forecast } }).pipe(
        connect((events) =>
          merge(
            events.pipe(partialOutput(forecast), map((partial) => `partial  ${JSON.stringify(partial)}`)),
            events.pipe(finalOutput(forecast), map((value) => `final    ${JSON.stringify(value)}`)),
          ),
        ),
      ),
    ),
  );
}

/** The scripted turns the tour streams, in order. */
export const tourScript = [
  textReply('Hello there!', { chunkSize: 6, id: 'msg_raw' }),
  textReply('Hello there!', { chunkSize: 4 }),
  textReply('Hello there!', { chunkSize: 4 }),
  toolUseReply([{ id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } }], { text: 'Checking.', jsonChunkSize: 6 }),
  textReply('Hi!', { chunkSize: 2 }),
  toolUseReply([{ id: 'toolu_2', name: 'get_weather', input: { city: 'Oslo' } }], { text: 'One moment.' }),
  textReply('It is sunny in Paris.', { chunkSize: 8, id: 'msg_01' }),
  textReply('It is sunny in Paris.', { chunkSize: 8 }),
  textReply('{"city":"Paris","celsius":18,"sky":"sunny"}', { chunkSize: 8 }),
];

/** Starts a mock server with the tour's script, runs the tour, and closes the server. */
export function runTour(): Observable<string> {
  return defer(() => createMockServer(tourScript)).pipe(
    mergeMap((server) => tour(createClient({ baseURL: server.baseURL, apiKey: 'tour' })).pipe(finalize(() => void server.close()))),
  );
}

if (process.argv[1]?.endsWith('tour.ts')) {
  runTour()
    .pipe(toArray(), filter(Boolean))
    .subscribe((lines) => process.stdout.write(lines.join('')));
}
