import { concat, concatMap, defaultIfEmpty, defer, from, mergeMap, type Observable, of, tap } from 'rxjs';
import type { ToolLoopClient } from './ToolLoopClient';
import { InvalidArgumentError } from '../errors';
import type { InputMessage, Message, MessageCreateParams, MessageParam, ToolUseBlock } from '../schema';
import { hookAnswer } from './hookAnswer';
import { nextContainer, type NextContainer } from './nextContainer';
import { registerToolDefinitions } from './registerToolDefinitions';
import { runTool } from './runTool';
import { isRunnableTool, type LoopTool, type RunnableTool } from './RunnableTool';
import { streamTurn } from './streamTurn';
import { toApiTool } from './toApiTool';
import { toolChangeMessage } from './toolChangeMessage';
import type { ToolLoopEvent, ToolLoopStopReason, ToolResultEvent } from './ToolLoopEvent';
import type { ToolLoopOptions, TurnParams } from './ToolLoopOptions';
import { addUsage, NO_USAGE, type ToolLoopState } from './ToolLoopState';
import { toolsAtTurn } from './toolsAtTurn';
import type { TurnTrace } from '../telemetry/Telemetry';
import { telemetryOf } from '../telemetry/telemetryOf';
import { traceScope } from '../telemetry/traceScope';

/** Stop reasons of a turn the API has not finished: it is sent back as it is, and the model goes on. */
const UNFINISHED = new Set(['pause_turn', 'compaction']);

/** Where a loop stands between two turns, beyond what the hooks see. */
interface Progress {
  readonly state: ToolLoopState;
  /** The container of the next request. */
  readonly container: NextContainer;
  /** The last turn was paused: it must stay the last message, so tool changes wait a turn. */
  readonly paused: boolean;
  /** Tool changes that waited for a paused turn to be resumed. */
  readonly pendingAdded: readonly LoopTool[];
  readonly pendingRemoved: readonly string[];
}

/**
 * The whole tool loop of one request params, as a cold Observable (see {@link toolLoop}).
 *
 * Each turn: ask `prepareTurn`, send the request and re-emit its events, then, by the reply's
 * stop reason, end (`end_turn`, `max_tokens`, `refusal`, …), resume a paused turn, or run the
 * tools asked for and send their results; between turns ask `stopWhen` and count the requests
 * against `maxIterations`. A tool that needs approval in a loop without `approve` fails it at
 * subscribe, before any request. A client with `telemetry` traces the loop, each turn (its
 * request and the tools it asked for) and each tool run, each a child of the one before.
 *
 * ## Example
 * ```ts
 * runToolLoop(client, params, { tools: [getWeather] }).pipe(textDeltas()).subscribe((text) => process.stdout.write(text));
 * ```
 *
 * @param client The client that sends the requests.
 * @param params The first request's params.
 * @param options The loop's options.
 * @return The events of the loop, ending with `tool_loop_end`.
 */
export function runToolLoop(client: ToolLoopClient, params: MessageCreateParams, options: ToolLoopOptions): Observable<ToolLoopEvent> {
  return defer(() => {
    checkApprovalCanBeAsked(options);
    const maxIterations = options.maxIterations ?? 10;
    const concurrency = options.concurrency ?? Infinity;
    const runnable = new Map<string, RunnableTool<unknown>>();
    for (const tool of options.tools) if (isRunnableTool(tool)) runnable.set(tool.name, tool);
    const apiTools = [...(params.tools ?? []), ...options.tools.map(toApiTool)];
    const first: MessageCreateParams = {
      ...params,
      messages: registerToolDefinitions(params.messages, runnable),
      ...(apiTools.length > 0 ? { tools: apiTools } : {}),
    };
    const loopTrace = telemetryOf(client)?.startToolLoop(first);

    const turn = (progress: Progress): Observable<ToolLoopEvent> =>
      hookAnswer(() => options.prepareTurn?.(progress.state)).pipe(
        defaultIfEmpty(undefined),
        concatMap((prepared) => {
          const { request, pendingAdded, pendingRemoved } = nextRequest(progress, prepared ?? undefined);
          const available = toolsAtTurn(request, runnable);
          let message: Message | undefined;
          // The turn's request is subscribed within the turn's scope, so its span is the turn's child.
          const turnTrace = loopTrace?.startTurn(progress.state.iteration + 1, request);
          return concat(
            streamTurn(client, request, options.requestOptions, (finished) => (message = finished)),
            defer(() => afterTurn({ ...progress, pendingAdded, pendingRemoved }, request, message as Message, available, turnTrace)),
          ).pipe(traceScope(turnTrace));
        }),
      );

    const nextRequest = (progress: Progress, prepared: TurnParams | undefined) => {
      const { tools, addTools = [], removeTools = [], ...fields } = prepared ?? {};
      for (const tool of [...(tools ?? []), ...addTools]) if (isRunnableTool(tool)) runnable.set(tool.name, tool);
      const added = [...progress.pendingAdded, ...addTools];
      const removed = [...progress.pendingRemoved, ...removeTools];
      let messages = registerToolDefinitions(fields.messages ?? progress.state.messages, runnable);
      const change = progress.paused ? undefined : toolChangeMessage(added, removed);
      if (change) messages = [...messages, change];
      const { container } = progress.container;
      const request: MessageCreateParams = {
        ...progress.state.params,
        ...(container === undefined ? {} : { container }),
        ...fields,
        messages,
        ...(tools === undefined ? {} : { tools: tools.map(toApiTool) }),
      };
      return { request, pendingAdded: progress.paused ? added : [], pendingRemoved: progress.paused ? removed : [] };
    };

    const afterTurn = (
      progress: Progress,
      request: MessageCreateParams,
      message: Message,
      available: Map<string, RunnableTool<unknown>>,
      turnTrace: TurnTrace | undefined,
    ): Observable<ToolLoopEvent> => {
      const iteration = progress.state.iteration + 1;
      const usage = addUsage(progress.state.usage, message.usage);
      const conversation: InputMessage[] = [...request.messages, { role: 'assistant', content: message.content as MessageParam['content'] }];
      // The turn is over once its tools have run: what follows (the next turn, its hooks) is not its part.
      const end = (stopReason: ToolLoopStopReason, messages: InputMessage[]) => {
        turnTrace?.end({ kind: 'complete' });
        return of<ToolLoopEvent>({ type: 'tool_loop_end', stop_reason: stopReason, messages, message, iterations: iteration, usage });
      };
      const next = (messages: InputMessage[], paused: boolean): Observable<ToolLoopEvent> => {
        turnTrace?.end({ kind: 'complete' });
        const state: ToolLoopState = { iteration, params: request, messages, message, usage };
        const container = nextContainer(request.container, progress.container.adoptedId, containerId(message));
        const stop$ = options.stopWhen ? hookAnswer(() => options.stopWhen?.(state) ?? false).pipe(defaultIfEmpty(false)) : of(false);
        return stop$.pipe(
          concatMap((stop) => {
            if (stop === true) return end('stop_when', messages);
            if (iteration >= maxIterations) return end('max_iterations', messages);
            return turn({ ...progress, state, container, paused });
          }),
        );
      };

      const stopReason = message.stop_reason;
      if (stopReason === 'refusal') return end('refusal', conversation);
      if (stopReason !== null && UNFINISHED.has(stopReason)) return options.pauseTurn === 'stop' ? end(stopReason, conversation) : next(conversation, true);
      const toolUses = stopReason === 'tool_use' ? message.content.filter((block): block is ToolUseBlock => block.type === 'tool_use') : [];
      if (toolUses.length === 0) return end(stopReason ?? 'end_turn', conversation);

      const names = [...available.keys()];
      const results = new Map<string, ToolResultEvent>();
      return concat(
        from(toolUses).pipe(
          mergeMap((toolUse) => {
            const tool = available.get(toolUse.name);
            if (turnTrace === undefined) return runTool(tool, toolUse, message, names, options);
            return defer(() => runTool(tool, toolUse, message, names, options).pipe(traceScope(turnTrace.startToolRun(toolUse, tool?.description))));
          }, concurrency),
          tap((event) => event.type === 'tool_result' && results.set(event.tool_use_id, event)),
        ),
        defer(() => next([...conversation, toolResultMessage(toolUses, results)], false)),
      );
    };

    const state: ToolLoopState = { iteration: 0, params: first, messages: first.messages, usage: NO_USAGE };
    return turn({ state, container: { container: first.container, adoptedId: undefined }, paused: false, pendingAdded: [], pendingRemoved: [] }).pipe(traceScope(loopTrace));
  });
}

function toolResultMessage(toolUses: readonly ToolUseBlock[], results: ReadonlyMap<string, ToolResultEvent>): MessageParam {
  return {
    role: 'user',
    content: toolUses.map((toolUse) => {
      const result = results.get(toolUse.id) as ToolResultEvent;
      return { type: 'tool_result' as const, tool_use_id: toolUse.id, content: result.content, ...(result.is_error ? { is_error: true } : {}) };
    }) as MessageParam['content'],
  };
}

function containerId(message: Message): string | undefined {
  const container = (message as { container?: { id?: unknown } | null }).container;
  return typeof container?.id === 'string' ? container.id : undefined;
}

/** A tool meant to be approved must never run unasked: a loop that cannot ask fails before its first request. */
function checkApprovalCanBeAsked(options: ToolLoopOptions): void {
  if (options.approve !== undefined) return;
  const needing = options.tools.find((tool) => isRunnableTool(tool) && tool.needsApproval !== undefined && tool.needsApproval !== false);
  if (needing === undefined && (options.needsApproval === undefined || options.needsApproval === false)) return;
  const what = needing === undefined ? 'The loop\'s `needsApproval` asks for approval' : `Tool "${needing.name}" needs approval`;
  throw new InvalidArgumentError('approve', `${what}, but the tool loop has no \`approve\` option to ask: add one, or drop \`needsApproval\`.`);
}
