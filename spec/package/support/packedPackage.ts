import { execFile, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * The built package as a user gets it: `npm pack`ed, then `npm install`ed from the tarball into a
 * throw-away project outside the repository, with the peers an app brings itself (rxjs, the MCP
 * SDK, Node's types). Specs that type-check programs against it share one install per build: the
 * folder is named by a hash of `dist/` and `package.json`, and the first spec to get there builds
 * it under a lock while the others wait.
 */
export const ROOT = resolve(__dirname, '../../..');

/** A program of a consumer project failed to type-check: the compiler's own words. */
export interface CompileResult {
  readonly ok: boolean;
  readonly output: string;
}

const INSTALL_TIMEOUT_MS = 150_000;

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(path) : [path];
  });
}

/**
 * What a consumer project brings besides the package: its peers (ioredis for `rx-anthropic/redis`),
 * Node's types, Express and jest's types for the documented snippets, and Angular (the peers of `rx-anthropic/angular`, and
 * `platform-browser` for the documented app's `bootstrapApplication`).
 */
const CONSUMER_PACKAGES = [
  'rxjs',
  '@modelcontextprotocol/sdk',
  'ioredis',
  '@types/node',
  'express',
  '@types/express',
  '@types/jest',
  '@angular/core',
  '@angular/common',
  '@angular/platform-browser',
];

function buildHash(): string {
  const hash = createHash('sha256').update(CONSUMER_PACKAGES.join());
  for (const file of [join(ROOT, 'package.json'), ...filesUnder(join(ROOT, 'dist')).sort()]) {
    hash.update(file).update(readFileSync(file));
  }
  return hash.digest('hex').slice(0, 16);
}

/** The version of a package the repository has installed, so the consumer gets the same one from npm's cache. */
function installedVersion(name: string): string {
  return (JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
}

async function waitFor(path: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!existsSync(path)) {
    if (Date.now() > deadline) throw new Error(`gave up waiting ${timeoutMs} ms for ${path}`);
    await new Promise((wake) => setTimeout(wake, 250));
  }
}

function install(dir: string): void {
  mkdirSync(dir, { recursive: true });
  const packed = JSON.parse(
    execFileSync('npm', ['pack', '--json', '--pack-destination', dir], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }),
  ) as { filename: string }[];
  const tarball = join(dir, packed[0]!.filename);
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'rx-anthropic-consumer', private: true }, null, 2));
  const peers = CONSUMER_PACKAGES.map((name) => `${name}@${installedVersion(name)}`);
  execFileSync('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error', tarball, ...peers], {
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: INSTALL_TIMEOUT_MS,
  });
}

/**
 * The folder of a consumer project with the packed package installed (built on first call).
 * `dist/` must exist: `npm test` builds before it runs the specs.
 */
export async function packedConsumer(): Promise<string> {
  if (!existsSync(join(ROOT, 'dist/index.js'))) throw new Error('dist/ is missing: run `npm run build` (npm test does) before this spec');
  const dir = join(tmpdir(), `rx-anthropic-consumer-${buildHash()}`);
  const ready = join(dir, '.ready');
  if (existsSync(ready)) return dir;
  const lock = `${dir}.lock`;
  try {
    mkdirSync(lock);
  } catch {
    // Another spec is installing: a lock older than the install timeout was left by a killed run.
    if (Date.now() - statSync(lock).mtimeMs < INSTALL_TIMEOUT_MS + 10_000) {
      await waitFor(ready, INSTALL_TIMEOUT_MS + 10_000);
      return dir;
    }
  }
  try {
    rmSync(dir, { recursive: true, force: true });
    install(dir);
    writeFileSync(ready, '');
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
  return dir;
}

/** The two compilers a consumer may have: the project's TypeScript 5 and TypeScript 7 (`typescript-7`). */
export const COMPILERS = {
  ts5: join(ROOT, 'node_modules/typescript/bin/tsc'),
  ts7: join(ROOT, 'node_modules/typescript-7/bin/tsc'),
} as const;

export type Compiler = keyof typeof COMPILERS;

/** Type-checks the project whose `tsconfig.json` is in `projectDir` (asynchronously, so checks can run side by side). */
export function typeCheck(compiler: Compiler, projectDir: string): Promise<CompileResult> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      [COMPILERS[compiler], '-p', join(projectDir, 'tsconfig.json')],
      { cwd: projectDir, encoding: 'utf8', timeout: 120_000 },
      (error, stdout, stderr) => done({ ok: error === null, output: `${stdout}${stderr}`.trim() }),
    );
  });
}
