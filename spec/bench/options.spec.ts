import { parseOptions } from '../../bench/options';

// RESULTS.md is the report of one whole run: a narrowed run's figures go into a section of it
// with bench/spliceSection.ts, never over the whole file.

describe('npm run bench -- --write-results', () => {
  it('writes RESULTS.md from a full run', () => {
    expect(parseOptions(['--write-results']).writeResults).toBe(true);
  });

  it.each([
    [['--workloads', 'stores']],
    [['--impls', 'rx-events']],
    [['--quick']],
  ])('is refused on a narrowed run (%j), with the command that splices a section instead', (narrowing) => {
    expect(() => parseOptions(['--write-results', ...narrowing])).toThrow(/--write-results writes all of bench\/RESULTS\.md.*bench\/spliceSection\.ts/s);
  });

  it('leaves a narrowed run without it alone', () => {
    expect(parseOptions(['--workloads', 'stores', '--impls', 'rx-events']).workloads).toEqual(['stores']);
  });
});

describe('npm run bench -- --relay-node-flags', () => {
  it('gives the relay processes their own Node flags, apart from the measured children', () => {
    const options = parseOptions(['--relay-node-flags', '--trace-gc  --max-semi-space-size=4']);
    expect(options.relayNodeFlags).toEqual(['--trace-gc', '--max-semi-space-size=4']);
    expect(options.nodeFlags).toEqual([]);
    expect(parseOptions([]).relayNodeFlags).toEqual([]);
  });
});
