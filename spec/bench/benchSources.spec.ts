import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { sourcesEnvironment } from '../../bench/benchSources';

const ROOT = path.resolve(__dirname, '../..');

/** What `rx-anthropic` resolves to in a bench child started with the environment of `sources`. */
function resolvedIn(sources: 'dist' | 'lib'): string {
  const result = spawnSync(process.execPath, ['--import', 'tsx', path.join(__dirname, 'support', 'whichRxAnthropic.ts')], {
    cwd: ROOT,
    env: { ...process.env, ...sourcesEnvironment(ROOT, sources) },
    encoding: 'utf8',
    timeout: 30_000,
  });
  if (result.error) throw new Error(`the child did not run: ${result.error.message} (timed out after 30 s?)`);
  return result.stdout;
}

describe('which rx-anthropic the bench measures', () => {
  it('resolves rx-anthropic to the built package by default, and to the sources with BENCH_SOURCES=lib', () => {
    // npm test builds dist/ before the specs run.
    expect(existsSync(path.join(ROOT, 'dist', 'index.js'))).toBe(true);
    expect(resolvedIn('dist')).toBe('dist');
    expect(resolvedIn('lib')).toBe('lib');
  });
});
