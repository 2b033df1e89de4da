import Anthropic from '@anthropic-ai/sdk';
import { partialParse } from '@anthropic-ai/sdk/_vendor/partial-json-parser/parser';
import { jsonSchemaOutputFormat } from '@anthropic-ai/sdk/helpers/json-schema';
import { createParser } from 'eventsource-parser';
import * as t from 'io-ts';
import { lastValueFrom } from 'rxjs';
import { createClient, finalOutput, outputFormat, partialOutput, type MessageCreateParams } from 'rx-anthropic';
import type { StreamResult } from '../workloads/StreamResult';
import { BENCH_API_KEY, BENCH_REQUEST, floorRequest } from './benchRequest';
import { feedSSEBody } from './feedSSEBody';
import type { StreamConsumer } from './Implementation';
import { snapshotSink } from './resultFromMessage';

/**
 * Consumers of the structured-output workloads (`structured-100k`, `structured-400k`): the floor
 * for them, rx-anthropic's `partialOutput()` (a partial object read on every delta) and
 * `finalOutput()`, and the official SDK's `messages.stream()` with a format (parsed once at the
 * end, the anchor) and with its partial-JSON parser run on the text snapshot of every delta
 * (what an SDK user writes for partial objects).
 */

/** One row of the report; the rows are nested in arrays of arrays, so `Rows` is recursive. */
const Row = t.type({
  id: t.number,
  name: t.string,
  email: t.string,
  score: t.number,
  active: t.boolean,
  tags: t.array(t.string),
  parent: t.union([t.number, t.null]),
  note: t.string,
});
type Rows = Array<t.TypeOf<typeof Row> | Rows>;
const Rows: t.Type<Rows> = t.recursion('Rows', () => t.array(t.union([Row, Rows])));
const Report = t.type({ path: t.string, mode: t.string, records: Rows, content: t.string });

/** The codec's format; `transform: false` because structured outputs refuse recursive schemas (the bench server does not look). */
const reportFormat = outputFormat(Report, { transform: false });
const params = { ...(BENCH_REQUEST as unknown as MessageCreateParams), output_config: { format: reportFormat } };

/**
 * The result of an implementation that parsed the output. Its `text` is `JSON.stringify` of the
 * value, equal to the streamed text; computed when read, by the digest after the clock has
 * stopped, so that no implementation pays for a serialisation the floor does not make.
 */
function resultOfOutput(value: unknown): StreamResult {
  return {
    get text() {
      return JSON.stringify(value);
    },
    thinking: '',
    toolInputs: [],
  };
}

/**
 * The floor of this workload: `fetch`, `eventsource-parser`, `JSON.parse` of each event, the text
 * concatenated, and `JSON.parse` of it once at the end. No Observables, no partial objects.
 */
export function createStructuredFloorConsumer(workloadURL: string): StreamConsumer {
  const request = floorRequest(workloadURL);
  return async () => {
    const body = await request();
    let text = '';
    const parser = createParser({
      onEvent: (event) => {
        const data = JSON.parse(event.data) as { type: string; delta?: { type: string; text?: string } };
        if (data.type === 'content_block_delta' && data.delta?.type === 'text_delta') text += data.delta.text;
      },
    });
    await feedSSEBody(body, parser);
    snapshotSink.keep([JSON.parse(text)]);
    return { text, thinking: '', toolInputs: [] };
  };
}

/** rx-anthropic `stream(params with outputFormat(codec))` + `partialOutput()`: the partial object of every delta, read; the codec checks the end. */
export function createPartialOutputConsumer(workloadURL: string): StreamConsumer {
  const messages = createClient({ apiKey: BENCH_API_KEY, baseURL: workloadURL, maxRetries: 0 }).messages;
  return () =>
    new Promise((resolve, reject) => {
      let last: unknown;
      messages
        .stream(params)
        .pipe(partialOutput(reportFormat))
        .subscribe({
          next: (partial) => {
            snapshotSink.read(partial);
            last = partial;
          },
          error: reject,
          complete: () => resolve(resultOfOutput(last)),
        });
    });
}

/** rx-anthropic `stream(params with outputFormat(codec))` + `finalOutput()`: only the decoded value. */
export function createFinalOutputConsumer(workloadURL: string): StreamConsumer {
  const messages = createClient({ apiKey: BENCH_API_KEY, baseURL: workloadURL, maxRetries: 0 }).messages;
  return async () => resultOfOutput(await lastValueFrom(messages.stream(params).pipe(finalOutput(reportFormat))));
}

/** The official SDK's JSON Schema format of the same report (the SDK's own transform left out, as ours is). */
const sdkFormat = jsonSchemaOutputFormat(reportFormat.schema as never, { transform: false });

/** Official `messages.stream()` with a format: every event consumed, `parsed_output` of the final message (parsed once). */
export function createSdkFormatStreamConsumer(workloadURL: string): StreamConsumer {
  const anthropic = new Anthropic({ apiKey: BENCH_API_KEY, baseURL: workloadURL, maxRetries: 0 });
  return async () => {
    const stream = anthropic.messages.stream({ ...BENCH_REQUEST, output_config: { format: sdkFormat } });
    for await (const event of stream) void event;
    return resultOfOutput(((await stream.finalMessage()) as unknown as { parsed_output: unknown }).parsed_output);
  };
}

/**
 * Official `messages.stream()` with a format, and a partial object on every delta the way an SDK
 * user gets one: the SDK's partial-JSON parser on the `text` event's snapshot (it re-parses the
 * whole text each time, so this is quadratic; the runner's budget stops it).
 */
export function createSdkPartialConsumer(workloadURL: string): StreamConsumer {
  const anthropic = new Anthropic({ apiKey: BENCH_API_KEY, baseURL: workloadURL, maxRetries: 0 });
  return async () => {
    const stream = anthropic.messages.stream({ ...BENCH_REQUEST, output_config: { format: sdkFormat } });
    stream.on('text', (_delta, snapshot) => snapshotSink.read(partialParse(snapshot)));
    for await (const event of stream) void event;
    return resultOfOutput(((await stream.finalMessage()) as unknown as { parsed_output: unknown }).parsed_output);
  };
}
