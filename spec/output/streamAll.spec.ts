import { isDeepStrictEqual } from 'node:util';

import * as t from 'io-ts';
import { catchError, combineLatest, filter, forkJoin, groupBy, lastValueFrom, map, materialize, merge, mergeMap, of, startWith, tap, toArray, type GroupedObservable, type Observable } from 'rxjs';

import {
  createClient,
  finalMessage,
  finalOutput,
  finalText,
  OutputValidationError,
  outputFormat,
  partialOutput,
  streamAll,
  textDeltas,
  type DeepPartial,
  type MessageCreateParams,
  type ParsedMessage,
  type RawMessageStreamEvent,
  type TaggedEvent,
} from 'rx-anthropic';
import { createMockServer, textReply, type MockServer } from 'rx-anthropic/testing';

/**
 * Several structured requests at once through `streamAll`: each request's tagged events give its
 * own partial values and its own checked value, a request without a format is left alone, and a
 * request whose output fails its codec is reported where its output is read.
 */
const Weather = t.type({ city: t.string, celsius: t.number, summary: t.string });
type Weather = t.TypeOf<typeof Weather>;
const Recipe = t.type({ title: t.string, servings: t.number, ingredients: t.array(t.type({ name: t.string, grams: t.number })), vegetarian: t.boolean });
type Recipe = t.TypeOf<typeof Recipe>;
const weatherFormat = outputFormat(Weather);
const recipeFormat = outputFormat(Recipe);

const WEATHER: Weather = { city: 'Paris', celsius: 18, summary: 'Sunny, light wind from the west' };
const RECIPE: Recipe = {
  title: 'Lentil soup',
  servings: 4,
  ingredients: [
    { name: 'red lentils', grams: 250 },
    { name: 'carrot', grams: 120 },
    { name: 'onion', grams: 90 },
  ],
  vegetarian: true,
};
const NOTE = 'No format here: just a few words of prose.';

const base: MessageCreateParams = { model: 'claude-sonnet-4-6', max_tokens: 512, messages: [{ role: 'user', content: '' }] };
const ask = (content: string) => ({ ...base, messages: [{ role: 'user' as const, content }] });
const requests = {
  weather: { ...ask('weather'), output_config: { format: weatherFormat } },
  recipe: { ...ask('recipe'), output_config: { format: recipeFormat } },
  note: ask('note'),
};
type Key = keyof typeof requests;

let server: MockServer;
afterEach(async () => server?.close());
const clientFor = (s: MockServer) => createClient({ baseURL: s.baseURL, apiKey: 'k', maxRetries: 0 });

/** A server that answers each request by its content; `delays` slows some answers down (ms between chunks). */
function serve(answers: Record<string, string>, delays: Partial<Record<string, number>> = {}): Promise<MockServer> {
  return createMockServer((recorded) => {
    const content = String((recorded.body as { messages: { content: string }[] }).messages[0]?.content);
    const answer = answers[content];
    if (answer === undefined) throw new Error(`no answer scripted for ${content}`);
    return textReply(answer, { chunkSize: 3, chunkDelayMs: delays[content] ?? 5 });
  });
}
const ANSWERS = { weather: JSON.stringify(WEATHER, null, 1), recipe: JSON.stringify(RECIPE, null, 1), note: NOTE };

/** The events of one request, out of everything `streamAll` emitted. */
const eventsOf = (tagged: readonly TaggedEvent<Key>[], key: Key): Observable<RawMessageStreamEvent> =>
  of(...tagged.filter((each) => each.key === key).map(({ event }) => event));

/**
 * Whether `partial` is the start of `final`: every field it has is the start of the same field,
 * an array has no more elements than the final one, each the start of the element at its place,
 * a string or a number is a prefix of the final one's text, anything else is whole.
 */
function isStartOf(partial: unknown, final: unknown): boolean {
  if (typeof partial === 'string') return typeof final === 'string' && final.startsWith(partial);
  if (typeof partial === 'number') return typeof final === 'number' && String(final).startsWith(String(partial));
  if (Array.isArray(partial)) return Array.isArray(final) && partial.length <= final.length && partial.every((item, index) => isStartOf(item, final[index]));
  if (typeof partial === 'object' && partial !== null) {
    if (typeof final !== 'object' || final === null || Array.isArray(final)) return false;
    return Object.entries(partial).every(([name, value]) => name in final && isStartOf(value, (final as Record<string, unknown>)[name]));
  }
  return partial === final;
}

/** Each partial value starts the next one and the final value, and the last one is the final value. */
function expectGrowingTo(partials: readonly unknown[], final: unknown): void {
  expect(partials.length).toBeGreaterThan(3);
  partials.forEach((partial, index) => {
    expect({ index, partial, startsFinal: isStartOf(partial, final) }).toEqual({ index, partial, startsFinal: true });
    if (index > 0) expect({ index, startsNext: isStartOf(partials[index - 1], partial) }).toEqual({ index, startsNext: true });
  });
  expect(partials[partials.length - 1]).toEqual(final);
}

describe('structured output through streamAll', () => {
  it('runs two codecs and a plain request at once: per key, partial values grow to the typed value; the plain final message has no parsed_output', async () => {
    server = await serve(ANSWERS);
    const tagged = await lastValueFrom(streamAll(clientFor(server), requests, { concurrency: 3 }).pipe(toArray()));

    // At once: every request started before the first one ended.
    const firstStop = tagged.findIndex(({ event }) => event.type === 'message_stop');
    const starts = tagged.flatMap(({ key, event }, index) => (event.type === 'message_start' ? [{ key, index }] : []));
    expect(starts.map(({ key }) => key).sort()).toEqual(['note', 'recipe', 'weather']);
    expect(Math.max(...starts.map(({ index }) => index))).toBeLessThan(firstStop);
    // The format is sent as { type, schema } only; the plain request has none.
    const sent = Object.fromEntries(server.requests.map((request) => [(request.body as { messages: { content: string }[] }).messages[0]?.content, (request.body as { output_config?: unknown }).output_config]));
    expect(sent).toEqual({ weather: { format: { type: 'json_schema', schema: weatherFormat.schema } }, recipe: { format: { type: 'json_schema', schema: recipeFormat.schema } }, note: undefined });

    const weatherPartials: DeepPartial<Weather>[] = await lastValueFrom(eventsOf(tagged, 'weather').pipe(partialOutput(weatherFormat), toArray()));
    const recipePartials: DeepPartial<Recipe>[] = await lastValueFrom(eventsOf(tagged, 'recipe').pipe(partialOutput(recipeFormat), toArray()));
    const weather: Weather = await lastValueFrom(eventsOf(tagged, 'weather').pipe(finalOutput(weatherFormat)));
    const recipe: Recipe = await lastValueFrom(eventsOf(tagged, 'recipe').pipe(finalOutput(recipeFormat)));
    expect(weather).toEqual(WEATHER);
    expect(recipe).toEqual(RECIPE);
    expectGrowingTo(weatherPartials, WEATHER);
    expectGrowingTo(recipePartials, RECIPE);
    // A number shows as far as its digits have come, a string as far as its characters have.
    expect(recipePartials.some((partial) => partial.ingredients?.[0]?.grams === 25)).toBe(true);
    expect(weatherPartials.some((partial) => partial.summary !== undefined && partial.summary.length > 0 && partial.summary.length < WEATHER.summary.length)).toBe(true);

    // The final message of a request with an outputFormat has parsed_output; that of the plain request has none at all.
    const weatherMessage = (await lastValueFrom(eventsOf(tagged, 'weather').pipe(finalMessage()))) as ParsedMessage<Weather>;
    const recipeMessage = (await lastValueFrom(eventsOf(tagged, 'recipe').pipe(finalMessage()))) as ParsedMessage<Recipe>;
    const noteMessage = await lastValueFrom(eventsOf(tagged, 'note').pipe(finalMessage()));
    expect(weatherMessage.parsed_output).toEqual(WEATHER);
    expect(recipeMessage.parsed_output).toEqual(RECIPE);
    expect('parsed_output' in noteMessage).toBe(false);
    expect(noteMessage.content).toEqual([{ type: 'text', text: NOTE }]);
    // The plain request's raw events are as the API sent them: no message carried by its message_stop.
    const noteStop = tagged.filter(({ key, event }) => key === 'note' && event.type === 'message_stop');
    expect(noteStop.map(({ event }) => 'message' in event)).toEqual([false]);
  });

  describe('when one output fails its codec', () => {
    const invalid = { ...ANSWERS, recipe: JSON.stringify({ ...RECIPE, servings: 'four' }) };

    it('streamAll itself does not fail: it only streams, and every request ends; the failure comes where that output is read', async () => {
      server = await serve(invalid);
      const notifications = await lastValueFrom(streamAll(clientFor(server), requests).pipe(materialize(), toArray()));
      expect(notifications[notifications.length - 1]?.kind).toBe('C');
      const tagged = notifications.flatMap((notification) => (notification.kind === 'N' ? [notification.value] : []));
      expect(tagged.filter(({ event }) => event.type === 'message_stop').map(({ key }) => key).sort()).toEqual(['note', 'recipe', 'weather']);

      // Its text streams as any text does; its partial values too (they are not checked); its final value and message fail.
      expect((await lastValueFrom(eventsOf(tagged, 'recipe').pipe(textDeltas(), toArray()))).join('')).toBe(invalid.recipe);
      const partials = await lastValueFrom(eventsOf(tagged, 'recipe').pipe(partialOutput(recipeFormat), materialize(), toArray()));
      expect(partials.filter(({ kind }) => kind === 'N').length).toBeGreaterThan(3);
      expect(partials[partials.length - 1]?.error).toBeInstanceOf(OutputValidationError);
      const final = await lastValueFrom(eventsOf(tagged, 'recipe').pipe(finalOutput(recipeFormat), materialize(), toArray()));
      expect(final.map(({ kind }) => kind)).toEqual(['E']);
      expect((final[0]?.error as OutputValidationError).paths).toEqual(['servings']);
      const message = await lastValueFrom(eventsOf(tagged, 'recipe').pipe(finalMessage(), materialize(), toArray()));
      expect((message[0]?.error as OutputValidationError).paths).toEqual(['servings']);

      // The others are untouched.
      expect(await lastValueFrom(eventsOf(tagged, 'weather').pipe(finalOutput(weatherFormat)))).toEqual(WEATHER);
      expect(await lastValueFrom(eventsOf(tagged, 'note').pipe(finalText()))).toBe(NOTE);
    });

    it('read per key in one pipeline, the failure fails it all unless each key catches its own; caught, it is tagged and the others are right', async () => {
      server = await serve(invalid);
      const outputs = (group: GroupedObservable<Key, TaggedEvent<Key>>) => {
        const events = group.pipe(map(({ event }) => event));
        const value: Observable<unknown> =
          group.key === 'weather' ? events.pipe(finalOutput(weatherFormat)) : group.key === 'recipe' ? events.pipe(finalOutput(recipeFormat)) : events.pipe(finalText());
        return value.pipe(map((output) => ({ key: group.key, output })));
      };

      const uncaught = await lastValueFrom(streamAll(clientFor(server), requests).pipe(groupBy(({ key }) => key), mergeMap(outputs), materialize(), toArray()));
      expect(uncaught.map(({ kind }) => kind).pop()).toBe('E');
      expect(uncaught[uncaught.length - 1]?.error).toBeInstanceOf(OutputValidationError);

      const caught = await lastValueFrom(
        streamAll(clientFor(server), requests).pipe(
          groupBy(({ key }) => key),
          mergeMap((group) => outputs(group).pipe(catchError((error: unknown) => of({ key: group.key, error })))),
          toArray(),
        ),
      );
      const byKey = Object.fromEntries(caught.map(({ key, ...rest }) => [key, rest]));
      expect(byKey['weather']).toEqual({ output: WEATHER });
      expect(byKey['note']).toEqual({ output: NOTE });
      expect((byKey['recipe'] as { error: unknown }).error).toBeInstanceOf(OutputValidationError);
      expect(((byKey['recipe'] as { error: OutputValidationError }).error).paths).toEqual(['servings']);
    });
  });

  describe('grouping the tagged events per request', () => {
    /** Ends a group at its request's message_stop, rather than when every request has ended. */
    const untilStop = (group: Observable<TaggedEvent<Key>>) => group.pipe(filter(({ event }) => event.type === 'message_stop'));

    it('pipes each group through partialOutput(format) and finalOutput(format), live, with each request\'s own format', async () => {
      server = await serve(ANSWERS);
      const outputs = await lastValueFrom(
        streamAll(clientFor(server), requests).pipe(
          groupBy(({ key }) => key, { duration: untilStop }),
          mergeMap((group) => {
            const events = group.pipe(map(({ event }) => event));
            switch (group.key) {
              case 'weather':
                return merge(events.pipe(partialOutput(weatherFormat), map((partial) => ({ key: group.key, partial }))), events.pipe(finalOutput(weatherFormat), map((final) => ({ key: group.key, final }))));
              case 'recipe':
                return merge(events.pipe(partialOutput(recipeFormat), map((partial) => ({ key: group.key, partial }))), events.pipe(finalOutput(recipeFormat), map((final) => ({ key: group.key, final }))));
              default:
                return events.pipe(finalText(), map((final) => ({ key: group.key, final })));
            }
          }),
          toArray(),
        ),
      );
      // One subscription per group: each request was sent once.
      expect(server.requests).toHaveLength(3);
      const partialsOf = (key: Key) => outputs.flatMap((output) => (output.key === key && 'partial' in output ? [output.partial] : []));
      const finalsOf = (key: Key) => outputs.flatMap((output) => (output.key === key && 'final' in output ? [output.final] : []));
      expectGrowingTo(partialsOf('weather'), WEATHER);
      expectGrowingTo(partialsOf('recipe'), RECIPE);
      expect(finalsOf('weather')).toEqual([WEATHER]);
      expect(finalsOf('recipe')).toEqual([RECIPE]);
      expect(finalsOf('note')).toEqual([NOTE]);
    });

    it('gives a request its final value when it ends only with a duration: groupBy alone ends every group when the last request ends', async () => {
      // The recipe answer is slow: the weather answer ends long before it.
      const slowRecipe = { weather: 1, recipe: 8 };
      const run = async (grouping: 'until stop' | 'plain') => {
        server = await serve(ANSWERS, slowRecipe);
        const log: string[] = [];
        const groups = streamAll(clientFor(server), { weather: requests.weather, recipe: requests.recipe }).pipe(
          tap(({ key, event }) => event.type === 'message_stop' && log.push(`${key} stopped`)),
          grouping === 'plain' ? groupBy(({ key }) => key) : groupBy(({ key }) => key, { duration: untilStop }),
        );
        await lastValueFrom(
          groups.pipe(
            mergeMap((group) => {
              const events = group.pipe(map(({ event }) => event));
              return group.key === 'weather' ? events.pipe(finalOutput(weatherFormat)) : events.pipe(finalOutput(recipeFormat));
            }),
            tap((value) => log.push(`${'city' in value ? 'weather' : 'recipe'} value`)),
            toArray(),
          ),
        );
        await server.close();
        return log;
      };
      expect(await run('until stop')).toEqual(['weather stopped', 'weather value', 'recipe stopped', 'recipe value']);
      // Without it, both values wait for the slow request (the order of the two is that of the groups).
      const plain = await run('plain');
      expect(plain.slice(0, 2)).toEqual(['weather stopped', 'recipe stopped']);
      expect(plain.slice(2).sort()).toEqual(['recipe value', 'weather value']);
    });
  });

  describe('without streamAll: one pipe per request, typed by its own format', () => {
    it('forkJoin gives each final value, typed, as soon as all are in; the client bounds how many run at once', async () => {
      let open = 0;
      let mostOpen = 0;
      server = await createMockServer((recorded) => {
        open += 1;
        mostOpen = Math.max(mostOpen, open);
        void recorded.closed.then(() => (open -= 1));
        const content = String((recorded.body as { messages: { content: string }[] }).messages[0]?.content);
        return textReply(ANSWERS[content as Key], { chunkSize: 3, chunkDelayMs: 2 });
      });
      const client = createClient({ baseURL: server.baseURL, apiKey: 'k', maxRetries: 0, maxConcurrentRequests: 1 });
      const values: { weather: Weather; recipe: Recipe; note: string } = await lastValueFrom(
        forkJoin({
          weather: client.messages.stream(requests.weather).pipe(finalOutput(weatherFormat)),
          recipe: client.messages.stream(requests.recipe).pipe(finalOutput(recipeFormat)),
          note: client.messages.stream(requests.note).pipe(finalText()),
        }),
      );
      expect(values).toEqual({ weather: WEATHER, recipe: RECIPE, note: NOTE });
      // One at a time, in order: the server never had two exchanges open.
      expect(server.requests.map((recorded) => (recorded.body as { messages: { content: string }[] }).messages[0]?.content)).toEqual(['weather', 'recipe', 'note']);
      expect(mostOpen).toBe(1);
    });

    it('combineLatest gives a record of partial values that fills in per request, each the start of its final value', async () => {
      server = await serve(ANSWERS);
      const client = clientFor(server);
      const records = await lastValueFrom(
        combineLatest({
          weather: client.messages.stream(requests.weather).pipe(partialOutput(weatherFormat), startWith(undefined)),
          recipe: client.messages.stream(requests.recipe).pipe(partialOutput(recipeFormat), startWith(undefined)),
        }).pipe(toArray()),
      );
      expect(records.length).toBeGreaterThan(10);
      for (const { weather, recipe } of records) {
        if (weather !== undefined) expect(isStartOf(weather, WEATHER)).toBe(true);
        if (recipe !== undefined) expect(isStartOf(recipe, RECIPE)).toBe(true);
      }
      expect(records.at(-1)).toEqual({ weather: WEATHER, recipe: RECIPE });
      // Both filled in while the other was still streaming.
      expect(records.some(({ weather, recipe }) => weather !== undefined && recipe !== undefined && !isDeepStrictEqual(recipe, RECIPE) && !isDeepStrictEqual(weather, WEATHER))).toBe(true);
    });
  });
});
