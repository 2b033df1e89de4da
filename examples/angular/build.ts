/**
 * Installs and builds the Angular example: `npx tsx examples/angular/build.ts` (the root's
 * `npm run build:examples` runs it, after `npm run build`); the Angular spec calls
 * {@link ensureAngularApp} too, so `npm test` on a fresh clone builds it when it is missing.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

// Under Jest this is CommonJS; run by tsx it is an ES module, started as the main script.
const HERE = typeof __dirname === 'string' ? __dirname : dirname(resolve(process.argv[1] ?? 'examples/angular/build.ts'));

/** The project root, the Angular example, and the folder its build serves. */
export const ROOT = resolve(HERE, '../..');
export const ANGULAR_DIR = join(ROOT, 'examples', 'angular');
export const ANGULAR_BROWSER_DIR = join(ANGULAR_DIR, 'dist', 'chat', 'browser');

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

/** A hash of the library as the app installs it: the package.json and dist/ (its `files`). */
function libraryHash(packageDir: string): string {
  const hash = createHash('sha256');
  for (const file of [join(packageDir, 'package.json'), ...filesUnder(join(packageDir, 'dist'))]) {
    if (file.endsWith('.map')) continue;
    hash.update(relative(packageDir, file)).update(readFileSync(file));
  }
  return hash.digest('hex');
}

function newestMtime(files: readonly string[]): number {
  return Math.max(0, ...files.filter(existsSync).map((file) => statSync(file).mtimeMs));
}

function run(command: string, args: readonly string[], log: (line: string) => void): void {
  const started = Date.now();
  log(`examples/angular: ${command} ${args.join(' ')}`);
  execFileSync(command, args, {
    cwd: ANGULAR_DIR,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, NG_CLI_ANALYTICS: 'false', NG_FORCE_TTY: 'false' },
  });
  log(`examples/angular: ${command} ${args[0] ?? ''} took ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

/**
 * Installs and builds the Angular example when it is missing or out of date, and answers the
 * folder to serve. Needs the root package built (`npm run build`: the app installs it from
 * `file:../..`). The install is `npm ci` on the example's own lockfile, redone when the
 * library's dist/ changed since; the build is `ng build` (production), redone when a source or
 * the installed library is newer than the output.
 */
export function ensureAngularApp(log: (line: string) => void = (line) => console.log(line)): string {
  if (!existsSync(join(ROOT, 'dist', 'index.js'))) {
    throw new Error('dist/ is missing: run `npm run build` first (the Angular example installs the built package from file:../..)');
  }
  const installed = join(ANGULAR_DIR, 'node_modules', 'rx-anthropic');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const reinstall = !existsSync(join(ANGULAR_DIR, 'node_modules', '.bin', 'ng')) || !existsSync(installed) || libraryHash(installed) !== libraryHash(ROOT);
  if (reinstall) run(npm, ['ci', '--no-audit', '--no-fund'], log);
  const output = join(ANGULAR_BROWSER_DIR, 'index.html');
  const inputs = [
    ...filesUnder(join(ANGULAR_DIR, 'src')),
    ...['angular.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.app.json'].map((file) => join(ANGULAR_DIR, file)),
  ];
  // A fresh install counts as a change: npm gives packed files an old fixed mtime.
  if (reinstall || !existsSync(output) || statSync(output).mtimeMs < newestMtime(inputs)) {
    run(npm, ['run', 'build', '--', '--configuration', 'production'], log);
  }
  return ANGULAR_BROWSER_DIR;
}

if (/examples[\\/]angular[\\/]build\.ts$/.test(process.argv[1] ?? '')) {
  try {
    console.log(`Angular example ready in ${relative(ROOT, ensureAngularApp())}`);
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  }
}
