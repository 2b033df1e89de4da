import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { accumulateEvents } from '../../lib/testing/accumulateEvents';
import { parseSSEText } from '../../lib/testing/parseSSEText';
import { realWorldFixtures } from './mockServerHelpers';

const fixtures = readdirSync(realWorldFixtures).filter((name) => name.endsWith('.sse'));

describe('accumulateEvents', () => {
  it('finds the real-world fixtures', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(19);
  });

  it.each(fixtures)('folds %s into its expected message (or its error)', (name) => {
    const expected = JSON.parse(readFileSync(join(realWorldFixtures, name.replace(/\.sse$/, '.expected.json')), 'utf8')) as {
      message: unknown;
      error?: unknown;
    };
    const result = accumulateEvents(parseSSEText(readFileSync(join(realWorldFixtures, name), 'utf8')));
    if (expected.error === undefined) {
      expect(result).toEqual({ kind: 'message', message: expected.message });
    } else {
      expect(result).toMatchObject({ kind: 'error', error: { type: 'overloaded_error' } });
    }
  });

  it('says so when there is no message_start', () => {
    expect(accumulateEvents([{ type: 'message_stop' }])).toEqual({ kind: 'none', reason: 'the events have no message_start' });
  });

  it('does not change the events it folds', () => {
    const start = { type: 'message_start', message: { content: [], usage: { input_tokens: 1 } } };
    const events = [
      start,
      { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'hi' } },
      { type: 'message_delta', delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 3, input_tokens: null } },
    ];
    const before = structuredClone(events);
    expect(accumulateEvents(events)).toEqual({
      kind: 'message',
      message: { content: [{ type: 'text', text: 'hi' }], usage: { input_tokens: 1, output_tokens: 3 }, stop_reason: 'end_turn' },
    });
    expect(events).toEqual(before);
  });
});
