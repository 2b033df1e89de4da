import { concatMap, type OperatorFunction } from 'rxjs';
import type { ToolLoopClient } from './ToolLoopClient';
import type { MessageCreateParams } from '../schema';
import { failOnAbort } from './failOnAbort';
import { runToolLoop } from './runToolLoop';
import type { ToolLoopEvent } from './ToolLoopEvent';
import type { ToolLoopOptions } from './ToolLoopOptions';

export type { ToolLoopOptions } from './ToolLoopOptions';

/**
 * Runs the tool loop of the official SDKs for each request params: stream a turn, run the
 * tools it asks for, send their results, and repeat until the model stops asking.
 *
 * Each turn's raw events are re-emitted as they arrive, so `textDeltas()`,
 * `messageStreamEvents()`, `accumulateMessage()` and `finalMessage()` work downstream across
 * turns, and `turnMessages()` gives each turn's finished message. When a turn stops with
 * `tool_use`, its tools run in parallel, at most `concurrency` at once, each reporting
 * `tool_progress` events and one `tool_result` event; their results go back, in `tool_use` order,
 * in one user turn of the next request. A tool that needs approval (`needsApproval`) runs only
 * once `approve` has approved it, after a `tool_approval_request` event. An unknown or withdrawn
 * tool (`tool_removal`), input the tool's codec refuses, or a tool that fails becomes an
 * `is_error` result (`Error: …`, or a `ToolError`'s content) and the loop goes on. The caller's
 * `container` is kept, a returned container id carried into it. `prepareTurn` may change each
 * request (model, `max_tokens`, messages, tools offered or withdrawn) and `stopWhen` end the loop
 * between turns, both possibly answering later through an Observable. A paused turn
 * (`pause_turn`) is sent back for the model to continue. The loop ends with one `tool_loop_end`
 * event carrying the conversation, the usage and why it stopped: the reply's `stop_reason`,
 * `refusal` (tools are not run), `max_iterations` (the last turn's tools still run) or
 * `stop_when`. An HTTP error of a turn fails the loop with its typed error. Unsubscribing, or
 * aborting `requestOptions.signal`, aborts the request in flight, every running tool and any
 * question in progress; an abort fails the loop with `APIUserAbortError`.
 *
 * ## Example
 * ```ts
 * of(params).pipe(toolLoop(client, { tools: [getWeather] }), textDeltas()).subscribe((text) => process.stdout.write(text));
 * ```
 *
 * @param client The client that sends the requests (`createClient()`, or anything with its `messages.stream`).
 * @param options The tools, the bounds, the hooks, request options.
 * @return An operator from request params to the events of each params' whole loop, loops in order.
 * @see defineTool
 * @see turnMessages
 */
export function toolLoop(client: ToolLoopClient, options: ToolLoopOptions): OperatorFunction<MessageCreateParams, ToolLoopEvent> {
  return concatMap((params) => runToolLoop(client, params, options).pipe(failOnAbort(options.requestOptions?.signal)));
}
