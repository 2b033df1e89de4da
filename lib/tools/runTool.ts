import { defer, from, isObservable, Observable, of, type ObservableInput } from 'rxjs';
import type { Message, ToolUseBlock } from '../schema';
import { decodeToolInput } from './describeInputErrors';
import { isToolProgress, type RunnableTool, type ToolOutput, type ToolResultContent } from './RunnableTool';
import type { ToolProgressEvent, ToolResultEvent } from './ToolLoopEvent';

/**
 * Runs one `tool_use` block with its tool, as a cold Observable of progress events and then
 * exactly one result event; it never errors.
 *
 * Input that fails the tool's codec, a tool that throws, rejects, errors or completes without
 * a value, and a tool the loop does not know all become an `is_error` result whose text says
 * what went wrong, so the model can correct itself. Unsubscribing before the tool has finished
 * aborts `ctx.signal` and unsubscribes the tool's Observable.
 */
export function runTool(tool: RunnableTool<unknown> | undefined, toolUse: ToolUseBlock, message: Message, known: readonly string[]): Observable<ToolProgressEvent | ToolResultEvent> {
  const result = (content: ToolResultContent, isError: boolean): ToolResultEvent => ({
    type: 'tool_result',
    tool_use_id: toolUse.id,
    name: toolUse.name,
    content,
    is_error: isError,
  });
  if (!tool) {
    const list = known.length > 0 ? known.join(', ') : 'none';
    return of(result(`Error: no tool named "${toolUse.name}" can be run here (tools the loop runs: ${list}).`, true));
  }

  return new Observable<ToolProgressEvent | ToolResultEvent>((subscriber) => {
    const controller = new AbortController();
    let finished = false;
    const decoded = decodeToolInput(tool, toolUse.input);
    if (!decoded.ok) {
      subscriber.next(result(decoded.message, true));
      subscriber.complete();
      return;
    }
    let output: { value: ToolOutput } | undefined;
    const subscription = defer(() => toObservableInput(tool.run(decoded.value, { signal: controller.signal, toolUseId: toolUse.id, message }))).subscribe({
      next: (value) => {
        if (isToolProgress(value)) subscriber.next({ type: 'tool_progress', tool_use_id: toolUse.id, name: toolUse.name, progress: value.progress });
        else output = { value: value as ToolOutput };
      },
      error: (error: unknown) => {
        finished = true;
        subscriber.next(result(`Error: tool "${toolUse.name}" failed: ${errorText(error)}`, true));
        subscriber.complete();
      },
      complete: () => {
        finished = true;
        if (!output) subscriber.next(result(`Error: tool "${toolUse.name}" completed without a result.`, true));
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

function toObservableInput(value: unknown): ObservableInput<unknown> {
  if (isObservable(value)) return value;
  if (typeof (value as PromiseLike<unknown> | null)?.then === 'function') return from(value as PromiseLike<unknown>);
  return [value];
}

function isResultValue(value: ToolOutput): value is { content: ToolResultContent; is_error?: boolean } {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && 'content' in value;
}

function errorText(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return typeof error === 'string' ? error : JSON.stringify(error) ?? String(error);
}

