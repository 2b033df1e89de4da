import * as t from 'io-ts';
import { filter, map, type Observable, of, timer } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { APIUserAbortError, defineTool, toolLoop, type MessageCreateParams, type ToolApprovalDecision, type ToolLoopEvent, type ToolLoopOptions } from 'rx-anthropic';
import { scriptedClient, text, toolUse, type ScriptedTurn } from './support/scriptedClient';

/**
 * Marble tests of the tool loop's timing: when each request goes out, when approval is asked and
 * answered, when tools run, and that unsubscribing or aborting while a hook or an approval is
 * pending tears it down. The model is a scripted client on virtual time (each turn streams in
 * one frame); only the loop's own events and `message_start` (`s`, a turn streamed) are shown.
 */
const params: MessageCreateParams = { model: 'claude-test', max_tokens: 256, messages: [{ role: 'user', content: 'Tidy up.' }] };

let scheduler: TestScheduler;
beforeEach(() => {
  scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
});

const summary = (event: ToolLoopEvent): string | undefined => {
  switch (event.type) {
    case 'message_start':
      return 's';
    case 'tool_approval_request':
      return `approve? ${event.name}`;
    case 'tool_result':
      return `${event.name}: ${typeof event.content === 'string' ? event.content : JSON.stringify(event.content)}`;
    case 'tool_loop_end':
      return `end ${event.stop_reason}`;
    default:
      return undefined;
  }
};
const shown = (events: Observable<ToolLoopEvent>) =>
  events.pipe(
    map(summary),
    filter((line): line is string => line !== undefined),
  );

function loop(turns: ScriptedTurn[], options: ToolLoopOptions) {
  const scripted = scriptedClient(turns, () => scheduler.now());
  return { events: of(params).pipe(toolLoop(scripted.client, options)), requests: scripted.requests };
}

const removeTurns: ScriptedTurn[] = [
  { content: [toolUse('t1', 'remove_file', { path: 'a.txt' })], stop_reason: 'tool_use' },
  { content: [text('Removed.')], stop_reason: 'end_turn' },
];

describe('toolLoop timing', () => {
  it('sends the first request only once prepareTurn has answered, with what it answered', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions, flush }) => {
      const answer = cold('---a|', { a: { max_tokens: 99 } });
      const { events, requests } = loop([{ content: [text('Hi')], stop_reason: 'end_turn', frames: 2 }], { tools: [], prepareTurn: () => answer });
      expectObservable(shown(events)).toBe('-----(se|)', { s: 's', e: 'end end_turn' });
      expectSubscriptions(answer.subscriptions).toBe('^--!');
      flush();
      expect(requests.map((request) => request.at)).toEqual([3]);
      expect(requests[0]?.params.max_tokens).toBe(99);
    });
  });

  it('asks approve after the turn has streamed, runs the tool once approved, then sends its result', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions, flush }) => {
      const answer = cold<ToolApprovalDecision>('----y|', { y: { approved: true } });
      const run = cold('--x|', { x: 'removed a.txt' });
      const removeFile = defineTool({ name: 'remove_file', description: 'Removes a file', input: t.type({ path: t.string }), needsApproval: true, run: () => run });
      const { events, requests } = loop(removeTurns, { tools: [removeFile], approve: () => answer });
      expectObservable(shown(events)).toBe('-(sa)---r(se|)', {
        s: 's',
        a: 'approve? remove_file',
        r: 'remove_file: removed a.txt',
        e: 'end end_turn',
      });
      expectSubscriptions(answer.subscriptions).toBe('-^---!');
      expectSubscriptions(run.subscriptions).toBe('-----^--!');
      flush();
      expect(requests.map((request) => request.at)).toEqual([0, 8]);
      expect(requests[1]?.params.messages.at(-1)).toEqual({ role: 'user', content: [{ type: 'tool_result', tool_use_id: 't1', content: 'removed a.txt' }] });
    });
  });

  it('cancels the question cleanly on unsubscribe while waiting: the tool never runs, nothing more is sent', () => {
    let runs = 0;
    let signal: AbortSignal | undefined;
    scheduler.run(({ cold, expectObservable, expectSubscriptions, flush }) => {
      const answer = cold<ToolApprovalDecision>('------y|', { y: { approved: true } });
      const removeFile = defineTool({ name: 'remove_file', description: 'Removes a file', input: t.type({ path: t.string }), needsApproval: true, run: () => (runs += 1, 'removed') });
      const { events, requests } = loop(removeTurns, {
        tools: [removeFile],
        approve: (_request, context) => {
          signal = context.signal;
          return answer;
        },
      });
      expectObservable(shown(events), '^---!').toBe('-(sa)', { s: 's', a: 'approve? remove_file' });
      expectSubscriptions(answer.subscriptions).toBe('-^--!');
      flush();
      expect(requests).toHaveLength(1);
    });
    expect(runs).toBe(0);
    expect(signal?.aborted).toBe(true);
  });

  it('fails with APIUserAbortError when requestOptions.signal aborts while waiting for approval, and stops asking', () => {
    const controller = new AbortController();
    let runs = 0;
    scheduler.run(({ cold, expectObservable, expectSubscriptions, flush }) => {
      const answer = cold<ToolApprovalDecision>('--------y|', { y: { approved: true } });
      const removeFile = defineTool({ name: 'remove_file', description: 'Removes a file', input: t.type({ path: t.string }), needsApproval: true, run: () => (runs += 1, 'removed') });
      const { events, requests } = loop(removeTurns, { tools: [removeFile], approve: () => answer, requestOptions: { signal: controller.signal } });
      timer(6).subscribe(() => controller.abort());
      expectObservable(shown(events)).toBe('-(sa)-#', { s: 's', a: 'approve? remove_file' }, new APIUserAbortError());
      expectSubscriptions(answer.subscriptions).toBe('-^----!');
      flush();
      expect(requests).toHaveLength(1);
    });
    expect(runs).toBe(0);
  });

  it('never runs a denied tool: the model reads the reason, the loop goes on at once', () => {
    let runs = 0;
    scheduler.run(({ cold, expectObservable, flush }) => {
      const answer = cold<ToolApprovalDecision>('----n|', { n: { approved: false, reason: 'Keep a.txt.' } });
      const removeFile = defineTool({ name: 'remove_file', description: 'Removes a file', input: t.type({ path: t.string }), needsApproval: true, run: () => (runs += 1, 'removed') });
      const { events, requests } = loop(removeTurns, { tools: [removeFile], approve: () => answer });
      expectObservable(shown(events)).toBe('-(sa)r(se|)', {
        s: 's',
        a: 'approve? remove_file',
        r: "remove_file: Error: Tool 'remove_file' was not approved: Keep a.txt.",
        e: 'end end_turn',
      });
      flush();
      expect(requests.map((request) => request.at)).toEqual([0, 5]);
      expect(requests[1]?.params.messages.at(-1)).toEqual({
        role: 'user',
        content: [{ type: 'tool_result', tool_use_id: 't1', content: "Error: Tool 'remove_file' was not approved: Keep a.txt.", is_error: true }],
      });
    });
    expect(runs).toBe(0);
  });

  it('asks about the tools of one turn at once, runs each when its answer comes, and sends the results in tool_use order', () => {
    scheduler.run(({ cold, expectObservable, flush }) => {
      const answers: Record<string, Observable<ToolApprovalDecision>> = {
        'a.txt': cold('--------y|', { y: { approved: true } }),
        'b.txt': cold('------y|', { y: { approved: true } }),
      };
      const removeFile = defineTool({ name: 'remove_file', description: 'Removes a file', input: t.type({ path: t.string }), needsApproval: true, run: ({ path }) => `removed ${path}` });
      const { events, requests } = loop(
        [
          { content: [toolUse('t1', 'remove_file', { path: 'a.txt' }), toolUse('t2', 'remove_file', { path: 'b.txt' })], stop_reason: 'tool_use' },
          { content: [text('Both removed.')], stop_reason: 'end_turn' },
        ],
        { tools: [removeFile], approve: (request) => answers[(request.input as { path: string }).path] as Observable<ToolApprovalDecision> },
      );
      expectObservable(shown(events)).toBe('-(saa)-b-c(se|)', {
        s: 's',
        a: 'approve? remove_file',
        b: 'remove_file: removed b.txt',
        c: 'remove_file: removed a.txt',
        e: 'end end_turn',
      });
      flush();
      const results = (requests[1]?.params.messages.at(-1)?.content as { tool_use_id: string }[]).map((block) => block.tool_use_id);
      expect(results).toEqual(['t1', 't2']);
    });
  });

  it('asks stopWhen after the tools have run, and ends when its Observable answers true, without another request', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions, flush }) => {
      const answer = cold('-----y|', { y: true });
      const removeFile = defineTool({ name: 'remove_file', description: 'Removes a file', input: t.type({ path: t.string }), run: () => 'removed' });
      const { events, requests } = loop(removeTurns, { tools: [removeFile], stopWhen: () => answer });
      expectObservable(shown(events)).toBe('-(sr)-(e|)', { s: 's', r: 'remove_file: removed', e: 'end stop_when' });
      expectSubscriptions(answer.subscriptions).toBe('-^----!');
      flush();
      expect(requests).toHaveLength(1);
    });
  });

  it('asks approve only about the tool uses that need it: a needsApproval function of the input decides', () => {
    const asked: string[] = [];
    scheduler.run(({ cold, expectObservable }) => {
      const removeFile = defineTool({
        name: 'remove_file',
        description: 'Removes a file',
        input: t.type({ path: t.string }),
        needsApproval: ({ path }) => !path.startsWith('tmp/'),
        run: ({ path }) => `removed ${path}`,
      });
      const { events } = loop(
        [
          { content: [toolUse('t1', 'remove_file', { path: 'tmp/x' }), toolUse('t2', 'remove_file', { path: 'notes.md' })], stop_reason: 'tool_use' },
          { content: [text('Done.')], stop_reason: 'end_turn' },
        ],
        {
          tools: [removeFile],
          approve: (request) => {
            asked.push((request.input as { path: string }).path);
            return cold('------y|', { y: { approved: true as const } });
          },
        },
      );
      expectObservable(shown(events)).toBe('-(sxa)-b(se|)', {
        s: 's',
        x: 'remove_file: removed tmp/x',
        a: 'approve? remove_file',
        b: 'remove_file: removed notes.md',
        e: 'end end_turn',
      });
    });
    expect(asked).toEqual(['notes.md']);
  });
});
