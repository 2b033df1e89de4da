import { isRight } from 'fp-ts/Either';
import { RawMessageStreamEvent } from '../../lib/schema';
import { eventData, loadFixtures } from '../support/fixtures';
import { codecsUnder, PASS_THROUGH } from '../support/codecsUnder';

// decodeEvent returns an event that `RawMessageStreamEvent.is` accepts as it is, without running
// `validate`. That is right only while `is` and `validate` agree and `validate` returns the very
// object it was given, that is while no codec under the union transforms its input (no
// `t.exact`/`t.strict`, which strip unknown fields, no codec whose decode builds another value).


describe('the stream event codecs', () => {
  it('are all of kinds whose validate returns its input unchanged', () => {
    const codecs = codecsUnder(RawMessageStreamEvent, 'RawMessageStreamEvent');
    expect(codecs.length).toBeGreaterThan(50);
    const others = codecs.filter(({ codec }) => !PASS_THROUGH.has(codec._tag ?? '')).map(({ path, codec }) => `${path}: ${codec._tag ?? codec.name}`);
    expect(others).toEqual([]);
  });

  it('accept with `is` exactly the recorded events `validate` accepts, and `validate` returns each as it is', () => {
    let checked = 0;
    for (const fixture of [...loadFixtures('sdk-sse'), ...loadFixtures('real-world')]) {
      for (const data of eventData(fixture)) {
        let event: unknown;
        try {
          event = JSON.parse(data);
        } catch {
          continue;
        }
        const validated = RawMessageStreamEvent.validate(event, []);
        expect([fixture.name, data, RawMessageStreamEvent.is(event)]).toEqual([fixture.name, data, isRight(validated)]);
        if (isRight(validated)) expect(validated.right).toBe(event);
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThan(500);
  });

  it('refuse with `is` what `validate` refuses: a field of the wrong type anywhere in a message_start', () => {
    const start = {
      type: 'message_start',
      message: {
        id: 'msg_1',
        type: 'message',
        role: 'assistant',
        model: 'claude-sonnet-4-6',
        content: [{ type: 'text', text: 'Hi', citations: null }],
        stop_reason: null,
        stop_sequence: null,
        usage: { input_tokens: 1, output_tokens: 1, cache_creation_input_tokens: null, cache_read_input_tokens: null },
      },
    };
    expect(RawMessageStreamEvent.is(start)).toBe(true);
    // Every leaf, one at a time, replaced by a value of another type.
    const leaves: Array<Array<string | number>> = [];
    const walk = (value: unknown, path: Array<string | number>): void => {
      if (typeof value === 'object' && value !== null) for (const [key, child] of Object.entries(value)) walk(child, [...path, Array.isArray(value) ? Number(key) : key]);
      else leaves.push(path);
    };
    walk(start, []);
    for (const path of leaves) {
      for (const replacement of [42, 'x', true, {}, []]) {
        const copy = structuredClone(start) as Record<string | number, unknown>;
        let at: Record<string | number, unknown> = copy;
        for (const key of path.slice(0, -1)) at = at[key] as Record<string | number, unknown>;
        at[path[path.length - 1]!] = replacement;
        expect([path.join('.'), replacement, RawMessageStreamEvent.is(copy)]).toEqual([path.join('.'), replacement, isRight(RawMessageStreamEvent.validate(copy, []))]);
      }
    }
  });
});
