// Builds every entry as ESM (.js) and CommonJS (.cjs) with shared chunks, and bundles the
// declarations per entry (.d.ts, copied to .d.cts for `require` users).
import typescript from '@rollup/plugin-typescript';
import { dts } from 'rollup-plugin-dts';
import { copyFileSync } from 'node:fs';

const entries = {
  index: 'lib/index.ts',
  testing: 'lib/testing/index.ts',
  mcp: 'lib/mcp/index.ts',
};

const external = (id) => /^(rxjs|eventsource-parser|io-ts|fp-ts|@modelcontextprotocol\/sdk)(\/|$)/.test(id) || id.startsWith('node:');

const copyCjsDeclarations = {
  name: 'copy-cjs-declarations',
  writeBundle(_options, bundle) {
    for (const file of Object.keys(bundle)) {
      if (file.endsWith('.d.ts')) copyFileSync(`dist/${file}`, `dist/${file.replace(/\.d\.ts$/, '.d.cts')}`);
    }
  },
};

export default [
  {
    input: entries,
    external,
    plugins: [typescript({ tsconfig: './tsconfig.build.json' })],
    output: [
      { dir: 'dist', format: 'es', entryFileNames: '[name].js', chunkFileNames: 'chunks/[name]-[hash].js', sourcemap: true },
      { dir: 'dist', format: 'cjs', entryFileNames: '[name].cjs', chunkFileNames: 'chunks/[name]-[hash].cjs', sourcemap: true, exports: 'named' },
    ],
  },
  {
    input: entries,
    external,
    plugins: [dts({ tsconfig: './tsconfig.build.json' }), copyCjsDeclarations],
    output: { dir: 'dist', format: 'es', entryFileNames: '[name].d.ts', chunkFileNames: 'chunks/[name]-[hash].d.ts' },
  },
];
