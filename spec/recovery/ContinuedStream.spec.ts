import { concat, from, lastValueFrom, NEVER, Observable, queueScheduler, throwError } from 'rxjs';
import { APIConnectionError, APITimeoutError, BadRequestError, finalMessage, type MessageCreateParams, type RawMessageStreamEvent } from 'rx-anthropic';
import { continueOnDrop } from '../../lib/recovery/continueOnDrop';
import type { RecoveryEvent } from '../../lib/recovery/RecoveryOptions';
import { ContinuedStream } from '../../lib/recovery/ContinuedStream';

const params: MessageCreateParams = { model: 'claude-sonnet-4-6', max_tokens: 256, messages: [{ role: 'user', content: 'Hi' }] };

const usage = (input: number, output: number) => ({ input_tokens: input, output_tokens: output, cache_creation_input_tokens: null, cache_read_input_tokens: 3, server_tool_use: { web_search_requests: 1 } });
const start = (input: number): RawMessageStreamEvent =>
  ({ type: 'message_start', message: { id: 'msg_1', type: 'message', role: 'assistant', model: 'm', content: [], stop_reason: null, stop_sequence: null, usage: usage(input, 1) } }) as RawMessageStreamEvent;
const textStart = (index: number): RawMessageStreamEvent => ({ type: 'content_block_start', index, content_block: { type: 'text', text: '' } }) as RawMessageStreamEvent;
const toolStart = (index: number): RawMessageStreamEvent => ({ type: 'content_block_start', index, content_block: { type: 'tool_use', id: 'toolu_1', name: 'f', input: {} } }) as RawMessageStreamEvent;
const text = (index: number, value: string): RawMessageStreamEvent => ({ type: 'content_block_delta', index, delta: { type: 'text_delta', text: value } }) as RawMessageStreamEvent;
const json = (index: number, value: string): RawMessageStreamEvent => ({ type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json: value } }) as RawMessageStreamEvent;
const stop = (index: number): RawMessageStreamEvent => ({ type: 'content_block_stop', index }) as RawMessageStreamEvent;
const messageDelta = (stopReason: string, output: number): RawMessageStreamEvent => ({ type: 'message_delta', delta: { stop_reason: stopReason, stop_sequence: null }, usage: { output_tokens: output } }) as RawMessageStreamEvent;
const messageStop = { type: 'message_stop' } as RawMessageStreamEvent;

/** A request's events, then a drop (or the end when `drops` is false). */
const answer = (events: RawMessageStreamEvent[], drops = true): Observable<RawMessageStreamEvent> =>
  drops ? concat(from(events), throwError(() => new APIConnectionError('Connection error: terminated.'))) : from(events);

/** Runs `continueOnDrop` over scripted requests, in order; gives the consumer's events, the params each request got, and the recoveries. */
async function run(requests: Array<Observable<RawMessageStreamEvent>>, attempts = 3, first: MessageCreateParams = params) {
  const sent: MessageCreateParams[] = [];
  const recoveries: RecoveryEvent[] = [];
  const send = (attemptParams: MessageCreateParams) => {
    sent.push(attemptParams);
    return requests[sent.length - 1] ?? throwError(() => new Error('no more requests scripted'));
  };
  const context = { options: { continueOnDrop: attempts }, scheduler: queueScheduler, report: (event: RecoveryEvent) => recoveries.push(event) };
  const events: RawMessageStreamEvent[] = [];
  const error = await new Promise<unknown>((resolve) => continueOnDrop(send, context)(first).subscribe({ next: (event) => events.push(event), error: resolve, complete: () => resolve(undefined) }));
  return { events, sent, recoveries, error };
}

describe('ContinuedStream (through continueOnDrop, requests scripted as Observables)', () => {
  it('passes the events of a request that does not drop as they came, the same objects', async () => {
    const events = [start(5), textStart(0), text(0, 'Hi'), stop(0), messageDelta('end_turn', 2), messageStop];
    const result = await run([answer(events, false)]);
    expect(result.error).toBeUndefined();
    expect(result.events).toHaveLength(events.length);
    result.events.forEach((event, index) => expect(event).toBe(events[index]));
  });

  it('closes the cut text block when the continuation opens with a tool_use, which follows at the next index', async () => {
    const result = await run([
      answer([start(5), textStart(0), text(0, 'Let me look')]),
      answer([start(9), toolStart(0), json(0, '{"a":1}'), stop(0), messageDelta('tool_use', 7), messageStop], false),
    ]);
    expect(result.error).toBeUndefined();
    expect(result.events.slice(3)).toEqual([stop(0), toolStart(1), json(1, '{"a":1}'), stop(1), expect.objectContaining({ type: 'message_delta' }), messageStop]);
    expect(result.sent[1]?.messages.at(-1)).toEqual({ role: 'assistant', content: 'Let me look' });
  });

  it('closes the cut text block when the continuation has no block at all', async () => {
    const result = await run([answer([start(5), textStart(0), text(0, 'Done.')]), answer([start(9), messageDelta('end_turn', 1), messageStop], false)]);
    expect(result.events.map((event) => event.type)).toEqual(['message_start', 'content_block_start', 'content_block_delta', 'content_block_stop', 'message_delta', 'message_stop']);
    expect((result.events[3] as { index: number }).index).toBe(0);
  });

  it('sums the usage of every request into each message_delta of the continuation: numbers added, objects of counts summed', async () => {
    const result = await run([
      answer([start(5), textStart(0), text(0, 'One')]),
      answer([start(8), textStart(0), text(0, ' two')]),
      answer([start(11), textStart(0), text(0, ' three.'), stop(0), messageDelta('end_turn', 4), messageStop], false),
    ]);
    const message = await lastValueFrom(from(result.events).pipe(finalMessage()));
    expect(message.content).toEqual([{ type: 'text', text: 'One two three.' }]);
    expect(message.usage).toEqual({
      input_tokens: 5 + 8 + 11,
      // Each cut request reported its message_start's 1; the last its message_delta's 4.
      output_tokens: 1 + 1 + 4,
      cache_creation_input_tokens: null,
      cache_read_input_tokens: 9,
      server_tool_use: { web_search_requests: 3 },
    });
    expect(result.recoveries.map((event) => (event as { attempt: number }).attempt)).toEqual([1, 2]);
    expect(result.sent.map((sent) => sent.messages.at(-1))).toEqual([params.messages[0], { role: 'assistant', content: 'One' }, { role: 'assistant', content: 'One two' }]);
  });

  it('leaves out a continuation block that stays empty after a finished block, and re-indexes what follows', async () => {
    const result = await run([
      answer([start(5), textStart(0), text(0, 'Whole. '), stop(0)]),
      answer([start(9), textStart(0), text(0, ' '), stop(0), toolStart(1), json(1, '{}'), stop(1), messageDelta('tool_use', 3), messageStop], false),
    ]);
    expect(result.sent[1]?.messages.at(-1)).toEqual({ role: 'assistant', content: 'Whole.' });
    const message = await lastValueFrom(from(result.events).pipe(finalMessage()));
    expect(message.content).toEqual([{ type: 'text', text: 'Whole. ' }, { type: 'tool_use', id: 'toolu_1', name: 'f', input: {} }]);
  });

  it("extends the request's own assistant prefill in its last text block", async () => {
    const blocks: MessageCreateParams = { ...params, messages: [...params.messages, { role: 'assistant', content: [{ type: 'text', text: 'Sure:' }] }] };
    const result = await run([answer([start(5), textStart(0), text(0, ' one, two ')]), answer([start(5), messageDelta('end_turn', 1), messageStop], false)], 1, blocks);
    expect(result.sent[1]?.messages).toEqual([params.messages[0], { role: 'assistant', content: [{ type: 'text', text: 'Sure: one, two' }] }]);
    expect(result.sent[0]).toBe(blocks);
  });

  it('does not continue after a non-text block finished, saying which', async () => {
    const result = await run([answer([start(5), toolStart(0), json(0, '{}'), stop(0), textStart(1), text(1, 'and')])]);
    expect((result.error as Error).message).toBe('Connection error: terminated. The stream was not continued: the answer so far has a tool_use block, and a prefill carries only text.');
    expect(result.sent).toHaveLength(1);
  });

  it('keeps the request that a synchronous failure started as the one in flight: unsubscribing stops it', () => {
    let stopped = 0;
    const stalls = new Observable<RawMessageStreamEvent>((subscriber) => {
      const inner = concat(from([start(9), textStart(0), text(0, 'more')]), NEVER).subscribe(subscriber);
      return () => {
        stopped += 1;
        inner.unsubscribe();
      };
    });
    const requests = [answer([]), stalls];
    const sent: MessageCreateParams[] = [];
    const send = (attemptParams: MessageCreateParams) => {
      sent.push(attemptParams);
      return requests[sent.length - 1] as Observable<RawMessageStreamEvent>;
    };
    const context = { options: { continueOnDrop: 2 }, scheduler: queueScheduler, report: () => undefined };
    const events: RawMessageStreamEvent[] = [];
    const subscription = continueOnDrop(send, context)(params).subscribe((event) => events.push(event));
    expect(sent).toEqual([params, params]);
    expect(events).toHaveLength(3);
    expect(stopped).toBe(0);
    subscription.unsubscribe();
    expect(stopped).toBe(1);
  });

  it('fails with the first drop when a continuation is refused after another dropped before its first event', async () => {
    const first = new APIConnectionError('Connection error: first.');
    const refusal = new BadRequestError(400, { type: 'invalid_request_error', message: 'No prefill.' }, undefined, {});
    const result = await run([
      concat(from([start(5), textStart(0), text(0, 'Hel')]), throwError(() => first)),
      throwError(() => new APIConnectionError('Connection error: second.')),
      throwError(() => refusal),
    ]);
    expect(result.error).toBe(first);
    expect((result.error as Error).message).toMatch(/^Connection error: first\. The stream was not continued: the API refused the continuation and its prefill \(400: .*No prefill\..*\)\.$/);
    expect((result.error as Error & { cause: unknown }).cause).toBe(refusal);
    expect(result.sent).toHaveLength(3);
  });

  it("takes a timeout of the whole request (phase 'total') as it came, and one between chunks as a drop", async () => {
    const timeout = (phase: string) => Object.assign(new APITimeoutError(100), { phase });
    const cut = (phase: string) => concat(from([start(5), textStart(0), text(0, 'Hel')]), throwError(() => timeout(phase)));
    const whole = answer([start(5), textStart(0), text(0, 'lo'), stop(0), messageDelta('end_turn', 1), messageStop], false);
    const total = await run([cut('total'), whole]);
    expect(total.error).toBeInstanceOf(APITimeoutError);
    expect((total.error as Error).message).toBe('Request timed out after 100 ms.');
    expect(total.sent).toHaveLength(1);
    const idle = await run([cut('idle'), whole]);
    expect(idle.error).toBeUndefined();
    expect(idle.sent).toHaveLength(2);
  });

  it('plans without changing anything: the same plan twice', () => {
    const stream = new ContinuedStream(params);
    for (const event of [start(5), textStart(0), text(0, 'Hello  ')]) stream.accept(event, () => undefined);
    const error = new APIConnectionError('Connection error: terminated.');
    expect(stream.plan(error)).toEqual(stream.plan(error));
    expect(stream.plan(error)).toMatchObject({ kind: 'continue', params: { messages: [params.messages[0], { role: 'assistant', content: 'Hello' }] } });
  });
});
