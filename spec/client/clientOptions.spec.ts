import { inspect } from 'node:util';
import { lastValueFrom } from 'rxjs';
import { AnthropicError, createClient, InvalidArgumentError, type ClientOptions } from 'rx-anthropic';
import { createMockServer, textReply, type MockServer } from 'rx-anthropic/testing';

const params = { model: 'claude-test', max_tokens: 64, messages: [{ role: 'user' as const, content: 'Hi' }] };
const SECRET = 'sk-ant-secret-in-options-42';

/** What `createClient` threw, or fails the test when it threw nothing. */
function refusal(options: unknown): InvalidArgumentError {
  try {
    createClient(options as ClientOptions);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect(error).toBeInstanceOf(AnthropicError);
    return error as InvalidArgumentError;
  }
  throw new Error(`createClient accepted ${inspect(options)}`);
}

/** Every way an error is shown: none may hold `secret`. */
function expectNotShown(error: unknown, secret: string): void {
  for (const view of [String(error), (error as Error).stack ?? '', JSON.stringify(error), inspect(error, { depth: 10, showHidden: true })]) {
    expect(view).not.toContain(secret);
  }
}

function withEnvironment<T>(name: string, value: string, run: () => T): T {
  const saved = process.env[name];
  process.env[name] = value;
  try {
    return run();
  } finally {
    if (saved === undefined) delete process.env[name];
    else process.env[name] = saved;
  }
}

describe('createClient: baseURL', () => {
  it.each([
    ['api.anthropic.com', "The baseURL 'api.anthropic.com' has no scheme: use 'https://api.anthropic.com'."],
    ['api.anthropic.com/v1', "The baseURL 'api.anthropic.com/v1' has no scheme: use 'https://api.anthropic.com/v1'."],
    ['localhost:1234', "The baseURL 'localhost:1234' has no scheme (fetch would read 'localhost:' as one): use 'http://localhost:1234'."],
    ['127.0.0.1:8080/api', "The baseURL '127.0.0.1:8080/api' has no scheme: use 'http://127.0.0.1:8080/api'."],
  ])('refuses %j at once, saying what to write instead', (baseURL, message) => {
    const error = refusal({ apiKey: 'k', baseURL });
    expect(error.argument).toBe('baseURL');
    expect(error.message).toBe(message);
  });

  it.each([
    ['/api', /relative URL: give an absolute one \(in a page, new URL\("\/api", location\.href\)\.href\)/],
    ['ftp://files.example.com', /has the scheme 'ftp:': only http: and https: can be used/],
    ['file:///tmp/socket', /has the scheme 'file:'/],
    ['http://', /is not a valid URL/],
    ['', /is empty/],
    ['   ', /is empty/],
  ])('refuses %j', (baseURL, message) => {
    expect(refusal({ apiKey: 'k', baseURL }).message).toMatch(message);
  });

  it.each([['https://api.anthropic.com'], ['http://127.0.0.1:4010/'], ['https://proxy.example.com/team@example/anthropic'], ['HTTPS://API.ANTHROPIC.COM']])(
    'accepts %j',
    (baseURL) => {
      expect(createClient({ apiKey: 'k', baseURL }).baseURL).toBe(baseURL);
    },
  );

  it('accepts null and undefined as "not given": the public API', () => {
    expect(createClient({ apiKey: 'k', baseURL: null }).baseURL).toBe('https://api.anthropic.com');
    expect(createClient({ apiKey: 'k', baseURL: undefined }).baseURL).toBe('https://api.anthropic.com');
  });

  it('checks ANTHROPIC_BASE_URL the same way, and says the value came from there', () => {
    const error = withEnvironment('ANTHROPIC_BASE_URL', 'api.anthropic.com', () => refusal({ apiKey: 'k' }));
    expect(error.message).toBe(
      "The baseURL 'api.anthropic.com' has no scheme: use 'https://api.anthropic.com'. It came from the ANTHROPIC_BASE_URL environment variable.",
    );
    expect(withEnvironment('ANTHROPIC_BASE_URL', 'http://127.0.0.1:4010', () => createClient({ apiKey: 'k' }).baseURL)).toBe('http://127.0.0.1:4010');
  });

  it.each([
    ['https://user:hunter2-password@proxy.example.com/anthropic'],
    ['user:hunter2-password@api.anthropic.com'],
    ['//user:hunter2-password@api.anthropic.com'],
    ['ftp://user:hunter2-password@files.example.com'],
  ])('refuses %j for its credentials without quoting them', (baseURL) => {
    const error = refusal({ apiKey: 'k', baseURL });
    expect(error.message).toMatch(/^The baseURL contains credentials \(user:password@host\)/);
    expectNotShown(error, 'hunter2-password');
  });

  it('refuses a baseURL that is not a string', () => {
    const error = refusal({ apiKey: 'k', baseURL: new URL('https://api.anthropic.com') });
    expect(error.message).toBe("The baseURL must be a string such as 'https://api.anthropic.com', not an object.");
  });
});

describe('createClient: credentials', () => {
  it.each([
    ['apiKey', 123, 'a number'],
    ['apiKey', { key: SECRET }, 'an object'],
    ['apiKey', [SECRET], 'an array'],
    ['authToken', true, 'a boolean'],
    ['authToken', Symbol('token'), 'a symbol'],
  ])('refuses %s given as %p (it would be sent as its text)', (name, value, kind) => {
    const error = refusal({ [name]: value, baseURL: 'http://127.0.0.1:4010' });
    expect(error.argument).toBe(name);
    expect(error.message).toBe(`The ${name} must be a string (or null for none), not ${kind}: it would be sent as the text of that value.`);
    expectNotShown(error, SECRET);
  });

  it.each(['apiKey', 'authToken'])('takes an empty or blank %s as none: created without throwing, and sent to a relay without a credential', async (name) => {
    const server = await createMockServer([textReply('a'), textReply('b')]);
    try {
      for (const value of ['', ' \n']) await lastValueFrom(createClient({ [name]: value, baseURL: server.baseURL }).messages.stream(params));
      for (const request of server.requests) {
        expect(request.headers['x-api-key']).toBeUndefined();
        expect(request.headers['authorization']).toBeUndefined();
      }
      expect(server.requests).toHaveLength(2);
    } finally {
      await server.close();
    }
  });

  it('takes null as "no credential" and undefined as "read the environment"', async () => {
    const server = await createMockServer([textReply('a'), textReply('b')]);
    try {
      await lastValueFrom(createClient({ apiKey: null, authToken: null, baseURL: server.baseURL }).messages.stream(params));
      expect(server.requests[0]?.headers['x-api-key']).toBeUndefined();
      expect(server.requests[0]?.headers['authorization']).toBeUndefined();
      await withEnvironment('ANTHROPIC_API_KEY', SECRET, () => lastValueFrom(createClient({ apiKey: undefined, baseURL: server.baseURL }).messages.stream(params)));
      expect(server.requests[1]?.headers['x-api-key']).toBe(SECRET);
    } finally {
      await server.close();
    }
  });

  it('names the option of a key that HTTP cannot send, not the key', () => {
    const error = refusal({ apiKey: `${SECRET}\nX-Injected: 1`, baseURL: 'http://127.0.0.1:4010' });
    expect(error.argument).toBe('apiKey');
    expect(error.message).toMatch(/^Cannot use the apiKey option: the x-api-key header contains a line break, a NUL or a character beyond Latin-1, which HTTP cannot send/);
    expectNotShown(error, SECRET);
    expect(refusal({ apiKey: null, authToken: `${SECRET}\u2026`, baseURL: 'http://127.0.0.1:4010' }).argument).toBe('authToken');
  });
});

describe('createClient: numbers, functions and objects', () => {
  it.each([
    [{ maxRetries: -1 }, 'maxRetries', 'The maxRetries must be a whole number of at least 0 (retries after the first attempt), not -1.'],
    [{ maxRetries: 1.5 }, 'maxRetries', 'The maxRetries must be a whole number of at least 0 (retries after the first attempt), not 1.5.'],
    [{ maxRetries: '2' }, 'maxRetries', 'The maxRetries must be a whole number of at least 0 (retries after the first attempt), not a string.'],
    [{ maxRetries: NaN }, 'maxRetries', 'The maxRetries must be a whole number of at least 0 (retries after the first attempt), not NaN.'],
    [{ maxRetries: Infinity }, 'maxRetries', 'The maxRetries must be a whole number of at least 0 (retries after the first attempt), not Infinity.'],
    [{ timeout: 0 }, 'timeout', /^The timeout must be a number of milliseconds above 0 and at most 2147483647 .*, not 0\.$/],
    [{ timeout: -5 }, 'timeout', /, not -5\.$/],
    [{ timeout: Infinity }, 'timeout', /timers fire at once after a longer wait\), not Infinity\.$/],
    [{ timeout: 2 ** 31 }, 'timeout', /, not 2147483648\.$/],
    [{ timeout: '60000' }, 'timeout', /, not a string\.$/],
    [{ fetch: 'fetch' }, 'fetch', 'The fetch option must be a function like the global fetch, not a string.'],
    [{ fetch: null }, 'fetch', 'The fetch option must be a function like the global fetch, not null.'],
    [{ defaultHeaders: [['x-team', 'rx']] }, 'defaultHeaders', 'The defaultHeaders must be a plain object of header names and string values, not an array.'],
    [{ defaultHeaders: 'x-team: rx' }, 'defaultHeaders', 'The defaultHeaders must be a plain object of header names and string values, not a string.'],
    [
      { defaultHeaders: new Headers({ 'x-team': 'rx' }) },
      'defaultHeaders',
      'The defaultHeaders must be a plain object of header names and string values (from a Headers object: Object.fromEntries(headers)), not an object.',
    ],
    [{ defaultHeaders: { 'x-retries': 3 } }, 'defaultHeaders', 'The defaultHeaders\' "x-retries" is a number: header values are strings (null removes a default header).'],
    [{ defaultHeaders: { 'x team': 'rx' } }, 'defaultHeaders', /^Cannot use the defaultHeaders option: the header name "x team" is not a valid HTTP header name/],
    [{ dangerouslyAllowBrowser: 'false' }, 'dangerouslyAllowBrowser', 'The dangerouslyAllowBrowser option must be true or false, not a string.'],
    [{ scheduler: {} }, 'scheduler', 'The scheduler must be an RxJS scheduler (with schedule() and now()), such as asyncScheduler, not an object.'],
    [{ maxEventSize: 0 }, 'maxEventSize', 'The maxEventSize must be a whole number of at least 1 (characters), not 0.'],
    [{ rateLimit: 'respekt' }, 'rateLimit', 'The rateLimit option must be \'respect\' or \'ignore\', not "respekt".'],
  ])('refuses %p', (options, argument, message) => {
    const error = refusal({ apiKey: 'k', baseURL: 'http://127.0.0.1:4010', ...options });
    expect(error.argument).toBe(argument);
    if (typeof message === 'string') expect(error.message).toBe(message);
    else expect(error.message).toMatch(message);
  });

  it.each([[null], ['sk-ant-key'], [[]]])('refuses options that are not an object: %p', (options) => {
    const error = refusal(options);
    expect(error.argument).toBe('options');
    expect(error.message).toMatch(/^createClient takes an options object \(or nothing\), not /);
    expectNotShown(error, 'sk-ant-key');
  });

  it('accepts the edges of each range', () => {
    expect(() => createClient({ apiKey: 'k', maxRetries: 0, timeout: 0.5, maxEventSize: 1, rateLimit: 'ignore', dangerouslyAllowBrowser: false })).not.toThrow();
    expect(() => createClient({ apiKey: 'k', timeout: 2 ** 31 - 1, fetch: undefined, defaultHeaders: undefined })).not.toThrow();
  });

  it('leaves out a default header given as undefined and removes one given as null', async () => {
    const server = await createMockServer([textReply('ok')]);
    try {
      const client = createClient({ apiKey: 'k', baseURL: server.baseURL, defaultHeaders: { 'x-team': undefined, 'Anthropic-Version': null, 'x-kept': 'yes' } });
      await lastValueFrom(client.messages.stream(params));
      const headers = server.requests[0]?.headers ?? {};
      expect(headers['x-team']).toBeUndefined();
      expect(headers['anthropic-version']).toBeUndefined();
      expect(headers['x-kept']).toBe('yes');
    } finally {
      await server.close();
    }
  });
});
