/**
 * Bundles the dashboard into one file with esbuild: `dist/index.html` and `dist/dashboard.js`,
 * served as static files by the proxy example. `npx tsx examples/dashboard/build.ts` runs it;
 * the browser spec runs it before each run. `rx-anthropic` resolves to the sources through the
 * root tsconfig's `paths`, so no package build is needed first.
 */
import { copyFile, mkdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { build } from 'esbuild';

/** Builds the dashboard found in `dir` (the folder of this file) into `dir/dist`; resolves with that folder. */
export async function buildDashboard(dir: string): Promise<string> {
  const outdir = join(dir, 'dist');
  await mkdir(outdir, { recursive: true });
  await build({
    entryPoints: [join(dir, 'dashboard.ts')],
    outfile: join(outdir, 'dashboard.js'),
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2020',
    minify: true,
    sourcemap: true,
    tsconfig: resolve(dir, '../../tsconfig.json'),
    logLevel: 'warning',
  });
  await copyFile(join(dir, 'index.html'), join(outdir, 'index.html'));
  return outdir;
}

if (/examples[\\/]dashboard[\\/]build\.ts$/.test(process.argv[1] ?? '')) {
  buildDashboard(dirname(resolve(process.argv[1]!))).then(
    (outdir) => console.log(`dashboard built in ${outdir}`),
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
