/**
 * `event: error` in the middle of a 200 stream, for each error type the API sends (and ones it
 * may add): the matching typed error, no retry (data was emitted), and the snapshot so far still
 * in the hands of the user through the values `accumulateMessage()` emitted before the error.
 */
import { tap } from 'rxjs';
import {
  accumulateMessage,
  APIError,
  AuthenticationError,
  BadRequestError,
  InternalServerError,
  NotFoundError,
  OverloadedError,
  PermissionDeniedError,
  RateLimitError,
  RequestTooLargeError,
  type RawMessageStreamEvent,
} from 'rx-anthropic';
import { eventsReply, sseReply, textReply } from 'rx-anthropic/testing';
import { guardLeaks, within } from './support/guard';
import { expectTyped, runBounded } from './support/outcome';
import { FaultTally, recordFigures } from './support/recordFigures';
import { clientOf, params } from './support/streams';

const guard = guardLeaks();
const faults = new FaultTally();
afterAll(() => recordFigures('streamErrorEvents', { faults: faults.toJSON(), faultsTotal: faults.total, leakChecks: guard.checks.count }));

const BOUND_MS = 5_000;

const start = {
  type: 'message_start',
  message: { id: 'msg_err', type: 'message', role: 'assistant', model: 'm', content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 3, output_tokens: 1 } },
};
const textSoFar = [
  start,
  { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
  { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Half an ' } },
  { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'answer 🙂' } },
];

type ErrorClass = abstract new (...args: never[]) => APIError;
const errorTypes: Array<[string, ErrorClass]> = [
  ['invalid_request_error', BadRequestError],
  ['authentication_error', AuthenticationError],
  ['permission_error', PermissionDeniedError],
  ['not_found_error', NotFoundError],
  ['request_too_large', RequestTooLargeError],
  ['rate_limit_error', RateLimitError],
  ['api_error', InternalServerError],
  ['overloaded_error', OverloadedError],
  ['billing_error', APIError],
  ['timeout_error', APIError],
  ['a_type_added_later', APIError],
];

describe.each(errorTypes)('event: error of type %s', (type, ErrorClass) => {
  it('fails with the typed error after the snapshots so far, without a retry', async () => {
    faults.add(`error event ${type}`);
    const message = `Stream failed: ${type}`;
    const server = await guard.serve([eventsReply([...textSoFar, { type: 'error', error: { type, message } }]), textReply('unused')]);
    const raw: RawMessageStreamEvent[] = [];
    const outcome = await runBounded(
      clientOf(server.baseURL, { maxRetries: 2 })
        .messages.stream(params)
        .pipe(
          tap((event) => raw.push(event)),
          accumulateMessage(),
        ),
      BOUND_MS,
    );
    const error = expectTyped(outcome.error, ErrorClass);
    if (ErrorClass === APIError) expect(error.constructor).toBe(APIError);
    expect(error).toMatchObject({ status: undefined, type, requestId: server.requests[0]?.requestId });
    expect(error.message).toContain(message);
    expect(raw.map((event) => event.type)).toEqual(['message_start', 'content_block_start', 'content_block_delta', 'content_block_delta']);
    // The user keeps what arrived: one snapshot per event, the last with the text so far.
    expect(outcome.values).toHaveLength(4);
    expect(outcome.values.at(-1)?.content).toEqual([{ type: 'text', text: 'Half an answer 🙂' }]);
    expect(outcome.values.at(-1)?.id).toBe('msg_err');
    expect(outcome.finalized).toBe(true);
    expect(server.requests).toHaveLength(1);
    await within((await server.waitForRequest(0)).closed, 1_000, 'the exchange ending');
  });
});

describe('error events in other places and shapes', () => {
  it('as the very first event: the typed error, no snapshot, no retry', async () => {
    faults.add('error event first');
    const server = await guard.serve([eventsReply([{ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }]), textReply('unused')]);
    const outcome = await runBounded(clientOf(server.baseURL, { maxRetries: 2 }).messages.stream(params).pipe(accumulateMessage()), BOUND_MS);
    expectTyped(outcome.error, OverloadedError);
    expect(outcome.values).toEqual([]);
    expect(server.requests).toHaveLength(1);
  });

  it('with data that is not JSON: an InternalServerError carrying the text', async () => {
    faults.add('error event not JSON');
    const server = await guard.serve([sseReply('event: error\ndata: upstream exploded\n\n')]);
    const outcome = await runBounded(clientOf(server.baseURL).messages.stream(params), BOUND_MS);
    const error = expectTyped(outcome.error, InternalServerError);
    expect(error.message).toContain('upstream exploded');
  });

  it('with a request_id in its data: that id, not the header', async () => {
    faults.add('error event with request_id');
    const server = await guard.serve([
      eventsReply([start, { type: 'error', error: { type: 'api_error', message: 'boom' }, request_id: 'req_from_event' }]),
    ]);
    const outcome = await runBounded(clientOf(server.baseURL).messages.stream(params), BOUND_MS);
    expect(expectTyped(outcome.error, InternalServerError).requestId).toBe('req_from_event');
  });

  it('named only by its data type (no event: line), after a finished tool call: the snapshot keeps the tool input', async () => {
    faults.add('error event without event name');
    const sse = [
      `data: ${JSON.stringify(start)}`,
      'data: {"type":"content_block_start","index":0,"content_block":{"type":"tool_use","id":"toolu_1","name":"get_weather","input":{}}}',
      'data: {"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":"{\\"city\\": \\"Par"}}',
      'data: {"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":"is\\"}"}}',
      'data: {"type":"content_block_stop","index":0}',
      'data: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}',
      '',
    ].join('\n\n');
    const server = await guard.serve([sseReply(sse)]);
    const outcome = await runBounded(clientOf(server.baseURL).messages.stream(params).pipe(accumulateMessage()), BOUND_MS);
    expectTyped(outcome.error, OverloadedError);
    expect(outcome.values.at(-1)?.content).toEqual([{ type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } }]);
  });
});
