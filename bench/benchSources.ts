import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

/**
 * Which rx-anthropic the bench's children measure: `dist` (default), the built package, what an
 * application runs; `lib` (`BENCH_SOURCES=lib`), the TypeScript sources as tsx runs them, whose
 * transform adds a `__name` call to every function it creates (bench/NOTES.md, "The recovery
 * options"). The official SDK and the other libraries are measured as built either way.
 */
export type BenchSources = 'dist' | 'lib';

/** The sources `BENCH_SOURCES` asks for; anything but `lib` is `dist`. */
export function benchSources(): BenchSources {
  return process.env['BENCH_SOURCES'] === 'lib' ? 'lib' : 'dist';
}

/** The environment that makes a child's tsx resolve `rx-anthropic` to `sources` (its tsconfig's `paths`). */
export function sourcesEnvironment(root: string, sources: BenchSources): Record<string, string> {
  return sources === 'dist' ? { TSX_TSCONFIG_PATH: path.join(root, 'bench', 'tsconfig.dist.json') } : {};
}

/**
 * Builds dist/ when it is missing or older than its sources (scripts/buildWhenStale.mjs, the
 * `prepare` script), so that a bench of the built package never measures an old build.
 *
 * @throws Error when the build fails.
 */
export function ensureBuilt(root: string): void {
  const result = spawnSync(process.execPath, [path.join(root, 'scripts', 'buildWhenStale.mjs')], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`building dist/ for the bench failed (exit ${result.status ?? result.signal})`);
}
