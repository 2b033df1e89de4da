// First: it loads @angular/compiler, and sets up TestBed in Node, as the Angular CLI's test runner would.
import './support/angularTestBed';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
// The walkthrough's own spec, run here as it is shown (saved as chat.test.ts, so that jest runs it only from here).
import './walkthrough/src/app/chat.test';
// The same with Jasmine's matchers (Angular 20's Karma set-up), run here with the one it uses.
import './walkthrough/src/app/chat.jasmine.test';

(globalThis as { jasmine?: unknown }).jasmine = { objectContaining: expect.objectContaining };

/**
 * docs/angular.md walks through a standalone app whose files are in `spec/angular/walkthrough/`
 * (type-checked with the rest of `spec/`): each block between `<!-- walkthrough:begin -->` and
 * `<!-- walkthrough:end -->` names its file on its first line (`// src/app/chat.ts`, as the
 * snippet type-check expects) and must be that file, so that the documented test is one that
 * passes (it runs above). The specs the page shows as `src/app/chat.spec.ts` and
 * `src/app/chat.jasmine.spec.ts` (for Angular 20's Jasmine) are saved as `*.test.ts`: jest would
 * otherwise run them alone, without the Node set-up of TestBed.
 */
const ROOT = resolve(__dirname, '../..');
const SHOWN = ['src/app/app.config.ts', 'src/app/chat.ts', 'src/main.ts', 'src/app/chat.spec.ts', 'src/app/chat.jasmine.spec.ts'];

describe('the walkthrough of docs/angular.md', () => {
  const doc = readFileSync(resolve(ROOT, 'docs/angular.md'), 'utf8');
  const blocks = [...doc.matchAll(/<!-- walkthrough:begin -->\n```ts\n\/\/ (\S+)\n([\s\S]*?)```\n<!-- walkthrough:end -->/g)].map(([, path, code]) => ({ path, code }));

  it('shows the providers, the component, the bootstrap and the specs, in that order', () => {
    expect(blocks.map((block) => block.path)).toEqual(SHOWN);
  });

  it.each(SHOWN)('shows %s exactly as it is', (path) => {
    const file = resolve(__dirname, 'walkthrough', path.replace(/\.spec\.ts$/, '.test.ts'));
    expect(blocks.find((block) => block.path === path)?.code).toBe(readFileSync(file, 'utf8'));
  });
});
