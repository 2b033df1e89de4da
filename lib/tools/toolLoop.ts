import { concat, concatMap, defer, from, mergeMap, Observable, of, type OperatorFunction } from 'rxjs';
import { accumulateEvent, describeProgress, type AccumulatorState } from '../accumulate/accumulateEvent';
import type { Client } from '../client/createClient';
import { IncompleteStreamError } from '../errors';
import type { Message, MessageCreateParams, MessageParam, ToolUseBlock } from '../schema';
import type { RequestOptions } from '../transport/HttpRequest';
import { isRunnableTool, type LoopTool, type RunnableTool } from './RunnableTool';
import { runTool } from './runTool';
import { toApiTool } from './toApiTool';
import type { ToolLoopEvent, ToolLoopStopReason, ToolResultEvent } from './ToolLoopEvent';

/**
 * Options of {@link toolLoop}.
 *
 * ## Example
 * ```ts
 * const options: ToolLoopOptions = { tools: [getWeather], maxIterations: 5, concurrency: 2 };
 * of(params).pipe(toolLoop(client, options), textDeltas()).subscribe((text) => process.stdout.write(text));
 * ```
 */
export interface ToolLoopOptions {
  /** Tools the loop runs (`defineTool`, `mcpTool`) and plain API tool definitions (server tools), mixed. */
  tools: readonly LoopTool[];
  /** The most requests one loop sends. Default 10. */
  maxIterations?: number;
  /** The most tools of one turn running at once. Default unbounded. */
  concurrency?: number;
  /** Options of every request of the loop (`signal`, `headers`, `betas`, `timeout`, …). */
  requestOptions?: RequestOptions;
}

/**
 * Runs the tool loop of the official SDKs for each request params: stream a turn, run the
 * tools it asks for, send their results, and repeat until the model stops asking.
 *
 * Each turn's raw events are re-emitted as they arrive, so `textDeltas()`,
 * `messageStreamEvents()`, `accumulateMessage()` and `finalMessage()` work downstream across
 * turns. When a turn asks for tools (`tool_use` blocks; server tools are the API's), they run in
 * parallel, at most `concurrency` at once, each reporting `tool_progress` events and one
 * `tool_result` event when it is done; their results go back, in `tool_use` order, in one user
 * turn of the next request, and a `container` the API returned is carried into it. An unknown
 * tool, input the tool's codec refuses, or a tool that fails becomes an `is_error` result and
 * the loop goes on. The loop ends with one `tool_loop_end` event carrying the conversation and
 * why it stopped: no tool asked (the message's `stop_reason`), `refusal` (tools are not run),
 * or `max_iterations` (the last turn's tools still run). An HTTP error of a turn fails the loop
 * with its typed error. Unsubscribing aborts the request in flight and every running tool.
 *
 * ## Example
 * ```ts
 * of(params).pipe(toolLoop(client, { tools: [getWeather] }), textDeltas()).subscribe((text) => process.stdout.write(text));
 * ```
 *
 * @param client The client that sends the requests.
 * @param options The tools, the iteration and concurrency bounds, request options.
 * @return An operator from request params to the events of each params' whole loop, loops in order.
 * @see defineTool
 */
export function toolLoop(client: Client, options: ToolLoopOptions): OperatorFunction<MessageCreateParams, ToolLoopEvent> {
  return concatMap((params) => runLoop(client, params, options));
}

function runLoop(client: Client, params: MessageCreateParams, options: ToolLoopOptions): Observable<ToolLoopEvent> {
  const maxIterations = options.maxIterations ?? 10;
  const concurrency = options.concurrency ?? Infinity;
  const runnable = new Map<string, RunnableTool<unknown>>();
  for (const tool of options.tools) if (isRunnableTool(tool)) runnable.set(tool.name, tool);
  const apiTools = [...(params.tools ?? []), ...options.tools.map(toApiTool)];
  const known = [...runnable.keys()];

  const turn = (messages: MessageParam[], iteration: number, container: string | undefined): Observable<ToolLoopEvent> =>
    defer(() => {
      let state: AccumulatorState | undefined;
      let eventCount = 0;
      const request: MessageCreateParams = {
        ...params,
        messages,
        ...(apiTools.length > 0 ? { tools: apiTools as MessageCreateParams['tools'] } : {}),
        ...(container !== undefined ? { container } : {}),
      };
      const events$ = new Observable<ToolLoopEvent>((subscriber) =>
        client.messages.stream(request, options.requestOptions).subscribe({
          next: (event) => {
            eventCount += 1;
            try {
              state = accumulateEvent(state, event as never);
            } catch (error) {
              subscriber.error(error);
              return;
            }
            subscriber.next(event);
          },
          error: (error: unknown) => subscriber.error(error),
          complete: () => subscriber.complete(),
        }),
      );
      return concat(
        events$,
        defer(() => {
          if (!state?.stopped) throw new IncompleteStreamError(describeProgress(state, eventCount));
          return afterTurn(state.message as unknown as Message, messages, iteration, container);
        }),
      );
    });

  const afterTurn = (message: Message, messages: MessageParam[], iteration: number, container: string | undefined): Observable<ToolLoopEvent> => {
    const conversation: MessageParam[] = [...messages, { role: 'assistant', content: message.content as MessageParam['content'] }];
    const end = (stopReason: ToolLoopStopReason, final: MessageParam[]) =>
      of<ToolLoopEvent>({ type: 'tool_loop_end', stop_reason: stopReason, messages: final, message, iterations: iteration });
    const toolUses = message.content.filter((block): block is ToolUseBlock => block.type === 'tool_use');
    if (message.stop_reason === 'refusal') return end('refusal', conversation);
    if (toolUses.length === 0) return end(message.stop_reason ?? 'end_turn', conversation);

    const results = new Map<string, ToolResultEvent>();
    const tools$ = from(toolUses).pipe(
      mergeMap((toolUse) => runTool(runnable.get(toolUse.name), toolUse, message, known), concurrency),
    );
    const nextContainer = containerId(message) ?? container;
    return concat(
      new Observable<ToolLoopEvent>((subscriber) =>
        tools$.subscribe({
          next: (event) => {
            if (event.type === 'tool_result') results.set(event.tool_use_id, event);
            subscriber.next(event);
          },
          error: (error: unknown) => subscriber.error(error),
          complete: () => subscriber.complete(),
        }),
      ),
      defer(() => {
        const toolResults: MessageParam = {
          role: 'user',
          content: toolUses.map((toolUse) => {
            const result = results.get(toolUse.id) as ToolResultEvent;
            return { type: 'tool_result' as const, tool_use_id: toolUse.id, content: result.content, ...(result.is_error ? { is_error: true } : {}) };
          }) as MessageParam['content'],
        };
        const next = [...conversation, toolResults];
        return iteration >= maxIterations ? end('max_iterations', next) : turn(next, iteration + 1, nextContainer);
      }),
    );
  };

  return turn([...params.messages], 1, undefined);
}

function containerId(message: Message): string | undefined {
  const container = (message as { container?: { id?: unknown } | null }).container;
  return typeof container?.id === 'string' ? container.id : undefined;
}
