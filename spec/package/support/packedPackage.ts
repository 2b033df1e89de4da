import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { outputOf, runCommand } from '../../support/runCommand';

/**
 * The built package as a user gets it: `npm pack`ed, then `npm install`ed from the tarball into a
 * throw-away project outside the repository, with the peers an app brings itself (rxjs, the MCP
 * SDK, Node's types). Specs that type-check programs against it share one install per build: the
 * folder is named by a hash of `dist/` and `package.json`, and the first spec to get there builds
 * it under a lock while the others wait.
 */
export const ROOT = resolve(__dirname, '../../..');

/** How the type-check of a consumer project went: the compiler's own words. */
export interface CompileResult {
  readonly ok: boolean;
  /** The compiler ran to its end: it was neither killed for its time nor by a signal (then `output` says so). */
  readonly finished: boolean;
  readonly output: string;
}

const PACK_TIMEOUT_MS = 60_000;
const INSTALL_TIMEOUT_MS = 150_000;
/** A type-check of a consumer project takes 3 to 20 s (skipLibCheck: false reads every declaration of the peers). */
const TYPE_CHECK_TIMEOUT_MS = 120_000;

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(path) : [path];
  });
}

/**
 * What a consumer project brings besides the package: its peers (ioredis for `rx-anthropic/redis`, `@opentelemetry/api` for `rx-anthropic/otel`),
 * Node's types, Express and jest's types for the documented snippets, and Angular (the peers of `rx-anthropic/angular`, and
 * `platform-browser` for the documented app's `bootstrapApplication`).
 */
const CONSUMER_PACKAGES = [
  'rxjs',
  '@modelcontextprotocol/sdk',
  'ioredis',
  '@opentelemetry/api',
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
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for another spec's install to write ${path}`);
    await new Promise((wake) => setTimeout(wake, 250));
  }
}

/** The peers a consumer project installs beside the package, at the versions the repository has (npm's cache holds them). */
export function peerSpecs(names: readonly string[]): string[] {
  return names.map((name) => `${name}@${installedVersion(name)}`);
}

/** npm install's flags for the specs: from npm's cache when it has the package, and quiet. */
export const NPM_INSTALL_FLAGS = ['--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'] as const;

async function install(dir: string): Promise<void> {
  mkdirSync(dir, { recursive: true });
  // --ignore-scripts: packing runs `prepare` otherwise, which may rebuild dist/ under the specs that read it.
  const packOutput = outputOf(await runCommand('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', dir], { cwd: ROOT, timeoutMs: PACK_TIMEOUT_MS }));
  const packed = JSON.parse(packOutput) as { filename: string }[];
  const tarball = join(dir, packed[0]!.filename);
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'rx-anthropic-consumer', private: true }, null, 2));
  outputOf(await runCommand('npm', ['install', ...NPM_INSTALL_FLAGS, '--ignore-scripts', tarball, ...peerSpecs(CONSUMER_PACKAGES)], { cwd: dir, timeoutMs: INSTALL_TIMEOUT_MS }));
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
    await install(dir);
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

/**
 * Type-checks the project whose `tsconfig.json` is in `projectDir` (asynchronously, so checks can
 * run side by side). A compiler killed for its time, or by a signal, says so in `output`.
 */
export async function typeCheck(compiler: Compiler, projectDir: string): Promise<CompileResult> {
  const result = await runCommand(process.execPath, [COMPILERS[compiler], '-p', join(projectDir, 'tsconfig.json')], { cwd: projectDir, timeoutMs: TYPE_CHECK_TIMEOUT_MS });
  const printed = `${result.stdout}${result.stderr}`.trim();
  const killed = result.timedOut || result.signal !== null;
  return { ok: result.ok, finished: !killed, output: killed ? `${result.summary}${printed ? `; it printed:\n${printed}` : ''}` : printed };
}
