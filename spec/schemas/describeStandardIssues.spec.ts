import { describeStandardIssues } from 'rx-anthropic';

describe('describeStandardIssues', () => {
  const value = { items: [{ sku: 'a', qty: 1 }, { sku: 'b', qty: 'two' }], note: 5 };

  it('names each path, whether its steps are keys or { key } segments, with the value found there', () => {
    const failures = describeStandardIssues(
      [
        { message: 'Expected number', path: ['items', 1, 'qty'] },
        { message: 'Expected string or null', path: [{ key: 'note' }] },
      ],
      value,
    );
    expect(failures).toEqual([
      { path: 'items.1.qty', expected: 'Expected number', actual: 'two', text: 'at "items.1.qty": Expected number, got "two"' },
      { path: 'note', expected: 'Expected string or null', actual: 5, text: 'at "note": Expected string or null, got 5' },
    ]);
  });

  it('says when a field is missing, and when the issue is about the value itself', () => {
    expect(describeStandardIssues([{ message: 'Required', path: ['items', 0, 'price'] }], value)[0]?.text).toBe('at "items.0.price": Required, got undefined (missing)');
    expect(describeStandardIssues([{ message: 'Expected an object' }], 'two pizzas')[0]?.text).toBe('at the top level: Expected an object, got "two pizzas"');
    expect(describeStandardIssues([{ message: 'Expected an object', path: [] }], null)[0]).toMatchObject({ path: '', actual: null });
  });

  it('lists an issue once however often the library reports it, and cuts long messages and values', () => {
    const long = 'x'.repeat(300);
    const failures = describeStandardIssues(
      [
        { message: 'Too short', path: ['text'] },
        { message: 'Too short', path: ['text'] },
        { message: long, path: [Symbol('tag')] },
      ],
      { text: long },
    );
    expect(failures.map((failure) => failure.path)).toEqual(['text', 'tag']);
    expect(failures[0]?.text).toBe(`at "text": Too short, got "${'x'.repeat(79)}…`);
    expect(failures[1]?.expected).toBe(`${'x'.repeat(160)}…`);
  });
});
