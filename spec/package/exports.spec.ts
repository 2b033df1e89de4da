import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { outputOf, runCommandSync } from '../support/runCommand';
import { LOADED_FIRST, PUBLIC_NAMES, type Entry } from './support/publicNames';

/**
 * The built package (`npm run build`, which `npm test` runs first), loaded the way users load
 * it: by name, through the `exports` map, with `import` and with `require`, in a separate Node.
 */
const ROOT = resolve(__dirname, '../..');

/** Each Node that loads the package has this long before it is killed (and the spec says that it timed out). */
const NODE_TIMEOUT_MS = 15_000;

function runNode(script: string): string {
  return outputOf(runCommandSync(process.execPath, ['-e', script], { cwd: ROOT, timeoutMs: NODE_TIMEOUT_MS }));
}

interface PackageJson {
  exports: Record<string, unknown>;
  typesVersions: Record<string, Record<string, string[]>>;
}

/**
 * The names an entry exports, loaded in a separate Node. `first` is loaded before it: Angular's
 * packages need `@angular/compiler` loaded first when no Angular build has linked them.
 */
function exportedNames(specifier: string, loader: 'import' | 'require', first?: string): string[] {
  const load = (name: string) => (loader === 'import' ? `await import(${JSON.stringify(name)})` : `require(${JSON.stringify(name)})`);
  const script = `(async () => {${first ? ` ${load(first)};` : ''} console.log(JSON.stringify(Object.keys(${load(specifier)}))); })()`;
  return JSON.parse(runNode(script)) as string[];
}

describe('the built package', () => {
  beforeAll(() => {
    if (!existsSync(resolve(ROOT, 'dist/index.js'))) throw new Error('dist/ is missing: run `npm run build` (npm test does) before this spec');
  });

  const cases = (Object.keys(PUBLIC_NAMES) as Entry[]).flatMap((entry) => (['import', 'require'] as const).map((loader) => [entry, loader] as const));

  // require() of ES modules (Angular's packages are ESM only) works in the Node versions Angular 20 and 21 need (^20.19, ^22.12, ≥24).
  it.each(cases)('exports every public name of %s with %s', (entry, loader) => {
    expect(exportedNames(entry, loader, LOADED_FIRST[entry])).toEqual(expect.arrayContaining([...PUBLIC_NAMES[entry]]));
  });

  it('checks the names of every entry of the exports map', () => {
    const pkg = JSON.parse(readFileSync(resolve(ROOT, 'package.json'), 'utf8')) as PackageJson;
    const entries = Object.keys(pkg.exports)
      .filter((key) => key !== './package.json')
      .map((key) => (key === '.' ? 'rx-anthropic' : `rx-anthropic/${key.slice(2)}`));
    expect(Object.keys(PUBLIC_NAMES).sort()).toEqual(entries.sort());
  });

  it('lets node10 resolution find the declarations of every subpath (typesVersions)', () => {
    const pkg = JSON.parse(readFileSync(resolve(ROOT, 'package.json'), 'utf8')) as PackageJson;
    const subpaths = Object.keys(pkg.exports)
      .filter((key) => key !== '.' && key !== './package.json')
      .map((key) => key.slice(2));
    expect(Object.keys(pkg.typesVersions['*'] ?? {}).sort()).toEqual(subpaths.sort());
    for (const subpath of subpaths) expect(existsSync(resolve(ROOT, pkg.typesVersions['*']![subpath]![0]!))).toBe(true);
  });

  it('streams through the built ESM and CJS builds alike', () => {
    const run = (loader: 'import' | 'require') => {
      const load = (name: string) => (loader === 'import' ? `await import('${name}')` : `require('${name}')`);
      const script = `(async () => {
        const { createClient, textDeltas } = ${load('rx-anthropic')};
        const { createMockServer, textReply } = ${load('rx-anthropic/testing')};
        const { lastValueFrom, toArray } = ${load('rxjs')};
        const server = await createMockServer([textReply('built ok')]);
        const client = createClient({ baseURL: server.baseURL, apiKey: 'k' });
        const parts = await lastValueFrom(client.messages.stream({ model: 'm', max_tokens: 8, messages: [{ role: 'user', content: 'hi' }] }).pipe(textDeltas(), toArray()));
        await server.close();
        console.log(parts.join(''));
      })()`;
      return runNode(script).trim();
    };
    expect(run('import')).toBe('built ok');
    expect(run('require')).toBe('built ok');
  });
});
