import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * The README's "Testing your app" section shows the files of `examples/testing/` (which jest runs
 * as a spec of their own). Each block between `<!-- testing:begin -->` and `<!-- testing:end -->`
 * names its file on its first line (`// examples/testing/app.spec.ts`, as the snippet type-check
 * expects) and must then be that file, so the README shows code that passes.
 */
const ROOT = resolve(__dirname, '../..');
const SHOWN = ['examples/testing/summarise.ts', 'examples/testing/app.spec.ts'];

describe('the README section "Testing your app"', () => {
  const readme = readFileSync(resolve(ROOT, 'README.md'), 'utf8');
  const start = readme.indexOf('## Testing your app');
  const end = readme.indexOf('\n## ', start + 1);
  const section = readme.slice(start, end === -1 ? undefined : end);
  const blocks = [...section.matchAll(/<!-- testing:begin -->\n```ts\n\/\/ (\S+)\n([\s\S]*?)```\n<!-- testing:end -->/g)].map(([, path, code]) => ({ path, code }));

  it('shows the app function and its spec, in that order', () => {
    expect(blocks.map((block) => block.path)).toEqual(SHOWN);
  });

  it.each(SHOWN)('shows %s exactly as it is', (path) => {
    expect(blocks.find((block) => block.path === path)?.code).toBe(readFileSync(resolve(ROOT, path), 'utf8'));
  });
});
