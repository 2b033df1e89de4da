import * as t from 'io-ts';
import { firstValueFrom, from, lastValueFrom, share, Subject, toArray } from 'rxjs';

import { createClient, finalMessage, finalOutput, outputFormat, partialOutput, type MessageCreateParams, type ParsedMessage, type RawMessageStreamEvent } from 'rx-anthropic';
import { createMockServer, textReply, type MockServer } from 'rx-anthropic/testing';

import { plain } from '../operators/events';
import { unfrozenPaths, writeEverywhere } from '../support/writeEverywhere';
import { jsonMessage } from './outputEvents';

const Trip = t.type({ city: t.string, days: t.array(t.type({ day: t.number, stops: t.array(t.string) })), budget: t.type({ amount: t.number }) });
const format = outputFormat(Trip);
const TRIP = '{"city": "Paris", "days": [{"day": 1, "stops": ["Louvre", "Orsay"]}, {"day": 2, "stops": ["Montmartre"]}], "budget": {"amount": 300}}';
const pieces = (text: string, size: number): string[] => Array.from({ length: Math.ceil(text.length / size) }, (_, i) => text.slice(i * size, (i + 1) * size));
const tripEvents = (): RawMessageStreamEvent[] => jsonMessage(pieces(TRIP, 7));

describe('frozen structured output', () => {
  it('partialOutput(): a consumer that writes to the partial values (nested objects and arrays) gets TypeErrors, and another consumer of the same values sees them unchanged', async () => {
    const alone = (await lastValueFrom(from(tripEvents()).pipe(partialOutput(format), toArray()))).map(plain);
    const subject = new Subject<RawMessageStreamEvent>();
    const shared = subject.pipe(partialOutput(format), share());
    const written: string[] = [];
    shared.subscribe((value) => written.push(...writeEverywhere(value)));
    const seen = lastValueFrom(shared.pipe(toArray()));
    tripEvents().forEach((event) => subject.next(event));
    subject.complete();
    expect(written).toEqual([]);
    expect((await seen).map(plain)).toEqual(alone);
    expect(alone[alone.length - 1]).toEqual(JSON.parse(TRIP));
  });

  it('partialOutput(): every value is frozen all the way down, the finished parts shared from one value to the next', async () => {
    const values = await lastValueFrom(from(tripEvents()).pipe(partialOutput(format), toArray()));
    expect(values.flatMap((value, index) => unfrozenPaths(value, `values[${index}]`))).toEqual([]);
    const [before, after] = values.slice(-2) as [{ days?: unknown }, { days?: unknown }];
    expect(after.days).toBe(before.days);
  });

  it('finalOutput(): the decoded value is frozen all the way down', async () => {
    const value = await lastValueFrom(from(tripEvents()).pipe(finalOutput(format)));
    expect(value).toEqual(JSON.parse(TRIP));
    expect(unfrozenPaths(value)).toEqual([]);
    expect(writeEverywhere(value)).toEqual([]);
  });

  it('partialOutput(): a codec that writes to the value it decodes gets one of its own at the end, so the values already emitted are unchanged', async () => {
    // A codec that fills in a default in place, as some schema libraries do.
    const WithDefault = new t.Type<Record<string, unknown>>(
      'WithDefault',
      (u): u is Record<string, unknown> => typeof u === 'object' && u !== null,
      (u, context) => {
        if (typeof u !== 'object' || u === null) return t.failure(u, context);
        (u as Record<string, unknown>)['currency'] ??= 'EUR';
        return t.success(u as Record<string, unknown>);
      },
      t.identity,
    );
    const defaulting = outputFormat(WithDefault, { schema: { type: 'object' }, transform: false });
    const values = await lastValueFrom(from(tripEvents()).pipe(partialOutput(defaulting), toArray()));
    expect(values[values.length - 1]).toEqual(JSON.parse(TRIP));
    expect(await lastValueFrom(from(tripEvents()).pipe(finalOutput(defaulting)))).toEqual({ ...JSON.parse(TRIP), currency: 'EUR' });
  });

  describe('parsed_output', () => {
    let server: MockServer | undefined;
    afterEach(async () => server?.close());
    const request: MessageCreateParams = { model: 'claude-sonnet-4-6', max_tokens: 256, messages: [{ role: 'user', content: 'Plan a trip' }], output_config: { format } };

    it('client.messages.stream() + finalMessage(): the message with parsed_output, its text block and the output are frozen; a consumer that writes to them changes nothing another sees', async () => {
      server = await createMockServer([textReply(TRIP, { chunkSize: 9 })]);
      const client = createClient({ baseURL: server.baseURL, apiKey: 'k', maxRetries: 0 });
      const shared = client.messages.stream(request).pipe(finalMessage(), share());
      const written: string[] = [];
      shared.subscribe((message) => written.push(...writeEverywhere(message), ...writeEverywhere((message as ParsedMessage<unknown>).parsed_output)));
      const message = (await lastValueFrom(shared)) as ParsedMessage<t.TypeOf<typeof Trip>>;
      expect(written).toEqual([]);
      expect(message.parsed_output).toEqual(JSON.parse(TRIP));
      expect(unfrozenPaths(message)).toEqual([]);
      expect(unfrozenPaths(message.parsed_output)).toEqual([]);
      expect(Object.isFrozen(message.content[0])).toBe(true);
    });

    it('client.messages.parse(): the message, its content and parsed_output are frozen', async () => {
      server = await createMockServer([textReply(TRIP)]);
      const client = createClient({ baseURL: server.baseURL, apiKey: 'k', maxRetries: 0 });
      const message = await firstValueFrom(client.messages.parse(request));
      expect(message.parsed_output).toEqual(JSON.parse(TRIP));
      expect(unfrozenPaths(message)).toEqual([]);
      expect(unfrozenPaths(message.parsed_output)).toEqual([]);
      expect(writeEverywhere(message)).toEqual([]);
    });
  });
});
