import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { packedConsumer, ROOT, typeCheck, type CompileResult, type Compiler } from '../package/support/packedPackage';

/**
 * The packed package type-checks in the projects users have: ESM and CommonJS under node16, a
 * bundler, the old node10 resolution, and TypeScript 7 as well as 5; always with
 * `skipLibCheck: false`, so the package's own declarations are checked, not only used.
 *
 * The program uses every entry, and each entry's `@ts-expect-error` line proves its types
 * resolved to real types: had an import fallen back to `any`, the line would not be an error and
 * the compiler would report the unused directive.
 *
 * The projects differ only in their package.json and tsconfig.json: they sit beside one install
 * of the packed package, and their checks run side by side. `npm run test:install` runs this
 * spec (a CI step of its own), not `npm test`: the checks take one to two minutes of CPU.
 */
const PROGRAM = `import { lastValueFrom, type Observable } from 'rxjs';
import { createClient, finalMessage, textDeltas, type Message, type RawMessageStreamEvent } from 'rx-anthropic';
import { createMockServer, textReply } from 'rx-anthropic/testing';
import { mcpMessage, mcpTool } from 'rx-anthropic/mcp';
import { createProxyHandler } from 'rx-anthropic/proxy';
import { redisLimitStore } from 'rx-anthropic/redis';
import type { Redis } from 'ioredis';

export async function main(): Promise<string> {
  const server = await createMockServer([textReply('Hello')]);
  const client = createClient({ apiKey: 'sk-test', baseURL: server.baseURL });
  const events$: Observable<RawMessageStreamEvent> = client.messages.stream({
    model: 'claude-sonnet-4-6',
    max_tokens: 16,
    messages: [mcpMessage({ role: 'user', content: { type: 'text', text: 'Hi' } })],
  });
  const message: Message = await lastValueFrom(events$.pipe(finalMessage()));
  const text$: Observable<string> = events$.pipe(textDeltas());
  // @ts-expect-error a stream of text is not a stream of numbers
  const numbers$: Observable<number> = text$;
  // @ts-expect-error the mock server's text reply takes a string
  textReply(42);
  // @ts-expect-error an MCP tool needs a client
  mcpTool({ name: 'echo', inputSchema: { type: 'object' } });
  const handler = createProxyHandler({ client, authorize: () => ({ user: 'u1' }) });
  // @ts-expect-error a relay needs authorize: who may spend the key
  const unauthorized = () => createProxyHandler({ client });
  // @ts-expect-error a proxy handler is a function, not a server
  handler.listen(8787);
  await server.close();
  return message.id + String(numbers$) + typeof unauthorized;
}

export const sharedLimits = (redis: Redis) => createProxyHandler({ client: createClient({ apiKey: 'sk-test' }), authorize: () => ({ user: 'u1' }), limitStore: redisLimitStore(redis) });
// @ts-expect-error a Redis limit store takes an ioredis client, not a URL
export const byURL = () => redisLimitStore('redis://127.0.0.1:6379');
`;

/**
 * The part of the program that uses `rx-anthropic/angular`, in the modes where Angular's own
 * types resolve. Angular ships ES modules only, with types for `exports` resolution only: a
 * CommonJS program under node16 cannot import them (TS1479, for `@angular/core` itself as for
 * this entry, whose `.d.cts` imports it), and node10 resolution cannot find `@angular/common/http`
 * at all. Under nodenext, where TypeScript allows require() of ES modules as Node 20.19+ does, a
 * CommonJS program can.
 */
const ANGULAR_PROGRAM = `
import { provideHttpClient, withFetch } from '@angular/common/http';
import { injectChatStore, provideAnthropic, type ChatStore } from 'rx-anthropic/angular';

export const providers = [provideHttpClient(withFetch()), provideAnthropic({ baseURL: '/api', params: { model: 'claude-sonnet-4-6', max_tokens: 256 } })];
export const chatStore = (): ChatStore => injectChatStore();
// @ts-expect-error a chat store sends a prompt, not a number
export const wrongPrompt = (chat: ChatStore) => chat.send(42);
`;

interface Mode {
  name: string;
  packageType: 'module' | 'commonjs';
  module: string;
  moduleResolution: string;
  /** Whether the program uses rx-anthropic/angular too (see {@link ANGULAR_PROGRAM}). */
  angular: boolean;
}

const MODES: Record<string, Mode> = {
  'ESM, node16': { name: 'esm-node16', packageType: 'module', module: 'node16', moduleResolution: 'node16', angular: true },
  'CommonJS, node16': { name: 'cjs-node16', packageType: 'commonjs', module: 'node16', moduleResolution: 'node16', angular: false },
  'CommonJS, nodenext': { name: 'cjs-nodenext', packageType: 'commonjs', module: 'nodenext', moduleResolution: 'nodenext', angular: true },
  bundler: { name: 'bundler', packageType: 'module', module: 'esnext', moduleResolution: 'bundler', angular: true },
  node10: { name: 'node10', packageType: 'commonjs', module: 'commonjs', moduleResolution: 'node10', angular: false },
};

const CASES: [Compiler, keyof typeof MODES][] = [
  ['ts5', 'ESM, node16'],
  ['ts5', 'CommonJS, node16'],
  ['ts5', 'CommonJS, nodenext'],
  ['ts5', 'bundler'],
  ['ts5', 'node10'],
  ['ts7', 'ESM, node16'],
  ['ts7', 'CommonJS, node16'],
  ['ts7', 'bundler'],
];

/** A consumer project in its own folder beside the install: its package.json sets the module format. */
function writeProject(consumer: string, compiler: Compiler, mode: Mode): string {
  const dir = join(consumer, `${compiler}-${mode.name}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: `consumer-${compiler}-${mode.name}`, private: true, type: mode.packageType }));
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        lib: ['ES2022', 'DOM'],
        module: mode.module,
        moduleResolution: mode.moduleResolution,
        types: ['node'],
        strict: true,
        skipLibCheck: false,
        noEmit: true,
        esModuleInterop: true,
      },
      files: ['program.ts'],
    }),
  );
  writeFileSync(join(dir, 'program.ts'), mode.angular ? PROGRAM + ANGULAR_PROGRAM : PROGRAM);
  return dir;
}

/** A program that must fail to type-check, so that a pass means something. */
const WRONG_PROGRAM = `import { textDeltas } from 'rx-anthropic';\nexport const n: number = textDeltas;\n`;

/**
 * Runs tasks at most `width` at a time, in the order they were given; each caller awaits its own.
 */
function pool(width: number): <T>(task: () => Promise<T>) => Promise<T> {
  let free = width;
  const waiting: (() => void)[] = [];
  return async (task) => {
    if (free > 0) free -= 1;
    else await new Promise<void>((start) => waiting.push(start));
    try {
      return await task();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else free += 1;
    }
  };
}

/**
 * Starts every check at once, as many side by side as the machine has cores (a check is one
 * compiler on one core), the slow TypeScript 5 checks first; each test awaits its own.
 */
function startChecks(consumer: string): Map<string, Promise<CompileResult>> {
  const run = pool(availableParallelism());
  const results = new Map<string, Promise<CompileResult>>();
  const ordered = [...CASES].sort(([a], [b]) => (a === b ? 0 : a === 'ts5' ? -1 : 1));
  for (const [compiler, mode] of ordered) results.set(`${compiler} ${mode}`, run(() => typeCheck(compiler, writeProject(consumer, compiler, MODES[mode]!))));
  results.set(
    'wrong',
    run(() => {
      const dir = writeProject(consumer, 'ts5', { ...MODES['CommonJS, node16']!, name: 'wrong' });
      writeFileSync(join(dir, 'program.ts'), WRONG_PROGRAM);
      return typeCheck('ts5', dir);
    }),
  );
  return results;
}

describe('the packed package in consumer projects (skipLibCheck: false)', () => {
  let consumer: string;
  let checks: Map<string, Promise<CompileResult>>;

  beforeAll(async () => {
    consumer = await packedConsumer();
    checks = startChecks(consumer);
  }, 240_000);

  it('is the package of this repository, installed from its tarball', () => {
    const installed = JSON.parse(readFileSync(join(consumer, 'node_modules/rx-anthropic/package.json'), 'utf8')) as { version: string };
    const own = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(installed.version).toBe(own.version);
    expect(readFileSync(join(consumer, 'node_modules/rx-anthropic/dist/index.d.cts'), 'utf8')).not.toMatch(/from '\.\/[^']+\.js'/);
  });

  it.each(CASES)('type-checks a program using every entry (Angular where it can) with %s, %s', async (compiler, mode) => {
    const result = await checks.get(`${compiler} ${mode}`)!;
    expect(result.output).toBe('');
    expect(result.ok).toBe(true);
  }, 300_000);

  it('fails where the program is wrong, so a pass means something', async () => {
    const result = await checks.get('wrong')!;
    expect(result.ok).toBe(false);
    expect(result.output).toMatch(/TS2322/);
  }, 300_000);
});
