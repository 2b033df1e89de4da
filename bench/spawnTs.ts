import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchSources, sourcesEnvironment } from './benchSources';

/** The project root (the parent of `bench/`), the working directory of every child. */
export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const live = new Set<ChildProcess>();

/**
 * Starts `bench/<script>` in a new Node process that runs TypeScript through tsx, with
 * `rx-anthropic` resolved to the built package (bench/tsconfig.dist.json's `paths`), or to the
 * sources with `BENCH_SOURCES=lib` (tsconfig.json's), with an IPC channel and the parent's
 * stdout and stderr. The process is killed if the runner exits first. `NODE_ENV` is the parent's,
 * `production` when it has none: the library then does not freeze its values, as in an
 * application's production (`NODE_ENV=development npm run bench` measures it freezing them).
 */
export function spawnTs(script: string, argument: unknown, nodeArgs: readonly string[] = []): ChildProcess {
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', path.join(PROJECT_ROOT, 'bench', script), JSON.stringify(argument)], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, ...sourcesEnvironment(PROJECT_ROOT, benchSources()), NODE_ENV: process.env['NODE_ENV'] ?? 'production' },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  live.add(child);
  child.on('exit', () => live.delete(child));
  return child;
}

/** Kills the children still running (each by its own handle); for the runner's exit. */
export function killLiveChildren(): void {
  for (const child of live) child.kill('SIGKILL');
}
