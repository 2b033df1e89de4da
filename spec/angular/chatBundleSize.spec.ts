import { buildSync } from 'esbuild';
import { resolve } from 'node:path';
import { gzipSync } from 'node:zlib';

/**
 * What rx-anthropic adds to a chat-only Angular app: `provideAnthropic`, `injectChatStore` and
 * `messageText` bundled as the Angular CLI's esbuild bundles them for production (minified, ES
 * modules, tree-shaken), with Angular and RxJS left out (the app has them anyway) and the
 * package's own dependencies (io-ts, fp-ts, eventsource-parser) in. docs/angular.md states the
 * figures; the ceilings keep them from growing unnoticed: raise one only on purpose, with the docs.
 */

const ROOT = resolve(__dirname, '../..');
/**
 * Measured at 111 kB minified and 37.6 kB gzipped; 124.5 kB and 42.3 kB with request logging and
 * the Files, Models and Batches APIs (on the client object, so in every app). The ceilings leave a
 * few kB.
 */
const CEILING = { minified: 128_000, gzipped: 44_000 };

function chatOnlyBundle(): { minified: number; gzipped: number; inputs: string[] } {
  const result = buildSync({
    stdin: {
      contents: "import { injectChatStore, messageText, provideAnthropic } from './lib/angular/index.ts';\nexport { injectChatStore, messageText, provideAnthropic };\n",
      resolveDir: ROOT,
      loader: 'ts',
    },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    // The app's own packages, and optional peers an app installs only when it uses them.
    external: ['@angular/*', 'rxjs', 'rxjs/*', '@opentelemetry/*'],
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0]!.contents;
  return { minified: code.length, gzipped: gzipSync(code).length, inputs: Object.keys(result.metafile.inputs) };
}

describe('a chat-only Angular app', () => {
  it(`bundles at most ${CEILING.minified / 1000} kB minified and ${CEILING.gzipped / 1000} kB gzipped of rx-anthropic`, () => {
    const { minified, gzipped, inputs } = chatOnlyBundle();
    expect(inputs.some((input) => input.includes('injectChatStore'))).toBe(true);
    expect(minified).toBeLessThanOrEqual(CEILING.minified);
    expect(gzipped).toBeLessThanOrEqual(CEILING.gzipped);
  });

  it('does not bundle the proxy, MCP, Redis or the mock server', () => {
    const { inputs } = chatOnlyBundle();
    expect(inputs.filter((input) => /lib\/(proxy|mcp|redis|testing)\//.test(input))).toEqual([]);
  });
});
