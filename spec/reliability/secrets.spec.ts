/**
 * The API key (and a bearer token) never leaves the request headers: not in any error the
 * library can produce (one scenario per error class, all of them, checked against the exports),
 * its `message`, `stack`, `cause` chain, `toJSON()` / `JSON.stringify`, `util.inspect`, nor in
 * anything logged or handed to `onResponse` while they ran. Configurations that would leak a
 * secret through `fetch`'s own errors (credentials in `baseURL`, a key with a line break) are
 * refused up front with an error that does not quote them; a browser without
 * `dangerouslyAllowBrowser` is refused too.
 */
import { inspect } from 'node:util';
import * as t from 'io-ts';
import { lastValueFrom, toArray, type Observable } from 'rxjs';
import { z } from 'zod';
import * as library from 'rx-anthropic';
import {
  accumulateMessage,
  AnthropicError,
  createClient,
  finalMessage,
  type ClientOptions,
  type ResponseInfo,
} from 'rx-anthropic';
import { errorReply, eventsReply, jsonReply, sseReply, textReply, toolUseReply, type MockTurn } from 'rx-anthropic/testing';
import { refusedBaseURL } from './support/faultServers';
import { guardLeaks, realProcess } from './support/guard';
import { runBounded } from './support/outcome';
import { recordFigures } from './support/recordFigures';
import { params, SECRET_KEY } from './support/streams';
import { Redis } from 'ioredis';
import { redisRequestLimiter } from 'rx-anthropic/redis';

const guard = guardLeaks();
const SECRET_TOKEN = 'sk-ant-oat01-BEARER-SECRET-fedcba9876543210';
const SECRETS = [SECRET_KEY, SECRET_TOKEN, 'RELIABILITY-SECRET', 'BEARER-SECRET', 'hunter2-password'];

const start = {
  type: 'message_start',
  message: { id: 'msg_s', type: 'message', role: 'assistant', model: 'm', content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 1, output_tokens: 1 } },
};

/** One way to make the library fail, run against a fresh mock server (or none). */
interface Scenario {
  readonly name: string;
  readonly turns?: readonly MockTurn[];
  readonly baseURL?: () => Promise<string>;
  readonly options?: ClientOptions;
  readonly layer?: 'raw' | 'snapshots' | 'final';
  readonly abortAfterMs?: number;
}

const scenarios: Scenario[] = [
  { name: 'BadRequestError', turns: [errorReply(400)] },
  { name: 'AuthenticationError', turns: [errorReply(401, { message: 'invalid x-api-key' })] },
  { name: 'AuthenticationError with a bearer token', turns: [errorReply(401)], options: { apiKey: null, authToken: SECRET_TOKEN } },
  { name: 'PermissionDeniedError', turns: [errorReply(403)] },
  { name: 'NotFoundError', turns: [errorReply(404)] },
  { name: 'ConflictError', turns: [errorReply(409)] },
  { name: 'RequestTooLargeError', turns: [errorReply(413)] },
  { name: 'UnprocessableEntityError', turns: [errorReply(422)] },
  { name: 'RateLimitError', turns: [errorReply(429, { headers: { 'retry-after-ms': '1' } }), errorReply(429)], options: { maxRetries: 1 } },
  { name: 'InternalServerError', turns: [errorReply(500)] },
  { name: 'OverloadedError', turns: [errorReply(529)] },
  { name: 'APIError (a status without a class)', turns: [errorReply(418, { type: 'teapot_error' })] },
  { name: 'OverloadedError from an event: error', turns: [eventsReply([start, { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }])] },
  { name: 'APIConnectionError (refused)', baseURL: refusedBaseURL },
  { name: 'APIConnectionError (refused, bearer token)', baseURL: refusedBaseURL, options: { apiKey: null, authToken: SECRET_TOKEN } },
  { name: 'APIConnectionError (body cut)', turns: [{ ...textReply('cut short'), cutAfterBytes: 120 }] },
  { name: 'APITimeoutError', turns: [{ ...textReply('stalled'), hangAfterHeaders: true }], options: { timeout: 100 } },
  { name: 'APIUserAbortError', turns: [{ ...textReply('slow'), delayMs: 1_000 }], abortAfterMs: 20 },
  { name: 'StreamDecodeError (bad JSON)', turns: [sseReply('event: message_start\ndata: {oops\n\n')] },
  { name: 'StreamDecodeError (HTML page)', turns: [jsonReply('<html>Bad gateway</html>', { contentType: 'text/html' })] },
  { name: 'StreamDecodeError (oversized event)', turns: [sseReply(`data: ${'x'.repeat(4096)}`)], options: { maxEventSize: 1024 } },
  { name: 'IncompleteStreamError', turns: [eventsReply([start])], layer: 'final' },
  {
    // A shared limiter whose Redis is not there, told to refuse rather than let requests through.
    name: 'LimiterUnavailableError',
    baseURL: refusedBaseURL,
    options: {
      limiter: redisRequestLimiter(new Redis(9, '127.0.0.1', { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false }), {
        key: 'secrets',
        maxConcurrentRequests: 1,
        onStoreError: 'refuse',
      }),
    },
  },
  {
    name: 'ToolInputParseError',
    turns: [
      eventsReply([
        start,
        { type: 'content_block_start', index: 0, content_block: { type: 'tool_use', id: 'toolu_1', name: 'f', input: {} } },
        { type: 'content_block_delta', index: 0, delta: { type: 'input_json_delta', partial_json: '{"key": nope' } },
        { type: 'content_block_stop', index: 0 },
      ]),
    ],
    layer: 'snapshots',
  },
];

/** Every way a value may end up in front of someone: printed, logged, serialised, inspected. */
function viewsOf(error: unknown): string[] {
  const views = [String(error), inspect(error, { depth: Infinity, showHidden: true }), JSON.stringify(error) ?? ''];
  if (error instanceof Error) {
    views.push(error.message, error.stack ?? '');
    for (const name of Object.getOwnPropertyNames(error)) views.push(inspect((error as unknown as Record<string, unknown>)[name], { depth: Infinity }));
    let cause: unknown = error.cause;
    for (let depth = 0; cause !== undefined && depth < 10; depth += 1) {
      views.push(String(cause), inspect(cause, { depth: Infinity, showHidden: true }), JSON.stringify(cause) ?? '');
      cause = cause instanceof Error ? cause.cause : undefined;
    }
  }
  if (error instanceof AnthropicError) views.push(JSON.stringify(error.toJSON()));
  return views;
}

function expectNoSecret(views: readonly string[], where: string): void {
  for (const view of views) {
    for (const secret of SECRETS) {
      if (view.includes(secret)) throw new Error(`${where} shows the secret ${JSON.stringify(secret)}: ${view.slice(0, 300)}`);
    }
  }
}

/** Records what is logged (console, stdout, stderr, process warnings) while `run` runs. */
async function capturingLogs<T>(run: () => Promise<T>): Promise<{ result: T; logged: string[] }> {
  const logged: string[] = [];
  const methods = ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const;
  const spies = methods.map((method) => jest.spyOn(console, method).mockImplementation((...args: unknown[]) => logged.push(args.map((a) => inspect(a)).join(' '))));
  const stdout = realProcess.stdout.write.bind(realProcess.stdout);
  const stderr = realProcess.stderr.write.bind(realProcess.stderr);
  const tee =
    (write: typeof stdout) =>
    (chunk: unknown, ...rest: unknown[]): boolean => {
      logged.push(String(chunk));
      return (write as (...args: unknown[]) => boolean)(chunk, ...rest);
    };
  realProcess.stdout.write = tee(stdout) as typeof realProcess.stdout.write;
  realProcess.stderr.write = tee(stderr) as typeof realProcess.stderr.write;
  const onWarning = (warning: Error): void => void logged.push(inspect(warning));
  realProcess.on('warning', onWarning);
  try {
    return { result: await run(), logged };
  } finally {
    realProcess.off('warning', onWarning);
    realProcess.stdout.write = stdout as typeof realProcess.stdout.write;
    realProcess.stderr.write = stderr as typeof realProcess.stderr.write;
    spies.forEach((spy) => spy.mockRestore());
  }
}

const collected = new Map<string, unknown>();
afterAll(() => recordFigures('secrets', { scenarios: scenarios.length, errorClasses: [...new Set([...collected.values()].map((e) => (e as Error).constructor.name))].sort(), leakChecks: guard.checks.count }));

describe.each(scenarios.map((s) => [s.name, s] as const))('%s', (_, scenario) => {
  it('shows no secret in the error, its views, the logs or the response info', async () => {
    const { result, logged } = await capturingLogs(async () => {
      const server = scenario.turns ? await guard.serve(scenario.turns) : undefined;
      const baseURL = server?.baseURL ?? (await scenario.baseURL?.()) ?? 'http://127.0.0.1:9';
      const responses: ResponseInfo[] = [];
      const controller = new AbortController();
      const client = createClient({ apiKey: SECRET_KEY, baseURL, maxRetries: 0, timeout: 5_000, ...scenario.options });
      const raw = client.messages.stream(params, { signal: controller.signal, onResponse: (info) => responses.push(info) });
      const stream$: Observable<unknown> =
        scenario.layer === 'final' ? raw.pipe(finalMessage()) : scenario.layer === 'snapshots' ? raw.pipe(accumulateMessage()) : raw;
      if (scenario.abortAfterMs !== undefined) setTimeout(() => controller.abort(), scenario.abortAfterMs);
      const outcome = await runBounded(stream$, 5_000);
      const sent = server?.requests[0]?.headers;
      return { outcome, responses, sent };
    });
    const { outcome, responses, sent } = result;
    expect(outcome.error).toBeInstanceOf(AnthropicError);
    collected.set(scenario.name, outcome.error);
    // The secret did go out, in its header: the scan below is not vacuous.
    if (sent) expect([sent['x-api-key'], sent['authorization']]).toContain(scenario.options?.authToken ? `Bearer ${SECRET_TOKEN}` : SECRET_KEY);
    expectNoSecret(viewsOf(outcome.error), `${scenario.name}`);
    expectNoSecret(responses.map((info) => inspect(info, { depth: Infinity })), 'onResponse');
    expectNoSecret(outcome.values.map((value) => inspect(value, { depth: Infinity })), 'the values');
    expectNoSecret(logged, 'the logs');
  });
});

describe('configurations that would leak a secret', () => {
  it('a baseURL with credentials is refused without quoting them', async () => {
    const attempt = () => createClient({ apiKey: SECRET_KEY, baseURL: 'https://user:hunter2-password@proxy.example.com/anthropic' });
    expect(attempt).toThrow(AnthropicError);
    expect(attempt).toThrow(/baseURL contains credentials/);
    const error = (() => {
      try {
        attempt();
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    collected.set('AnthropicError (baseURL with credentials)', error);
    expectNoSecret(viewsOf(error), 'the baseURL refusal');
  });

  it('a baseURL with credentials from ANTHROPIC_BASE_URL is refused too', () => {
    const saved = process.env['ANTHROPIC_BASE_URL'];
    process.env['ANTHROPIC_BASE_URL'] = 'http://admin:hunter2-password@127.0.0.1:9';
    try {
      expect(() => createClient({ apiKey: SECRET_KEY })).toThrow(/baseURL contains credentials/);
    } finally {
      if (saved === undefined) delete process.env['ANTHROPIC_BASE_URL'];
      else process.env['ANTHROPIC_BASE_URL'] = saved;
    }
  });

  it('a baseURL with an @ only in its path is accepted', () => {
    expect(() => createClient({ apiKey: SECRET_KEY, baseURL: 'https://proxy.example.com/team@example/anthropic' })).not.toThrow();
  });

  it.each([
    ['a line break', `${SECRET_KEY}\nX-Injected: 1`],
    ['a NUL', `${SECRET_KEY}\u0000x`],
    ['a character beyond Latin-1', `${SECRET_KEY}\u2026`],
  ])('an API key with %s is refused without quoting it (fetch would quote it in every error)', (_, apiKey) => {
    let error: unknown;
    try {
      createClient({ apiKey, baseURL: 'http://127.0.0.1:9' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(AnthropicError);
    expect((error as Error).message).toMatch(/x-api-key header .* cannot send/);
    collected.set('AnthropicError (unsendable key)', error);
    expectNoSecret(viewsOf(error), 'the key refusal');
  });

  it('a key read with a trailing newline still works: HTTP trims it', async () => {
    const server = await guard.serve([textReply('fine')]);
    const client = createClient({ apiKey: `${SECRET_KEY}\n`, baseURL: server.baseURL });
    await lastValueFrom(client.messages.stream(params));
    expect(server.requests[0]?.headers['x-api-key']).toBe(SECRET_KEY);
  });

  it('in a browser without dangerouslyAllowBrowser the client refuses to start, and says so without the key', () => {
    const scope = globalThis as { window?: unknown };
    const saved = globalThis.process;
    scope.window = { document: {} };
    Object.defineProperty(globalThis, 'process', { value: undefined, configurable: true, writable: true });
    let error: unknown;
    try {
      createClient({ apiKey: SECRET_KEY });
    } catch (caught) {
      error = caught;
    } finally {
      Object.defineProperty(globalThis, 'process', { value: saved, configurable: true, writable: true });
      delete scope.window;
    }
    expect(error).toBeInstanceOf(AnthropicError);
    expect((error as Error).message).toMatch(/dangerouslyAllowBrowser/);
    collected.set('AnthropicError (browser)', error);
    expectNoSecret(viewsOf(error), 'the browser refusal');
  });

  it('the client object itself does not show the key when logged', () => {
    const client = createClient({ apiKey: SECRET_KEY, baseURL: 'http://127.0.0.1:9' });
    expectNoSecret([inspect(client, { depth: Infinity, showHidden: true }), JSON.stringify(client)], 'the client');
  });
});

describe('errors a tool loop hands to the app on its tool_result events', () => {
  it('show no secret: a ToolError a tool threw, an UnknownToolError for a tool the loop cannot run', async () => {
    const server = await guard.serve([toolUseReply([{ name: 'chart', input: {} }, { name: 'teleport', input: {} }]), textReply('ok')]);
    const client = createClient({ apiKey: SECRET_KEY, baseURL: server.baseURL, maxRetries: 0 });
    const chart = library.defineTool({
      name: 'chart',
      description: 'A chart',
      input: t.type({}),
      run: () => {
        throw new library.ToolError('No data.');
      },
    });
    const events = await lastValueFrom(client.messages.toolLoop(params, { tools: [chart] }).pipe(toArray()));
    const errors = events.flatMap((event) => (event.type === 'tool_result' && event.error !== undefined ? [event.error] : []));
    expect(errors.map((error) => (error as Error).constructor.name)).toEqual(['ToolError', 'UnknownToolError']);
    for (const error of errors) {
      collected.set(`${(error as Error).constructor.name} (tool loop)`, error);
      expectNoSecret(viewsOf(error), (error as Error).constructor.name);
    }
  });
});

describe('errors of a structured output', () => {
  it('show no secret: not JSON, refused by the codec, a refusal, a max_tokens cut', async () => {
    const format = library.outputFormat(t.type({ answer: t.number }));
    const request = { ...params, output_config: { format } };
    const server = await guard.serve([
      textReply('{"answer": nope}'),
      textReply('{"answer": "warm"}'),
      textReply('{"answer', { stopReason: 'refusal' }),
      textReply('{"answer": 4', { stopReason: 'max_tokens' }),
    ]);
    const client = createClient({ apiKey: SECRET_KEY, baseURL: server.baseURL, maxRetries: 0 });
    const errors: unknown[] = [];
    for (let i = 0; i < 4; i++) {
      const outcome = await runBounded(client.messages.stream(request).pipe(library.finalOutput(format)), 5_000);
      errors.push(outcome.error);
    }
    expect(errors.map((error) => (error as Error).constructor.name)).toEqual(['OutputParseError', 'OutputValidationError', 'OutputRefusalError', 'OutputTruncatedError']);
    for (const error of errors) {
      collected.set(`${(error as Error).constructor.name} (structured output)`, error);
      expectNoSecret(viewsOf(error), (error as Error).constructor.name);
    }
  });

  it('show no secret: a Standard Schema that validates asynchronously (AsyncValidationError)', async () => {
    const format = library.outputFormat(z.object({ answer: z.number().refine(async () => true) }));
    const server = await guard.serve([textReply('{"answer": 4}')]);
    const client = createClient({ apiKey: SECRET_KEY, baseURL: server.baseURL, maxRetries: 0 });
    const outcome = await runBounded(client.messages.stream({ ...params, output_config: { format } }).pipe(library.finalOutput(format)), 5_000);
    expect((outcome.error as Error).constructor.name).toBe('AsyncValidationError');
    collected.set('AsyncValidationError (structured output)', outcome.error);
    expectNoSecret(viewsOf(outcome.error), 'AsyncValidationError');
  });
});

describe('coverage of the scan', () => {
  it('every error class the library exports was produced and scanned', () => {
    const exported = Object.entries(library)
      .filter(([, value]) => typeof value === 'function' && (value === AnthropicError || (value as { prototype?: unknown }).prototype instanceof AnthropicError))
      .map(([name]) => name)
      .sort();
    const produced = [...new Set([...collected.values()].map((error) => (error as Error).constructor.name))].sort();
    expect(produced).toEqual(exported);
  });
});
