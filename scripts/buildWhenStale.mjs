// The `prepare` script: builds dist/ (`npm run build`) when a file the package's `exports` name is
// missing, or when a source it is built from (lib/, the Rollup and TypeScript configs,
// package.json) was changed after it. npm runs it after installing the repository itself (a
// clone, `npm ci`), when a project installs the repository from git (then in a fresh clone,
// with no dist/), when a project links it (`file:`, as examples/angular does), and before
// `npm pack`. A dist/ newer than its sources is left as it is: linking or packing the package
// does not rebuild it under specs that read it.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const SOURCES = ['lib', 'rollup.config.mjs', 'tsconfig.json', 'tsconfig.build.json', 'package.json'];

/** The file paths under an entry of `exports` (its conditions nest). */
function targetsOf(value) {
  if (typeof value === 'string') return [value];
  return Object.values(value ?? {}).flatMap(targetsOf);
}

function filesUnder(path) {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path).flatMap((name) => filesUnder(join(path, name)));
}

/** Why dist/ must be built, or `undefined` when it is complete and newer than every source. */
function staleReason() {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const outputs = targetsOf(pkg.exports).filter((target) => target.startsWith('./dist/'));
  const missing = outputs.find((output) => !existsSync(join(ROOT, output)));
  if (missing !== undefined) return `${missing} is missing`;
  const oldestOutput = Math.min(...outputs.map((output) => statSync(join(ROOT, output)).mtimeMs));
  const newer = SOURCES.flatMap((source) => filesUnder(join(ROOT, source))).find((file) => statSync(file).mtimeMs > oldestOutput);
  return newer === undefined ? undefined : `${newer.slice(ROOT.length + 1)} changed after dist/ was built`;
}

const reason = staleReason();
if (reason === undefined) {
  console.log('dist/ is up to date with lib/: not rebuilt');
} else {
  console.log(`Building dist/: ${reason}`);
  // npm_execpath is the npm that runs this script; a plain `npm` when run by hand.
  const npm = process.env.npm_execpath;
  const result = npm ? spawnSync(process.execPath, [npm, 'run', 'build'], { cwd: ROOT, stdio: 'inherit' }) : spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit', shell: process.platform === 'win32' });
  if (result.error) throw result.error;
  process.exitCode = result.status ?? 1;
}
