import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { NPM_INSTALL_FLAGS, peerSpecs, ROOT } from '../package/support/packedPackage';
import { LOADED_FIRST, PUBLIC_NAMES, type Entry } from '../package/support/publicNames';
import { outputOf, runCommand, runCommandSync } from '../support/runCommand';

/**
 * The repository installs as a dependency from git, as `npm install git+https://…` does for a
 * user: npm clones it, installs its devDependencies in the clone, runs its `prepare` script
 * (which builds dist/) and installs what `npm pack` would publish. What this spec installs is the
 * last commit (HEAD) of this checkout, through `git+file://`: changes not committed are not in
 * it. A consumer project, with the peers each entry needs (rxjs; the MCP SDK for
 * rx-anthropic/mcp; ioredis for rx-anthropic/redis; @opentelemetry/api for rx-anthropic/otel; Angular for rx-anthropic/angular), then loads
 * every entry with `import` and with `require`, and streams a reply through the installed package.
 *
 * npm takes its packages from its cache when it has them (`--prefer-offline`; `npm ci` in the
 * repository filled it), else from the registry.
 */
const HEAD = outputOf(runCommandSync('git', ['rev-parse', 'HEAD'], { cwd: ROOT, timeoutMs: 10_000 })).trim();
const SOURCE = `git+${pathToFileURL(ROOT).href}#${HEAD}`;

/** What the consumer installs beside the package: the peers of every entry (`@angular/compiler` loads Angular's packages without a build). */
const PEERS = ['rxjs', '@modelcontextprotocol/sdk', 'ioredis', '@opentelemetry/api', '@angular/core', '@angular/common', '@angular/compiler'];

/** The clone, the install of every devDependency in it and the build: two minutes on a busy two-core machine. */
const INSTALL_TIMEOUT_MS = 360_000;
const NODE_TIMEOUT_MS = 20_000;

let consumer: string;

/** Runs a script in the consumer project, as an ES module or as CommonJS, and answers what it printed. */
async function runInConsumer(kind: 'import' | 'require', script: string): Promise<string> {
  const args = kind === 'import' ? ['--input-type=module', '-e', script] : ['-e', script];
  return outputOf(await runCommand(process.execPath, args, { cwd: consumer, timeoutMs: NODE_TIMEOUT_MS }));
}

function exportedNamesScript(kind: 'import' | 'require', entry: Entry): string {
  const first = LOADED_FIRST[entry];
  if (kind === 'require') return `${first ? `require('${first}');` : ''} console.log(JSON.stringify(Object.keys(require('${entry}'))));`;
  return `${first ? `import '${first}';` : ''} import * as entry from '${entry}'; console.log(JSON.stringify(Object.keys(entry)));`;
}

function streamScript(kind: 'import' | 'require'): string {
  const body = `
    const server = await createMockServer([textReply('installed from git')]);
    const client = createClient({ baseURL: server.baseURL, apiKey: 'k' });
    const parts = await lastValueFrom(client.messages.stream({ model: 'claude-sonnet-4-6', max_tokens: 8, messages: [{ role: 'user', content: 'hi' }] }).pipe(textDeltas(), toArray()));
    await server.close();
    console.log(parts.join(''));`;
  if (kind === 'import') {
    return `import { createClient, textDeltas } from 'rx-anthropic'; import { createMockServer, textReply } from 'rx-anthropic/testing'; import { lastValueFrom, toArray } from 'rxjs';${body}`;
  }
  return `const { createClient, textDeltas } = require('rx-anthropic'); const { createMockServer, textReply } = require('rx-anthropic/testing'); const { lastValueFrom, toArray } = require('rxjs'); (async () => {${body} })();`;
}

/** The files the `exports` map of a package.json names (its conditions nest). */
function exportTargets(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  return Object.values((value ?? {}) as Record<string, unknown>).flatMap(exportTargets);
}

describe(`the repository installed from git (its last commit, ${HEAD.slice(0, 7)}; changes not committed are not in it)`, () => {
  beforeAll(async () => {
    consumer = mkdtempSync(join(tmpdir(), 'rx-anthropic-git-consumer-'));
    writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'rx-anthropic-git-consumer', private: true }));
    outputOf(await runCommand('npm', ['install', ...NPM_INSTALL_FLAGS, SOURCE, ...peerSpecs(PEERS)], { cwd: consumer, timeoutMs: INSTALL_TIMEOUT_MS }));
  }, INSTALL_TIMEOUT_MS + 30_000);

  afterAll(() => {
    if (consumer) rmSync(consumer, { recursive: true, force: true });
  });

  it('is this commit of the repository', () => {
    const lock = JSON.parse(readFileSync(join(consumer, 'package-lock.json'), 'utf8')) as { packages: Record<string, { resolved?: string }> };
    expect(lock.packages['node_modules/rx-anthropic']?.resolved).toBe(SOURCE);
  });

  it('has dist/ built by prepare, every file its exports map names, and no sources', () => {
    const installed = join(consumer, 'node_modules/rx-anthropic');
    const pkg = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as { exports: unknown };
    const targets = exportTargets(pkg.exports).filter((target) => target !== './package.json');
    expect(targets.length).toBeGreaterThan(20);
    expect(targets.filter((target) => !existsSync(join(installed, target)))).toEqual([]);
    expect(existsSync(join(installed, 'lib'))).toBe(false);
  });

  const cases = (Object.keys(PUBLIC_NAMES) as Entry[]).flatMap((entry) => (['import', 'require'] as const).map((kind) => [entry, kind] as const));

  it.each(cases)('loads %s with %s', async (entry, kind) => {
    const names = JSON.parse(await runInConsumer(kind, exportedNamesScript(kind, entry))) as string[];
    expect(names).toEqual(expect.arrayContaining([...PUBLIC_NAMES[entry]]));
  }, NODE_TIMEOUT_MS + 5_000);

  it.each(['import', 'require'] as const)('streams a reply through the installed package with %s', async (kind) => {
    expect((await runInConsumer(kind, streamScript(kind))).trim()).toBe('installed from git');
  }, NODE_TIMEOUT_MS + 5_000);
});
