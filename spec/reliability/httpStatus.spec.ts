/**
 * Error statuses before the body, against the real loopback mock server: retried by the policy
 * (408, 409, 429, 5xx, `x-should-retry`) then success, or the typed error after `maxRetries`;
 * the other statuses fail at once with the API's message and request id. Retry delays the server
 * asks for in seconds or as an HTTP date run in virtual time (the client's `scheduler` option),
 * so they are asserted exactly without being waited for.
 */
import { VirtualTimeScheduler, lastValueFrom } from 'rxjs';
import {
  APIError,
  AuthenticationError,
  BadRequestError,
  ConflictError,
  finalMessage,
  finalText,
  InternalServerError,
  NotFoundError,
  OverloadedError,
  PermissionDeniedError,
  RateLimitError,
  RequestTooLargeError,
  UnprocessableEntityError,
} from 'rx-anthropic';
import { errorReply, textReply, type MockServer } from 'rx-anthropic/testing';
import { guardLeaks } from './support/guard';
import { expectTyped, runBounded } from './support/outcome';
import { FaultTally, recordFigures } from './support/recordFigures';
import { clientOf, params } from './support/streams';
import { FAR_TIMEOUT_MS, skipRetryDelays } from './support/virtualTime';

const guard = guardLeaks();
const faults = new FaultTally();
afterAll(() => recordFigures('httpStatus', { faults: faults.toJSON(), faultsTotal: faults.total, leakChecks: guard.checks.count }));

const BOUND_MS = 5_000;
const quickRetry = { 'retry-after-ms': '1' };

type ErrorClass = abstract new (...args: never[]) => APIError;
const retryable: Array<[number, ErrorClass]> = [
  [408, APIError],
  [409, ConflictError],
  [429, RateLimitError],
  [500, InternalServerError],
  [502, InternalServerError],
  [503, InternalServerError],
  [529, OverloadedError],
];
const final: Array<[number, ErrorClass, string]> = [
  [400, BadRequestError, 'invalid_request_error'],
  [401, AuthenticationError, 'authentication_error'],
  [403, PermissionDeniedError, 'permission_error'],
  [404, NotFoundError, 'not_found_error'],
  [413, RequestTooLargeError, 'request_too_large'],
  [422, UnprocessableEntityError, 'invalid_request_error'],
];

/** Every request of the exchange reached the server, carried the same body, and its exchange is over. */
async function expectSameRequests(server: MockServer, count: number): Promise<void> {
  expect(server.requests).toHaveLength(count);
  await Promise.all(server.requests.map((request) => request.closed));
  for (const request of server.requests) expect(request.body).toEqual({ ...params, stream: true });
}

describe.each(retryable)('HTTP %i before the body', (status, ErrorClass) => {
  it('is retried, then the stream succeeds with one message and no event of the failed attempts', async () => {
    faults.add(`status ${status}`, 2);
    const server = await guard.serve([
      errorReply(status, { headers: quickRetry }),
      errorReply(status, { headers: quickRetry }),
      textReply('recovered'),
    ]);
    const attempts: number[] = [];
    const outcome = await runBounded(
      clientOf(server.baseURL, { maxRetries: 2 }).messages.stream(params, { onResponse: (info) => attempts.push(info.attempt) }),
      BOUND_MS,
    );
    expect(outcome.error).toBeUndefined();
    expect(outcome.finalized).toBe(true);
    expect(outcome.values.filter((event) => event.type === 'message_start')).toHaveLength(1);
    expect(outcome.values.at(-1)?.type).toBe('message_stop');
    expect(attempts).toEqual([0, 1, 2]);
    await expectSameRequests(server, 3);
  });

  it('fails with its typed error, the API message and the last request id after maxRetries', async () => {
    faults.add(`status ${status}`, 3);
    const message = `Mock failure ${status}, please retry`;
    const server = await guard.serve([0, 1, 2].map(() => errorReply(status, { message, headers: quickRetry })));
    const outcome = await runBounded(clientOf(server.baseURL, { maxRetries: 2 }).messages.stream(params), BOUND_MS);
    const error = expectTyped(outcome.error, ErrorClass);
    expect(error.status).toBe(status);
    expect(error.message).toContain(message);
    expect(error.requestId).toBe(server.requests[2]?.requestId);
    expect(outcome.values).toEqual([]);
    expect(outcome.finalized).toBe(true);
    await expectSameRequests(server, 3);
  });

  it('is not retried when the server says x-should-retry: false', async () => {
    faults.add(`status ${status}`);
    const server = await guard.serve([errorReply(status, { headers: { ...quickRetry, 'x-should-retry': 'false' } }), textReply('unused')]);
    const outcome = await runBounded(clientOf(server.baseURL, { maxRetries: 2 }).messages.stream(params), BOUND_MS);
    expectTyped(outcome.error, ErrorClass);
    await expectSameRequests(server, 1);
  });
});

describe.each(final)('HTTP %i before the body', (status, ErrorClass, type) => {
  it('fails at once, without a retry, with the typed error, the API message and the request id', async () => {
    faults.add(`status ${status}`);
    const message = `The API refused this (${status})`;
    const server = await guard.serve([errorReply(status, { type, message }), textReply('unused')]);
    const outcome = await runBounded(clientOf(server.baseURL, { maxRetries: 2 }).messages.stream(params), BOUND_MS);
    const error = expectTyped(outcome.error, ErrorClass);
    expect(error).toMatchObject({ status, type, requestId: server.requests[0]?.requestId });
    expect(error.message).toBe(`${status} ${type}: ${message} (request-id: ${server.requests[0]?.requestId})`);
    expect(error.headers['request-id']).toBe(server.requests[0]?.requestId);
    expect(outcome.finalized).toBe(true);
    await expectSameRequests(server, 1);
  });

  it('gives the same typed error through create() without streaming', async () => {
    faults.add(`status ${status}`);
    const server = await guard.serve([errorReply(status, { type, message: 'no' }), textReply('unused')]);
    const outcome = await runBounded(clientOf(server.baseURL, { maxRetries: 2 }).messages.create(params), BOUND_MS);
    expectTyped(outcome.error, ErrorClass);
    expect(server.requests).toHaveLength(1);
  });
});

describe('retry policy details over the wire', () => {
  it('retries a status it would not retry when the server says x-should-retry: true', async () => {
    faults.add('status 400');
    const server = await guard.serve([errorReply(400, { headers: { ...quickRetry, 'x-should-retry': 'true' } }), textReply('granted')]);
    const text = await lastValueFrom(clientOf(server.baseURL, { maxRetries: 1 }).messages.stream(params).pipe(finalText()));
    expect(text).toBe('granted');
    expect(server.requests).toHaveLength(2);
  });

  it('waits the retry-after-ms the server asks for, in real time', async () => {
    faults.add('status 429');
    const server = await guard.serve([errorReply(429, { headers: { 'retry-after-ms': '80' } }), textReply('later')]);
    const outcome = await runBounded(clientOf(server.baseURL, { maxRetries: 1 }).messages.stream(params).pipe(finalText()), BOUND_MS);
    expect(outcome.values).toEqual(['later']);
    expect(outcome.ms).toBeGreaterThanOrEqual(75);
  });

  it('retries create() and countTokens() as it retries streams', async () => {
    faults.add('status 529', 2);
    const server = await guard.serve([errorReply(529, { headers: quickRetry }), textReply('whole')], {
      countTokens: (_, index) => (index === 0 ? errorReply(503, { headers: quickRetry }) : 42),
    });
    const client = clientOf(server.baseURL, { maxRetries: 1 });
    const message = await runBounded(client.messages.create(params), BOUND_MS);
    expect(message.values[0]?.content).toEqual([{ type: 'text', text: 'whole' }]);
    const count = await runBounded(client.messages.countTokens(params), BOUND_MS);
    expect(count.values).toEqual([{ input_tokens: 42 }]);
  });

  // Headers are made when the test runs: an HTTP date made at collection time would be stale.
  it.each([
    ['retry-after in seconds', () => ({ 'retry-after': '2' }), [2000, 2000]],
    ['retry-after as an HTTP date', () => ({ 'retry-after': new Date(Date.now() + 3000).toUTCString() }), [1000, 3000]],
    ['retry-after-ms', () => ({ 'retry-after-ms': '1500' }), [1500, 1500]],
    ['retry-after-ms before retry-after', () => ({ 'retry-after-ms': '250', 'retry-after': '30' }), [250, 250]],
    ['no hint: the backoff, 0.5 s less up to a quarter', () => ({}), [375, 500]],
    ['a retry-after over 60 s: ignored for the backoff', () => ({ 'retry-after': '120' }), [375, 500]],
    ['an unreadable retry-after: ignored for the backoff', () => ({ 'retry-after': 'soon' }), [375, 500]],
  ] as const)('429 with %s waits that long (virtual time), then succeeds', async (_, headers, [min, max]) => {
    faults.add('status 429');
    const server = await guard.serve([errorReply(429, { headers: headers() }), textReply('in time')]);
    const scheduler = new VirtualTimeScheduler();
    const client = clientOf(server.baseURL, { maxRetries: 1, scheduler, timeout: FAR_TIMEOUT_MS });
    let result: { text?: string; error?: unknown } | undefined;
    client.messages
      .stream(params)
      .pipe(finalText())
      .subscribe({ next: (text) => (result = { text }), error: (error: unknown) => (result = { error }) });
    const delays = await skipRetryDelays(scheduler, () => result !== undefined);
    expect(result).toEqual({ text: 'in time' });
    expect(delays).toHaveLength(1);
    expect(delays[0]).toBeGreaterThanOrEqual(min);
    expect(delays[0]).toBeLessThanOrEqual(max);
    expect(server.requests).toHaveLength(2);
  });

  it('follows the exponential backoff across retries, then gives the typed error (virtual time)', async () => {
    faults.add('status 503', 4);
    const server = await guard.serve([0, 1, 2, 3].map(() => errorReply(503)));
    const scheduler = new VirtualTimeScheduler();
    const client = clientOf(server.baseURL, { maxRetries: 3, scheduler, timeout: FAR_TIMEOUT_MS });
    let error: unknown;
    client.messages.stream(params).pipe(finalMessage()).subscribe({ error: (e: unknown) => (error = e) });
    const delays = await skipRetryDelays(scheduler, () => error !== undefined);
    expectTyped(error, InternalServerError);
    expect(delays).toHaveLength(3);
    delays.forEach((delay, retry) => {
      expect(delay).toBeGreaterThanOrEqual(375 * 2 ** retry);
      expect(delay).toBeLessThanOrEqual(500 * 2 ** retry);
    });
    expect(server.requests).toHaveLength(4);
  });
});
