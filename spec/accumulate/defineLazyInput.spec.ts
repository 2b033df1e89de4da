import { defineLazyInput } from '../../lib/accumulate/defineLazyInput';
import { ToolInputBuffer } from '../../lib/accumulate/ToolInputBuffer';

/** A buffer that counts its snapshot reads, after `chunks`. */
function countingBuffer(chunks: readonly string[]): { buffer: ToolInputBuffer; reads: () => number } {
  const buffer = new ToolInputBuffer({});
  for (const chunk of chunks) buffer.push(chunk);
  let reads = 0;
  const snapshotAt = buffer.snapshotAt.bind(buffer);
  buffer.snapshotAt = (length: number): unknown => {
    reads += 1;
    return snapshotAt(length);
  };
  return { buffer, reads: () => reads };
}

describe('defineLazyInput', () => {
  it('defines an own enumerable property that spread, Object.keys, JSON.stringify and toEqual see as a value', () => {
    const { buffer } = countingBuffer(['{"city": "Pa']);
    const event = defineLazyInput({ type: 'input_json', index: 1, partial_json: '{"city": "Pa' }, 'snapshot', buffer);
    const descriptor = Object.getOwnPropertyDescriptor(event, 'snapshot');
    expect(descriptor?.enumerable).toBe(true);
    expect(typeof descriptor?.get).toBe('function');
    expect(Object.keys(event)).toEqual(['type', 'index', 'partial_json', 'snapshot']);
    expect(JSON.parse(JSON.stringify(event))).toEqual({ type: 'input_json', index: 1, partial_json: '{"city": "Pa', snapshot: { city: 'Pa' } });
    expect({ ...event }).toEqual({ type: 'input_json', index: 1, partial_json: '{"city": "Pa', snapshot: { city: 'Pa' } });
    expect(Object.getOwnPropertyDescriptor({ ...event }, 'snapshot')).toEqual({ value: { city: 'Pa' }, writable: true, enumerable: true, configurable: true });
    expect(event).toEqual({ type: 'input_json', index: 1, partial_json: '{"city": "Pa', snapshot: { city: 'Pa' } });
    expect(Object.getPrototypeOf(event)).toBe(Object.prototype);
  });

  it('computes the value on the first read only, and gives the same value on every read after', () => {
    const { buffer, reads } = countingBuffer(['{"a": [1, 2']);
    const event = defineLazyInput({ type: 'input_json' }, 'snapshot', buffer);
    expect(reads()).toBe(0);
    const first = (event as { snapshot?: unknown }).snapshot;
    expect(first).toEqual({ a: [1, 2] });
    expect((event as { snapshot?: unknown }).snapshot).toBe(first);
    expect(reads()).toBe(1);
  });

  it('gives the value as of its definition, however late it is read', () => {
    const buffer = new ToolInputBuffer({});
    const events = ['{"q": "rx', 'js", "k": tr', 'ue}'].map((chunk) => {
      buffer.push(chunk);
      return defineLazyInput({ type: 'input_json' }, 'snapshot', buffer) as { snapshot?: unknown };
    });
    expect(events[2]?.snapshot).toEqual({ q: 'rxjs', k: true });
    expect(events[0]?.snapshot).toEqual({ q: 'rx' });
    expect(events[1]?.snapshot).toEqual({ q: 'rxjs' });
    expect(buffer.finish()).toEqual({ q: 'rxjs', k: true });
    expect(events[0]?.snapshot).toEqual({ q: 'rx' });
  });

  it('leaves nothing else visible on the object', () => {
    const { buffer } = countingBuffer(['{}']);
    const block = defineLazyInput({ type: 'tool_use', id: 'toolu_1', name: 'f' }, 'input', buffer);
    expect(Object.keys(block)).toEqual(['type', 'id', 'name', 'input']);
    expect(Object.entries(block)).toEqual([
      ['type', 'tool_use'],
      ['id', 'toolu_1'],
      ['name', 'f'],
      ['input', {}],
    ]);
    expect(Object.getOwnPropertySymbols({ ...block })).toEqual([]);
    expect(structuredClone(block)).toEqual({ type: 'tool_use', id: 'toolu_1', name: 'f', input: {} });
  });
});
