// Builds every entry as ESM (.js) and CommonJS (.cjs) with shared chunks, and bundles the
// declarations per entry (.d.ts, and a .d.cts twin for `require` users).
import typescript from '@rollup/plugin-typescript';
import { dts } from 'rollup-plugin-dts';
import { readFileSync, writeFileSync } from 'node:fs';

const entries = {
  index: 'lib/index.ts',
  testing: 'lib/testing/index.ts',
  mcp: 'lib/mcp/index.ts',
  proxy: 'lib/proxy/index.ts',
  angular: 'lib/angular/index.ts',
  redis: 'lib/redis/index.ts',
  otel: 'lib/otel/index.ts',
};

const external = (id) => /^(rxjs|eventsource-parser|io-ts|fp-ts|@standard-schema\/spec|rate-limiter-flexible|ioredis|@opentelemetry\/api|@modelcontextprotocol\/sdk|@angular\/[^/]+)(\/|$)/.test(id) || id.startsWith('node:');

// A `.d.cts` file is read as CommonJS, so its relative imports must name the CommonJS twins
// (`./chunks/errors-….cjs` → `errors-….d.cts`): left as `.js`, they would reach ESM declarations,
// which a CommonJS program may not import (TS1479 under node16 without skipLibCheck).
const relativeJsSpecifier = /(from\s+|import\s*\(?\s*)(['"])(\.{1,2}\/[^'"]+)\.js\2/g;

const writeCjsDeclarations = {
  name: 'write-cjs-declarations',
  writeBundle(_options, bundle) {
    for (const file of Object.keys(bundle)) {
      if (!file.endsWith('.d.ts')) continue;
      const text = readFileSync(`dist/${file}`, 'utf8').replace(relativeJsSpecifier, '$1$2$3.cjs$2');
      writeFileSync(`dist/${file.replace(/\.d\.ts$/, '.d.cts')}`, text);
    }
  },
};

/** An entry's own file keeps its name (`dist/testing.js`); every other module goes under `dist/esm/`. */
function esmFileName(chunk) {
  const entry = Object.entries(entries).find(([, path]) => chunk.facadeModuleId?.endsWith(path));
  return entry ? `${entry[0]}.js` : 'esm/[name].js';
}

export default [
  {
    input: entries,
    external,
    plugins: [typescript({ tsconfig: './tsconfig.build.json' })],
    output: [
      {
        dir: 'dist',
        format: 'es',
        // One file per module, so that a bundler drops every module an app does not reach
        // (`sideEffects: false`); in one file per entry it keeps their top-level code.
        preserveModules: true,
        preserveModulesRoot: 'lib',
        entryFileNames: esmFileName,
        sourcemap: true,
      },
      { dir: 'dist', format: 'cjs', entryFileNames: '[name].cjs', chunkFileNames: 'chunks/[name]-[hash].cjs', sourcemap: true, exports: 'named' },
    ],
  },
  {
    input: entries,
    external,
    plugins: [dts({ tsconfig: './tsconfig.build.json' }), writeCjsDeclarations],
    output: { dir: 'dist', format: 'es', entryFileNames: '[name].d.ts', chunkFileNames: 'chunks/[name]-[hash].d.ts' },
  },
];
