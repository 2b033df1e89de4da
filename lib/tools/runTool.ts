import { concat, concatMap, defer, from, isObservable, Observable, of, type ObservableInput } from 'rxjs';
import { ToolError, UnknownToolError } from '../errors';
import type { Message, ToolUseBlock } from '../schema';
import { askApproval } from './askApproval';
import { isPromiseLike } from '../schemas/validateValue';
import { decodeToolInput, type DecodedToolInput } from './decodeToolInput';
import { isToolProgress, type RunnableTool, type ToolOutput, type ToolResultContent } from './RunnableTool';
import type { ToolLoopOptions } from './ToolLoopOptions';
import type { ToolApprovalRequest, ToolProgressEvent, ToolResultEvent } from './ToolLoopEvent';

/**
 * How the loop approves tools: its `approve` and `needsApproval` options.
 *
 * ## Example
 * ```ts
 * const approval: ToolApproval = { approve: () => of({ approved: true }), needsApproval: true };
 * ```
 */
export type ToolApproval = Pick<ToolLoopOptions, 'approve' | 'needsApproval'>;

/**
 * Runs one `tool_use` block with its tool, as a cold Observable: an approval request when the
 * tool needs approval, progress events, then exactly one result event.
 *
 * Input that fails the tool's schema (waited for when a Standard Schema validates
 * asynchronously), a tool that throws, rejects, errors or completes without a
 * value, and a tool the loop cannot run at this turn all become an `is_error` result, so the model
 * can correct itself: it reads `Error: <message>` for a failure (a `ToolError`'s own content
 * instead), `Error: Tool '<name>' not found` for an unknown tool, and the failing paths for
 * invalid input. A tool that needs approval (its own `needsApproval` when it has one, else the
 * loop's) runs only once `approve` has approved it; a denial becomes an `is_error` result with
 * the reason, and `{ result }` is sent instead of running the tool. The Observable errors only
 * when approval itself fails (see `askApproval`) or `needsApproval` throws. Unsubscribing while
 * waiting for approval cancels the question; unsubscribing before the tool has finished aborts
 * `ctx.signal` and unsubscribes the tool's Observable.
 *
 * ## Example
 * ```ts
 * runTool(getWeather, toolUse, message, ['get_weather'], {}).subscribe((event) => console.log(event.type));
 * ```
 *
 * @param tool The tool to run; `undefined` when none of that name can run at this turn.
 * @param toolUse The block to answer.
 * @param message The assistant message that holds it.
 * @param available The names of the tools that can run at this turn, for the app's error.
 * @param approval The loop's approval options.
 * @return The events of this tool use.
 */
export function runTool(
  tool: RunnableTool<unknown> | undefined,
  toolUse: ToolUseBlock,
  message: Message,
  available: readonly string[],
  approval: ToolApproval,
): Observable<ToolApprovalRequest | ToolProgressEvent | ToolResultEvent> {
  const result = resultOf(toolUse);
  if (!tool) return of(result(`Error: Tool '${toolUse.name}' not found`, true, new UnknownToolError(toolUse.name, available)));

  const known: RunnableTool<unknown> = tool;

  const decide = (decoded: DecodedToolInput<unknown>): Observable<ToolApprovalRequest | ToolProgressEvent | ToolResultEvent> => {
    if (!decoded.ok) return of(result(decoded.message, true));
    if (!needsApproval(known, decoded.value, toolUse, approval)) return execute(known, decoded.value, toolUse, message);
    const request: ToolApprovalRequest = { type: 'tool_approval_request', tool_use_id: toolUse.id, name: toolUse.name, input: toolUse.input };
    return concat(
      of(request),
      askApproval(request, approval.approve).pipe(
        concatMap((decision) => {
          if ('result' in decision) return of(result(decision.result, decision.is_error === true));
          if (decision.approved) return execute(known, decoded.value, toolUse, message);
          const why = decision.reason === undefined || decision.reason === '' ? '' : `: ${decision.reason}`;
          return of(result(`Error: Tool '${toolUse.name}' was not approved${why}`, true));
        }),
      ),
    );
  };

  return defer(() => {
    const decoded = decodeToolInput(known, toolUse.input);
    // A Standard Schema may validate asynchronously: the tool waits for it, and unsubscribing stops waiting.
    return isPromiseLike<DecodedToolInput<unknown>>(decoded) ? from(decoded).pipe(concatMap(decide)) : decide(decoded);
  });
}

function needsApproval(tool: RunnableTool<unknown>, input: unknown, toolUse: ToolUseBlock, approval: ToolApproval): boolean {
  // The tool's own setting wins, so that a loop that approves everything can still exempt a harmless tool.
  const own = tool.needsApproval;
  if (own !== undefined) return typeof own === 'function' ? own(input) === true : own;
  const loop = approval.needsApproval;
  return typeof loop === 'function' ? loop(toolUse) === true : loop === true;
}

function execute(tool: RunnableTool<unknown>, input: unknown, toolUse: ToolUseBlock, message: Message): Observable<ToolProgressEvent | ToolResultEvent> {
  const result = resultOf(toolUse);
  return new Observable<ToolProgressEvent | ToolResultEvent>((subscriber) => {
    const controller = new AbortController();
    let finished = false;
    let output: { value: ToolOutput } | undefined;
    const subscription = defer(() => toObservableInput(tool.run(input, { signal: controller.signal, toolUseId: toolUse.id, message }))).subscribe({
      next: (value) => {
        if (isToolProgress(value)) subscriber.next({ type: 'tool_progress', tool_use_id: toolUse.id, name: toolUse.name, progress: value.progress });
        else output = { value: value as ToolOutput };
      },
      error: (error: unknown) => {
        finished = true;
        const content = error instanceof ToolError ? error.content : `Error: ${error instanceof Error ? error.message : String(error)}`;
        subscriber.next(result(content, true, error));
        subscriber.complete();
      },
      complete: () => {
        finished = true;
        if (!output) subscriber.next(result(`Error: Tool '${toolUse.name}' completed without a result`, true));
        else if (isResultValue(output.value)) subscriber.next(result(output.value.content, output.value.is_error === true));
        else subscriber.next(result(output.value as ToolResultContent, false));
        subscriber.complete();
      },
    });
    return () => {
      subscription.unsubscribe();
      if (!finished) controller.abort();
    };
  });
}

function resultOf(toolUse: ToolUseBlock) {
  return (content: ToolResultContent, isError: boolean, error?: unknown): ToolResultEvent => ({
    type: 'tool_result',
    tool_use_id: toolUse.id,
    name: toolUse.name,
    content,
    is_error: isError,
    ...(error === undefined ? {} : { error }),
  });
}

function toObservableInput(value: unknown): ObservableInput<unknown> {
  if (isObservable(value)) return value;
  if (typeof (value as PromiseLike<unknown> | null)?.then === 'function') return from(value as PromiseLike<unknown>);
  return [value];
}

function isResultValue(value: ToolOutput): value is { content: ToolResultContent; is_error?: boolean } {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && 'content' in value;
}
