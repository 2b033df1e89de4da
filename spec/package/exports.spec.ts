import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * The built package (`npm run build`, which `npm test` runs first), loaded the way users load
 * it: by name, through the `exports` map, with `import` and with `require`, in a separate Node.
 */
const ROOT = resolve(__dirname, '../..');

const CORE = [
  'createClient',
  'fromSSE',
  'decodeEvents',
  'toSSE',
  'messageStreamEvents',
  'accumulateMessage',
  'textDeltas',
  'textSnapshots',
  'contentBlocks',
  'finalMessage',
  'finalText',
  'AnthropicError',
  'APIError',
  'BadRequestError',
  'AuthenticationError',
  'PermissionDeniedError',
  'NotFoundError',
  'RequestTooLargeError',
  'RateLimitError',
  'InternalServerError',
  'OverloadedError',
  'APIConnectionError',
  'APITimeoutError',
  'StreamDecodeError',
  'IncompleteStreamError',
  'ToolInputParseError',
  'InvalidArgumentError',
  'toolLoop',
  'defineTool',
  'described',
  'toolProgress',
  'streamAll',
  'streamEach',
  'combineSnapshots',
  'aggregateUsage',
  'streamMetrics',
  'RequestLimiter',
];
const MCP = ['mcpTool', 'mcpTools', 'mcpMessage', 'mcpMessages', 'mcpResourceToContent', 'mcpResourceToFile', 'UnsupportedMCPValueError'];
const TESTING = ['createMockServer', 'fromSSEText', 'textReply', 'toolUseReply', 'eventsReply', 'sseReply', 'errorReply'];
const PROXY = ['createProxyHandler', 'createProxyServer', 'relayEvents', 'ProxyRefusalError', 'memoryLimitStore', 'DEFAULT_ALLOWED_PARAMS', 'DEFAULT_ALLOWED_TOOL_TYPES', 'DEFAULT_ALLOWED_CONTENT_TYPES'];
const OTEL = ['openTelemetry', 'INSTRUMENTATION_SCOPE', 'errorType', 'ATTR_CANCELLED', 'ATTR_CONTENT_TRUNCATED'];
const ANGULAR = [
  'provideAnthropic',
  'injectAnthropicClient',
  'ANTHROPIC_CLIENT',
  'ANTHROPIC_OPTIONS',
  'httpClientFetch',
  'ANTHROPIC_REQUEST',
  'injectChatStore',
  'messageText',
  'MissingProviderError',
];

interface PackageJson {
  exports: Record<string, unknown>;
  typesVersions: Record<string, Record<string, string[]>>;
}

/**
 * The names an entry exports, loaded in a separate Node. `first` is loaded before it: Angular's
 * packages need `@angular/compiler` loaded first when no Angular build has linked them.
 */
function exportedNames(specifier: string, loader: 'import' | 'require', first?: string): string[] {
  const load = (name: string) => (loader === 'import' ? `await import(${JSON.stringify(name)})` : `require(${JSON.stringify(name)})`);
  const script = `(async () => {${first ? ` ${load(first)};` : ''} console.log(JSON.stringify(Object.keys(${load(specifier)}))); })()`;
  return JSON.parse(execFileSync(process.execPath, ['-e', script], { cwd: ROOT, encoding: 'utf8' })) as string[];
}

describe('the built package', () => {
  beforeAll(() => {
    if (!existsSync(resolve(ROOT, 'dist/index.js'))) throw new Error('dist/ is missing: run `npm run build` (npm test does) before this spec');
  });

  it.each(['import', 'require'] as const)('exports every public name of rx-anthropic with %s', (loader) => {
    expect(exportedNames('rx-anthropic', loader)).toEqual(expect.arrayContaining(CORE));
  });

  it.each(['import', 'require'] as const)('exports every public name of rx-anthropic/testing with %s', (loader) => {
    expect(exportedNames('rx-anthropic/testing', loader)).toEqual(expect.arrayContaining(TESTING));
  });

  it.each(['import', 'require'] as const)('exports every public name of rx-anthropic/mcp with %s', (loader) => {
    expect(exportedNames('rx-anthropic/mcp', loader)).toEqual(expect.arrayContaining(MCP));
  });

  it.each(['import', 'require'] as const)('exports every public name of rx-anthropic/proxy with %s', (loader) => {
    expect(exportedNames('rx-anthropic/proxy', loader)).toEqual(expect.arrayContaining(PROXY));
  });

  // require() of ES modules (Angular's packages are ESM only) works in the Node versions Angular 20 and 21 need (^20.19, ^22.12, ≥24).
  it.each(['import', 'require'] as const)('exports every public name of rx-anthropic/angular with %s', (loader) => {
    expect(exportedNames('rx-anthropic/angular', loader, '@angular/compiler')).toEqual(expect.arrayContaining(ANGULAR));
  });

  it.each(['import', 'require'] as const)('exports every public name of rx-anthropic/otel with %s', (loader) => {
    expect(exportedNames('rx-anthropic/otel', loader)).toEqual(expect.arrayContaining(OTEL));
  });

  it('lets node10 resolution find the declarations of every subpath (typesVersions)', () => {
    const pkg = JSON.parse(readFileSync(resolve(ROOT, 'package.json'), 'utf8')) as PackageJson;
    const subpaths = Object.keys(pkg.exports)
      .filter((key) => key !== '.' && key !== './package.json')
      .map((key) => key.slice(2));
    expect(Object.keys(pkg.typesVersions['*'] ?? {}).sort()).toEqual(subpaths.sort());
    for (const subpath of subpaths) expect(existsSync(resolve(ROOT, pkg.typesVersions['*']![subpath]![0]!))).toBe(true);
  });

  it('streams through the built ESM and CJS builds alike', () => {
    const run = (loader: 'import' | 'require') => {
      const load = (name: string) => (loader === 'import' ? `await import('${name}')` : `require('${name}')`);
      const script = `(async () => {
        const { createClient, textDeltas } = ${load('rx-anthropic')};
        const { createMockServer, textReply } = ${load('rx-anthropic/testing')};
        const { lastValueFrom, toArray } = ${load('rxjs')};
        const server = await createMockServer([textReply('built ok')]);
        const client = createClient({ baseURL: server.baseURL, apiKey: 'k' });
        const parts = await lastValueFrom(client.messages.stream({ model: 'm', max_tokens: 8, messages: [{ role: 'user', content: 'hi' }] }).pipe(textDeltas(), toArray()));
        await server.close();
        console.log(parts.join(''));
      })()`;
      return execFileSync(process.execPath, ['-e', script], { cwd: ROOT, encoding: 'utf8' }).trim();
    };
    expect(run('import')).toBe('built ok');
    expect(run('require')).toBe('built ok');
  });
});
