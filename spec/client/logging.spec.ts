import { lastValueFrom, toArray } from 'rxjs';
import { BadRequestError, createClient, InvalidArgumentError, textDeltas, type ClientOptions, type Logger, type LogLevel, type MessageCreateParams } from 'rx-anthropic';
import { createMockServer, errorReply, textReply, type MockServer } from 'rx-anthropic/testing';
import { startResumableRelay } from './support/resumableRelay';

const KEY = 'sk-ant-api03-SECRET-KEY-d41d8cd9';
const PROMPT = 'PROMPT-TEXT-7f3a: tell me about my medical record';
const SYSTEM = 'SYSTEM-TEXT-55aa';
const REPLY = 'REPLY-TEXT-91c2 is the answer.';
const params: MessageCreateParams = { model: 'claude-sonnet-4-6', max_tokens: 100, system: SYSTEM, messages: [{ role: 'user', content: PROMPT }] };

interface Line {
  level: Exclude<LogLevel, 'off'>;
  message: string;
  rest: unknown[];
}

/** A logger that keeps every line, with its level and its details. */
function captureLogger(): Logger & { lines: Line[] } {
  const lines: Line[] = [];
  const at = (level: Line['level']) => (message: string, ...rest: unknown[]) => lines.push({ level, message, rest });
  return { lines, error: at('error'), warn: at('warn'), info: at('info'), debug: at('debug') };
}

let server: MockServer | undefined;
afterEach(async () => {
  delete process.env['ANTHROPIC_LOG'];
  await server?.close();
  server = undefined;
});

const clientFor = (s: MockServer, options: ClientOptions) => createClient({ baseURL: s.baseURL, apiKey: KEY, maxRetries: 0, ...options });
const everything = (lines: Line[]) => JSON.stringify(lines);

describe('logLevel, logger and ANTHROPIC_LOG', () => {
  it("at 'debug' logs the request, the retry with its reason and wait, and the response, and never the key or any content", async () => {
    server = await createMockServer([errorReply(529, { headers: { 'retry-after-ms': '5' } }), textReply(REPLY)]);
    const logger = captureLogger();
    const text = (await lastValueFrom(clientFor(server, { logger, logLevel: 'debug', maxRetries: 1 }).messages.stream(params).pipe(textDeltas(), toArray()))).join('');
    expect(text).toBe(REPLY);

    const sending = logger.lines.filter((line) => line.level === 'debug' && line.message.endsWith('sending request'));
    expect(sending).toHaveLength(2);
    expect(sending[0]!.rest[0]).toMatchObject({ method: 'POST', url: `${server.baseURL}/v1/messages`, attempt: 0, headers: { 'x-api-key': '***', 'anthropic-version': '2023-06-01' } });

    const retry = logger.lines.find((line) => line.message.includes('retrying'));
    expect(retry?.level).toBe('info');
    expect(retry?.message).toMatch(/POST \S+\/v1\/messages failed with status 529 \(overloaded_error\) in \d+ms.* - retrying in 5ms \(retry 1 of 1\)/);

    const success = logger.lines.find((line) => line.message.includes('succeeded'));
    expect(success?.level).toBe('info');
    expect(success?.message).toContain(`with status 200`);
    expect(success?.message).toContain(server.requests[1]!.requestId);
    // One id ties the lines of one request together.
    const ids = new Set(logger.lines.map((line) => /^\[(log_[0-9a-f]{6})\]/.exec(line.message)?.[1]));
    expect(ids.size).toBe(1);

    const all = everything(logger.lines);
    for (const secret of [KEY, 'SECRET-KEY', 'PROMPT-TEXT-7f3a', SYSTEM, 'REPLY-TEXT-91c2']) expect(all).not.toContain(secret);
  });

  it("logs an error that is not retried at 'info', with its status and type, and without the request's content", async () => {
    server = await createMockServer([errorReply(400, { message: 'max_tokens: too large' })]);
    const logger = captureLogger();
    await expect(lastValueFrom(clientFor(server, { logger, logLevel: 'info', maxRetries: 2 }).messages.create(params))).rejects.toBeInstanceOf(BadRequestError);
    expect(logger.lines).toHaveLength(1);
    expect(logger.lines[0]).toMatchObject({ level: 'info' });
    expect(logger.lines[0]!.message).toMatch(/failed with status 400 \(invalid_request_error\) in \d+ms.* - error; not retryable$/);
    expect(everything(logger.lines)).not.toContain('PROMPT-TEXT-7f3a');
  });

  it("logs nothing about a request at the default level, 'warn'", async () => {
    server = await createMockServer([textReply(REPLY)]);
    const logger = captureLogger();
    await lastValueFrom(clientFor(server, { logger }).messages.stream(params));
    expect(logger.lines).toEqual([]);
  });

  it("takes the level from ANTHROPIC_LOG when the option is not given, and the option over it", async () => {
    server = await createMockServer([textReply(REPLY), textReply(REPLY)]);
    process.env['ANTHROPIC_LOG'] = 'info';
    const fromEnvironment = captureLogger();
    await lastValueFrom(clientFor(server, { logger: fromEnvironment }).messages.stream(params));
    expect(fromEnvironment.lines.map((line) => line.level)).toEqual(['info']);

    const off = captureLogger();
    await lastValueFrom(clientFor(server, { logger: off, logLevel: 'off' }).messages.stream(params));
    expect(off.lines).toEqual([]);
  });

  it('warns on the logger about an ANTHROPIC_LOG that names no level, and logs at warn', async () => {
    process.env['ANTHROPIC_LOG'] = 'verbose';
    const logger = captureLogger();
    createClient({ apiKey: KEY, logger });
    expect(logger.lines).toHaveLength(1);
    expect(logger.lines[0]).toMatchObject({ level: 'warn' });
    expect(logger.lines[0]!.message).toContain('"verbose"');
  });

  it('refuses a logLevel that is no level and a logger without the four functions', () => {
    expect(() => createClient({ apiKey: KEY, logLevel: 'verbose' as LogLevel })).toThrow(InvalidArgumentError);
    expect(() => createClient({ apiKey: KEY, logLevel: 'verbose' as LogLevel })).toThrow(/logLevel option must be one of 'off', 'error', 'warn', 'info', 'debug', not "verbose"/);
    expect(() => createClient({ apiKey: KEY, logger: { info: () => undefined } as unknown as Logger })).toThrow(/logger option must be an object with error, warn, info and debug functions/);
  });

  it("logs a stream resumed through a relay at 'info': the drop, where it resumes and when", async () => {
    const frame = (event: object) => `event: ${(event as { type: string }).type}\ndata: ${JSON.stringify(event)}\n\n`;
    const sse = [
      { type: 'message_start', message: { id: 'msg_1', type: 'message', role: 'assistant', model: 'claude-sonnet-4-6', content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 3, output_tokens: 1 } } },
      { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
      ...Array.from({ length: 20 }, (_, i) => ({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: `REPLY-TEXT-91c2 ${i} ` } })),
      { type: 'content_block_stop', index: 0 },
      { type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 40 } },
      { type: 'message_stop' },
    ].map(frame).join('');
    const relay = await startResumableRelay({ streams: [sse], responses: [{ cutAfter: 700 }] });
    try {
      const logger = captureLogger();
      const client = createClient({ baseURL: relay.baseURL, apiKey: null, maxRetries: 0, resumeStreams: true, logger, logLevel: 'info' });
      await lastValueFrom(client.messages.stream(params));
      const messages = logger.lines.map((line) => `${line.level} ${line.message}`);
      expect(messages).toEqual([
        expect.stringMatching(/^info \[log_\w+\] POST \S+\/v1\/messages succeeded with status 200/),
        expect.stringMatching(/^info \[log_\w+\] POST \S+\/v1\/messages failed in \d+ms: APIConnectionError: Connection error: .* - error; not retried after the body began$/),
        expect.stringMatching(/^info stream s\d+ dropped after event \d+ \(.+\) - resuming through GET \/streams\/s\d+ in \d+ms \(attempt 1 of 5\)$/),
        expect.stringMatching(/^info \[log_\w+\] GET \S+\/streams\/s\d+ succeeded with status 200/),
      ]);
      expect(everything(logger.lines)).not.toContain('REPLY-TEXT-91c2');
    } finally {
      await relay.close();
    }
  });
});
