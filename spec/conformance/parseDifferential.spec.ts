import Anthropic from '@anthropic-ai/sdk';
import { zodOutputFormat } from '@anthropic-ai/sdk/helpers/zod';
import fc from 'fast-check';
import * as t from 'io-ts';
import { lastValueFrom } from 'rxjs';
import { z } from 'zod/v4';

import {
  createClient,
  finalMessage,
  finalOutput,
  OutputParseError,
  OutputValidationError,
  outputFormat,
  type ParsedMessage,
  type StructuredOutputFormat,
} from 'rx-anthropic';

import { encodeSSEFrame } from '../../lib/testing/encodeSSEFrame';
import { messageToEvents } from '../../lib/testing/messageToEvents';
import type { MockContentBlock, MockMessage } from '../../lib/testing/types';
import { loadFixtures } from '../support/fixtures';

/**
 * Differential tests of structured output with the official TS SDK (`@anthropic-ai/sdk`) as the
 * oracle: the same responses (generated from random values, and the recorded fixture) go to its
 * `messages.parse()` and `messages.stream().finalMessage()` with `zodOutputFormat` of a zod schema,
 * and to ours with `outputFormat` of the io-ts codec that accepts the same values, through a fake
 * `fetch`. For a valid output both give the same `parsed_output` (and `finalOutput()` the same
 * value); for text that is not JSON, or JSON the schema refuses, both fail (the SDK with an
 * `AnthropicError` "Failed to parse structured output…", ours with `OutputParseError` or
 * `OutputValidationError`).
 *
 * Deliberate differences, each checked below:
 *
 * 1. A refusal, a `max_tokens` cut, a `tool_use` or `pause_turn` turn: the SDK parses the text
 *    anyway and fails on it (or parses JSON that is not the output); ours gives `parsed_output:
 *    null` and leaves `stop_reason` to say why (`finalOutput()` fails with `OutputRefusalError` or
 *    `OutputTruncatedError`).
 * 2. Several text blocks: the SDK parses each block alone and takes the first; ours parses their
 *    text joined, as `finalText()` joins it and as `partialOutput()` streams it.
 * 3. A plain `{ type: 'json_schema', schema }` format on a stream: the SDK's final message has
 *    `parsed_output: null`; ours has no `parsed_output` (the request pays nothing), and
 *    `finalOutput(format)` parses it.
 */

const Order = t.type({ order_ids: t.array(t.Int), customer: t.string, urgent: t.boolean, note: t.union([t.string, t.null]) });
const OrderZ = z.object({ order_ids: z.array(z.int()), customer: z.string(), urgent: z.boolean(), note: z.string().nullable() });
const orders = fc.record({ order_ids: fc.array(fc.integer({ min: -1e9, max: 1e9 }), { maxLength: 6 }), customer: fc.string(), urgent: fc.boolean(), note: fc.option(fc.string(), { nil: null }) });

const Review = t.intersection([t.type({ title: t.string, stars: t.number, units: t.keyof({ metric: null, imperial: null }) }), t.partial({ tags: t.array(t.string) })]);
const ReviewZ = z.object({ title: z.string(), stars: z.number(), units: z.enum(['metric', 'imperial']), tags: z.array(z.string()).optional() });
const reviews = fc.record(
  { title: fc.string({ unit: 'binary' }), stars: fc.double({ noNaN: true, noDefaultInfinity: true }), units: fc.constantFrom('metric', 'imperial'), tags: fc.array(fc.string()) },
  { requiredKeys: ['title', 'stars', 'units'] },
);

const Lines = t.type({ lines: t.array(t.type({ sku: t.string, qty: t.number, gift: t.union([t.boolean, t.undefined]) })) });
const LinesZ = z.object({ lines: z.array(z.object({ sku: z.string(), qty: z.number(), gift: z.boolean().optional() })) });
const lines = fc.record({ lines: fc.array(fc.record({ sku: fc.string(), qty: fc.integer(), gift: fc.boolean() }, { requiredKeys: ['sku', 'qty'] }), { maxLength: 5 }) });

interface Case {
  readonly name: string;
  readonly ours: StructuredOutputFormat<unknown>;
  readonly sdk: ReturnType<typeof zodOutputFormat>;
  readonly values: fc.Arbitrary<Record<string, unknown>>;
}

const CASES: readonly Case[] = [
  { name: 'orders', ours: outputFormat(Order), sdk: zodOutputFormat(OrderZ), values: orders },
  { name: 'reviews', ours: outputFormat(Review), sdk: zodOutputFormat(ReviewZ), values: reviews },
  { name: 'order lines', ours: outputFormat(Lines), sdk: zodOutputFormat(LinesZ), values: lines },
];

const RUNS = { seed: 20251113, numRuns: 40 } as const;
// A current model: the official SDK writes a deprecation warning (console.warn) for every request that names a deprecated one.
const BASE = { model: 'claude-sonnet-4-6', max_tokens: 1024, messages: [{ role: 'user' as const, content: 'Extract' }] };

function messageOf(content: readonly MockContentBlock[], stopReason = 'end_turn'): MockMessage {
  return {
    id: 'msg_diff',
    type: 'message',
    role: 'assistant',
    model: 'claude-sonnet-4-6',
    content,
    stop_reason: stopReason,
    stop_sequence: null,
    usage: { input_tokens: 10, output_tokens: 20, cache_creation_input_tokens: null, cache_read_input_tokens: null },
  };
}

/** A `fetch` that answers every call with `message`: as JSON, or as SSE when the request streams. */
function fetchAnswering(message: MockMessage, chunkSize: number): typeof fetch {
  return (async (_input: unknown, init?: RequestInit) => {
    const streaming = (JSON.parse(String(init?.body)) as { stream?: boolean }).stream === true;
    if (!streaming) return new Response(JSON.stringify(message), { headers: { 'content-type': 'application/json' } });
    const sse = messageToEvents(message, chunkSize).map(encodeSSEFrame).join('');
    return new Response(sse, { headers: { 'content-type': 'text/event-stream' } });
  }) as typeof fetch;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

async function settle(run: () => Promise<unknown>): Promise<Outcome> {
  try {
    return { ok: true, value: await run() };
  } catch (error) {
    return { ok: false, error };
  }
}

/** What the official SDK makes of the message: `parse()` and a stream's final message, each its parsed_output or its error. */
async function sdkOutcomes(message: MockMessage, format: Case['sdk'] | { type: 'json_schema'; schema: Record<string, unknown> }, chunkSize: number) {
  const sdk = new Anthropic({ apiKey: 'k', fetch: fetchAnswering(message, chunkSize), maxRetries: 0, logLevel: 'off' });
  const params = { ...BASE, output_config: { format } };
  const parsed = await settle(async () => (await sdk.messages.parse(params as never)).parsed_output);
  const streamed = await settle(async () => {
    const stream = sdk.messages.stream(params as never);
    stream.on('error', () => undefined);
    return ((await stream.finalMessage()) as { parsed_output?: unknown }).parsed_output;
  });
  return { parsed, streamed };
}

/** What ours makes of it: `parse()`, `stream()`'s final message and `finalOutput()`. */
async function ourOutcomes(message: MockMessage, format: StructuredOutputFormat<unknown> | { type: 'json_schema'; schema: Record<string, unknown> }, chunkSize: number) {
  const client = createClient({ apiKey: 'k', baseURL: 'http://127.0.0.1:9', fetch: fetchAnswering(message, chunkSize), maxRetries: 0 });
  const params = { ...BASE, output_config: { format } };
  const parsed = await settle(async () => (await lastValueFrom(client.messages.parse(params))).parsed_output);
  const streamed = await settle(async () => ((await lastValueFrom(client.messages.stream(params).pipe(finalMessage()))) as Partial<ParsedMessage<unknown>>).parsed_output);
  const final = await settle(() => lastValueFrom(client.messages.stream(params).pipe(finalOutput(format))));
  return { parsed, streamed, final };
}

const sdkParseFailure = (outcome: Outcome): boolean => !outcome.ok && outcome.error instanceof Anthropic.AnthropicError && /Failed to parse structured output/.test((outcome.error as Error).message);

describe('structured output: differential with the official SDK', () => {
  describe.each(CASES.map((c) => [c.name, c] as const))('%s', (_, testCase) => {
    it('a valid output: the same parsed_output from parse() and a stream\'s final message, and finalOutput() gives it', async () => {
      await fc.assert(
        fc.asyncProperty(testCase.values, fc.integer({ min: 1, max: 12 }), async (value, chunkSize) => {
          const message = messageOf([{ type: 'text', text: JSON.stringify(value) }]);
          const sdk = await sdkOutcomes(message, testCase.sdk, chunkSize);
          const ours = await ourOutcomes(message, testCase.ours, chunkSize);
          expect(sdk.parsed.ok && sdk.streamed.ok).toBe(true);
          expect(ours.parsed).toEqual(sdk.parsed);
          expect(ours.streamed).toEqual(sdk.streamed);
          expect(ours.final).toEqual(sdk.parsed);
        }),
        RUNS,
      );
    });

    it('JSON the schema refuses: both fail, ours with OutputValidationError naming the path', async () => {
      await fc.assert(
        fc.asyncProperty(testCase.values, fc.nat(), fc.integer({ min: 1, max: 12 }), async (value, pick, chunkSize) => {
          const keys = Object.keys(value);
          const broken = keys[pick % keys.length] as string;
          // An object is wrong for every field of these schemas (strings, numbers, booleans, null, arrays).
          const wrong = { unexpected: true };
          const message = messageOf([{ type: 'text', text: JSON.stringify({ ...value, [broken]: wrong }) }]);
          const sdk = await sdkOutcomes(message, testCase.sdk, chunkSize);
          const ours = await ourOutcomes(message, testCase.ours, chunkSize);
          expect(sdkParseFailure(sdk.parsed) && sdkParseFailure(sdk.streamed)).toBe(true);
          for (const outcome of [ours.parsed, ours.streamed, ours.final]) {
            expect(outcome.ok).toBe(false);
            const error = (outcome as { error: unknown }).error as OutputValidationError;
            expect(error).toBeInstanceOf(OutputValidationError);
            expect(error.paths).toEqual([broken]);
          }
        }),
        RUNS,
      );
    });

    it('text that is not JSON: both fail, ours with OutputParseError carrying the text (a stream: the text up to the delta that broke it)', async () => {
      await fc.assert(
        fc.asyncProperty(testCase.values, fc.nat(), fc.integer({ min: 1, max: 12 }), async (value, cut, chunkSize) => {
          const json = JSON.stringify(value);
          // Cut the JSON short and add a character that can never continue it.
          const text = `${json.slice(0, cut % json.length)}}}`;
          fc.pre(!isJson(text));
          const message = messageOf([{ type: 'text', text }]);
          const sdk = await sdkOutcomes(message, testCase.sdk, chunkSize);
          const ours = await ourOutcomes(message, testCase.ours, chunkSize);
          expect(sdkParseFailure(sdk.parsed) && sdkParseFailure(sdk.streamed)).toBe(true);
          const errorOf = (outcome: Outcome) => (outcome as { error: unknown }).error as OutputParseError;
          expect(errorOf(ours.parsed)).toBeInstanceOf(OutputParseError);
          expect(errorOf(ours.parsed).raw).toBe(text);
          for (const outcome of [ours.streamed, ours.final]) {
            const error = errorOf(outcome);
            expect(error).toBeInstanceOf(OutputParseError);
            expect(text.startsWith(error.raw)).toBe(true);
            expect(error.position).toBe(errorOf(ours.parsed).position);
          }
        }),
        RUNS,
      );
    });
  });

  it('the recorded structured-output stream, with a raw JSON Schema: the same value', async () => {
    const fixture = loadFixtures('sdk-sse').find((f) => f.name === 'structured-output-json-text.py') as { sse: Buffer };
    const answer = (async () => new Response(new Uint8Array(fixture.sse), { headers: { 'content-type': 'text/event-stream' } })) as unknown as typeof fetch;
    const schema = { type: 'array', items: { type: 'integer' } };
    // The SDK's own helper for a raw schema (jsonSchemaOutputFormat) takes objects only: this is the same format by hand.
    const sdkFormat = { type: 'json_schema' as const, schema, parse: (text: string) => JSON.parse(text) as unknown };
    const sdk = new Anthropic({ apiKey: 'k', fetch: answer, maxRetries: 0, logLevel: 'off' });
    const stream = sdk.messages.stream({ ...BASE, output_config: { format: sdkFormat } } as never);
    const sdkValue = ((await stream.finalMessage()) as unknown as { parsed_output: unknown }).parsed_output;

    const client = createClient({ apiKey: 'k', baseURL: 'http://127.0.0.1:9', fetch: answer, maxRetries: 0 });
    const format = outputFormat<number[]>(schema);
    const ours = (await lastValueFrom(client.messages.stream({ ...BASE, output_config: { format } }).pipe(finalMessage()))) as ParsedMessage<number[]>;
    expect(sdkValue).toEqual([12345, 67890]);
    expect(ours.parsed_output).toEqual(sdkValue);
  });

  describe('where we differ on purpose', () => {
    const format = CASES[0] as Case;
    const valid = JSON.stringify({ order_ids: [1], customer: 'Ada', urgent: false, note: null });

    it('1. a refusal or a max_tokens cut: the SDK fails to parse the text, ours gives parsed_output null', async () => {
      for (const [text, stopReason] of [
        ['{"order_ids": [1', 'max_tokens'],
        ['', 'refusal'],
      ] as const) {
        const message = messageOf([{ type: 'text', text }], stopReason);
        const sdk = await sdkOutcomes(message, format.sdk, 4);
        const ours = await ourOutcomes(message, format.ours, 4);
        expect(sdkParseFailure(sdk.parsed)).toBe(true);
        expect(ours.parsed).toEqual({ ok: true, value: null });
        expect(ours.streamed).toEqual({ ok: true, value: null });
        expect(ours.final.ok).toBe(false);
      }
    });

    it('1. a tool-use turn: the SDK parses its text, ours gives null (in a tool loop only the last turn is the output)', async () => {
      const message = messageOf([{ type: 'text', text: valid }, { type: 'tool_use', id: 'toolu_1', name: 'lookup', input: {} }], 'tool_use');
      const sdk = await sdkOutcomes(message, format.sdk, 4);
      const ours = await ourOutcomes(message, format.ours, 4);
      expect(sdk.parsed).toEqual({ ok: true, value: JSON.parse(valid) });
      expect(ours.parsed).toEqual({ ok: true, value: null });
    });

    it('2. several text blocks: the SDK parses the first alone, ours their text joined', async () => {
      const message = messageOf([
        { type: 'text', text: valid.slice(0, 10) },
        { type: 'text', text: valid.slice(10) },
      ]);
      const sdk = await sdkOutcomes(message, format.sdk, 4);
      const ours = await ourOutcomes(message, format.ours, 4);
      expect(sdkParseFailure(sdk.parsed)).toBe(true);
      expect(ours.parsed).toEqual({ ok: true, value: JSON.parse(valid) });
      expect(ours.final).toEqual({ ok: true, value: JSON.parse(valid) });
    });

    it('3. a plain { type, schema } format on a stream: the SDK gives null, ours no parsed_output, and finalOutput() the value', async () => {
      const plain = { type: 'json_schema' as const, schema: { type: 'object', properties: {} } };
      const message = messageOf([{ type: 'text', text: valid }]);
      const sdk = await sdkOutcomes(message, plain, 4);
      const ours = await ourOutcomes(message, plain, 4);
      expect(sdk.streamed).toEqual({ ok: true, value: null });
      expect(ours.streamed).toEqual({ ok: true, value: undefined });
      expect(ours.final).toEqual({ ok: true, value: JSON.parse(valid) });
      expect(sdk.parsed).toEqual(ours.parsed);
    });
  });
});

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
