import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { posix, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';

/**
 * What a browser app pays for the package: the built ESM of `dist/` bundled by esbuild
 * (minified, rxjs left to the app), and what tree-shaking leaves out when only one operator is
 * imported. `tsconfigRaw: '{}'` keeps esbuild off this project's `paths`, which would point
 * `rx-anthropic` at `lib/`: the package resolves to itself through its `exports`, as an app's
 * `node_modules/rx-anthropic` would.
 */
const ROOT = resolve(__dirname, '../..');

async function bundle(source: string): Promise<string> {
  const result = await build({
    stdin: { contents: source, resolveDir: ROOT, loader: 'js' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    external: ['rxjs', 'rxjs/*'],
    write: false,
    logLevel: 'silent',
    tsconfigRaw: '{}',
  });
  return result.outputFiles[0]?.text ?? '';
}

/** What a built ESM file of dist/ loads: its `import … from '…'`, bare `import '…'` and `export … from '…'` specifiers. */
function specifiersIn(file: string): string[] {
  const code = readFileSync(resolve(ROOT, 'dist', file), 'utf8');
  return [...code.matchAll(/^(?:import (?:[^'"]*from )?|export [^'"]*from )['"]([^'"]+)['"]/gm)].map((match) => match[1]!);
}

/** A built ESM file of dist/ and every chunk it loads, directly or not (paths relative to dist/). */
function builtFilesOf(entry: string): string[] {
  const seen = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const specifier of specifiersIn(file)) if (specifier.startsWith('./')) visit(posix.join(posix.dirname(file), specifier));
  };
  visit(entry);
  return [...seen];
}

/**
 * The gzipped size of the whole core, in bytes; the README states it. 42,068 before Standard
 * Schema, frozen snapshots, the models' data, the key check, request logging and the telemetry
 * hooks (logLevel, logger, ANTHROPIC_LOG, createClient({ telemetry })): 46,682 with them (the
 * spans themselves are in rx-anthropic/otel), 47,711 with the Files and Models APIs too (paged
 * lists, download, collectBytes, toBlob), and 49,260 with Message Batches. 51,930 once the tool
 * loop, `parse`, Files, Models and Batches load at first use (`import()`): bundled into one file,
 * as here, esbuild wraps each module reached by `import()` in an init function and shakes less of
 * it; an app whose bundler splits code loads those modules only when it calls them. 57,167 with
 * the recoveries (continueOnDrop, fallback, hedge, timeouts by phase), loaded likewise at the
 * first request that asks for one.
 */
export const CORE_GZIP_LIMIT = 59_000;

describe('the browser bundle', () => {
  it(`keeps the whole core small (minified + gzip under ${CORE_GZIP_LIMIT} bytes)`, async () => {
    const code = await bundle(`export * from 'rx-anthropic';`);
    const gzipped = gzipSync(code, { level: 9 }).length;
    process.stdout.write(`core bundle: ${code.length} bytes minified, ${gzipped} bytes gzip\n`);
    expect(code).toContain('text_delta');
    expect(code).not.toMatch(/from"node:|require\("node:/);
    expect(gzipped).toBeLessThan(CORE_GZIP_LIMIT);
  });

  it('tree-shakes: an app importing only textDeltas gets neither the tool loop, the client, io-ts nor MCP', async () => {
    const only = await bundle(`import { textDeltas } from 'rx-anthropic'; console.log(textDeltas);`);
    const everything = await bundle(`export * from 'rx-anthropic';`);
    for (const marker of ['tool_loop_end', 'anthropic-version', 'Unable to parse tool parameter JSON']) {
      expect(everything).toContain(marker);
      expect(only).not.toContain(marker);
    }
    expect(only).not.toContain('UnsupportedMCPValueError');
    // io-ts names its codecs: none of the schema's should be left.
    expect(everything).toContain('RawMessageStreamEvent');
    expect(only).not.toContain('RawMessageStreamEvent');
    process.stdout.write(`textDeltas alone: ${only.length} bytes minified, ${gzipSync(only, { level: 9 }).length} bytes gzip\n`);
    expect(only.length).toBeLessThan(everything.length / 10);
  });

  it('tree-shakes structured output: an app importing only createClient and finalMessage gets no output decoding, lazy parsing, schema transform or output tracking', async () => {
    const only = await bundle(`import { createClient, finalMessage } from 'rx-anthropic'; console.log(createClient, finalMessage);`);
    const everything = await bundle(`export * from 'rx-anthropic';`);
    // The incremental JSON parser itself stays: the accumulator reads tool input with it.
    const markers = [
      'The structured output does not match its codec', // OutputValidationError, thrown only by a codec's check
      'rx-anthropic output decoder', // the symbol outputFormat keeps its codec under
      'Cannot use this schema as a structured output format', // toStructuredOutputSchema
      'characters of output text', // partialOutput's and finalOutput's tracker
    ];
    for (const marker of markers) {
      expect({ marker, inCore: everything.includes(marker) }).toEqual({ marker, inCore: true });
      expect({ marker, inApp: only.includes(marker) }).toEqual({ marker, inApp: false });
    }
    process.stdout.write(`createClient + finalMessage: ${only.length} bytes minified, ${gzipSync(only, { level: 9 }).length} bytes gzip\n`);
  });

  it('keeps the server-only entries out of the core: no proxy, no mock server', async () => {
    const everything = await bundle(`export * from 'rx-anthropic';`);
    expect(everything).not.toContain('createProxyHandler');
    expect(everything).not.toContain('This proxy did not authorize');
    expect(everything).not.toContain('createMockServer');
  });

  it('keeps Angular out of every entry but rx-anthropic/angular: no built file the others load imports it', async () => {
    const everything = await bundle(`export * from 'rx-anthropic';`);
    expect(everything).not.toMatch(/@angular|InjectionToken|HttpClient/);
    expect(builtFilesOf('index.js').length).toBeGreaterThan(1); // its modules are followed too
    for (const entry of ['index', 'testing', 'mcp', 'proxy']) {
      for (const file of builtFilesOf(`${entry}.js`)) expect({ file, imports: specifiersIn(file).filter((s) => s.startsWith('@angular/')) }).toEqual({ file, imports: [] });
    }
    // Angular is imported by the Angular entry's own modules only, never by a module it shares with the others.
    const importers = builtFilesOf('angular.js').filter((file) => specifiersIn(file).some((s) => s.startsWith('@angular/')));
    expect(importers.length).toBeGreaterThan(0);
    for (const file of importers) expect(file).toMatch(/^esm\/angular\//);
    expect(importers.flatMap(specifiersIn)).toEqual(expect.arrayContaining(['@angular/core', '@angular/common/http']));
  });

  it('builds the proxy on Node, the core and rate-limiter-flexible alone: no Express, no MCP SDK', () => {
    const files = builtFilesOf('proxy.js');
    expect(files.length).toBeGreaterThan(1);
    for (const file of files) {
      for (const specifier of specifiersIn(file)) expect({ file, specifier }).toEqual({ file, specifier: expect.stringMatching(/^(node:|rxjs|rate-limiter-flexible$|\.{1,2}\/)/) });
    }
  });

  it('keeps ioredis to the types of rx-anthropic/redis (the app gives its own client): no built file imports it', () => {
    expect(readFileSync(resolve(ROOT, 'dist', 'redis.d.ts'), 'utf8')).toMatch(/from 'ioredis'/);
    for (const entry of ['index', 'testing', 'mcp', 'proxy', 'angular', 'redis']) {
      for (const file of builtFilesOf(`${entry}.js`)) expect({ file, imports: specifiersIn(file).filter((s) => s === 'ioredis') }).toEqual({ file, imports: [] });
    }
    for (const file of builtFilesOf('redis.js')) {
      for (const specifier of specifiersIn(file)) expect({ file, specifier }).toEqual({ file, specifier: expect.stringMatching(/^(node:|rxjs|rate-limiter-flexible$|\.{1,2}\/)/) });
    }
  });

  it('keeps @standard-schema/spec to the types (its interfaces describe the schemas an app gives): no built file imports it', () => {
    expect(readFileSync(resolve(ROOT, 'dist', 'index.d.ts'), 'utf8')).toMatch(/from '@standard-schema\/spec'/);
    for (const entry of ['index', 'testing', 'mcp', 'proxy', 'angular', 'redis', 'otel']) {
      for (const file of builtFilesOf(`${entry}.js`)) expect({ file, imports: specifiersIn(file).filter((s) => s.startsWith('@standard-schema/')) }).toEqual({ file, imports: [] });
    }
  });

  it('keeps @opentelemetry/api (an optional peer) to rx-anthropic/otel: the core and the other entries neither import it nor carry the spans', async () => {
    const everything = await bundle(`export * from 'rx-anthropic';`);
    expect(everything).not.toContain('gen_ai.provider.name');
    for (const entry of ['index', 'testing', 'mcp', 'proxy', 'angular', 'redis']) {
      for (const file of builtFilesOf(`${entry}.js`)) expect({ file, imports: specifiersIn(file).filter((s) => s.startsWith('@opentelemetry/')) }).toEqual({ file, imports: [] });
    }
    expect(builtFilesOf('otel.js').flatMap(specifiersIn)).toContain('@opentelemetry/api');
  });

  it('ships one ESM file per module, so that an app bundles only the modules it reaches', () => {
    // One file per entry would keep every top-level statement of the entry (codecs, symbols) in the app.
    const files = builtFilesOf('index.js');
    expect(files).toEqual(expect.arrayContaining(['esm/operators/textDeltas.js', 'esm/accumulate/PartialJsonParser.js']));
  });
});
