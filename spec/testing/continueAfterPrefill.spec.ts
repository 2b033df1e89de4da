import { assistantPrefill } from '../../lib/testing/assistantPrefill';
import { continueAfterPrefill } from '../../lib/testing/continueAfterPrefill';
import { framesByteLength } from '../../lib/testing/framesByteLength';
import type { MockMessageDraft } from '../../lib/testing/types';

const draft: MockMessageDraft = {
  content: [
    { type: 'text', text: 'Part one. ' },
    { type: 'text', text: 'Part two.', citations: null },
    { type: 'tool_use', name: 'f', input: {} },
  ],
  stop_reason: 'tool_use',
};

describe('continueAfterPrefill', () => {
  it('takes the prefill off the front of the text, across blocks, keeping the block it ends in and what follows', () => {
    expect(continueAfterPrefill(draft, 'Part').content).toEqual([{ type: 'text', text: ' one. ' }, draft.content[1], draft.content[2]]);
    expect(continueAfterPrefill(draft, 'Part one. Part').content).toEqual([{ type: 'text', text: ' two.', citations: null }, draft.content[2]]);
    expect(continueAfterPrefill(draft, 'Part one.').content).toEqual([{ type: 'text', text: ' ' }, draft.content[1], draft.content[2]]);
    expect(continueAfterPrefill(draft, 'Part one. Part two.').content).toEqual([{ type: 'text', text: '', citations: null }, draft.content[2]]);
    expect(continueAfterPrefill(draft, 'Part one.').stop_reason).toBe('tool_use');
  });

  it('leaves the message whole for a prefill that is not a prefix of its text, or runs past it', () => {
    expect(continueAfterPrefill(draft, 'Part three')).toBe(draft);
    expect(continueAfterPrefill(draft, 'Part one. Part two. And more')).toBe(draft);
    expect(continueAfterPrefill(draft, undefined)).toBe(draft);
  });
});

describe('assistantPrefill', () => {
  it('reads the text of a last assistant message, a string or text blocks', () => {
    expect(assistantPrefill({ messages: [{ role: 'user', content: 'Hi' }, { role: 'assistant', content: 'Hel' }] })).toBe('Hel');
    expect(assistantPrefill({ messages: [{ role: 'assistant', content: [{ type: 'text', text: 'A' }, { type: 'image' }, { type: 'text', text: 'B' }] }] })).toBe('AB');
  });

  it('gives undefined without one', () => {
    expect(assistantPrefill({ messages: [{ role: 'assistant', content: 'Hel' }, { role: 'user', content: 'Hi' }] })).toBeUndefined();
    expect(assistantPrefill({ messages: [{ role: 'assistant', content: '' }] })).toBeUndefined();
    expect(assistantPrefill({ messages: 'no' })).toBeUndefined();
    expect(assistantPrefill(undefined)).toBeUndefined();
  });
});

describe('framesByteLength', () => {
  it('counts the bytes of the first n pieces, all of them past the end', () => {
    const chunks = [new Uint8Array(3), new Uint8Array(5), new Uint8Array(7)];
    expect(framesByteLength(chunks, undefined)).toBeUndefined();
    expect(framesByteLength(chunks, 0)).toBe(0);
    expect(framesByteLength(chunks, 2)).toBe(8);
    expect(framesByteLength(chunks, 9)).toBe(15);
  });
});
