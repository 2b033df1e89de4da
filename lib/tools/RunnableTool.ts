import type { StandardSchemaV1 } from '@standard-schema/spec';
import type * as t from 'io-ts';
import type { Observable } from 'rxjs';
import type { Message, Tool, ToolResultContent, ToolUnion } from '../schema';

export type { ToolResultContent };

/**
 * What a tool's `run` is given besides its input.
 *
 * ## Example
 * ```ts
 * const fetchStatus = defineTool({
 *   name: 'fetch_status', description: 'The HTTP status of a URL', input: t.type({ url: t.string }),
 *   run: ({ url }, { signal, toolUseId }: ToolContext) => fetch(url, { signal }).then((response) => `${toolUseId}: ${response.status}`),
 * });
 * ```
 */
export interface ToolContext {
  /**
   * Aborts when the loop is unsubscribed, or the loop's `requestOptions.signal` aborts, while the
   * tool runs: pass it on to `fetch` and the like.
   */
  readonly signal: AbortSignal;
  /** The id of the `tool_use` block being answered. */
  readonly toolUseId: string;
  /** The assistant message that asked for the tool. */
  readonly message: Message;
}

/**
 * A result that says whether it is an error, for tools that report failures without throwing (MCP's `isError`).
 *
 * ## Example
 * ```ts
 * const notFound: ToolResultValue = { content: 'no such note', is_error: true };
 * const readNote = defineTool({
 *   name: 'read_note', description: 'Reads a note', input: t.type({ path: t.string }),
 *   run: ({ path }) => readFile(path, 'utf8').catch(() => notFound),
 * });
 * ```
 */
export interface ToolResultValue {
  readonly content: ToolResultContent;
  readonly is_error?: boolean;
}

/**
 * What `run` may produce: content, or content marked as an error.
 *
 * ## Example
 * ```ts
 * const output: ToolOutput = { content: 'file not found', is_error: true };
 * ```
 */
export type ToolOutput = ToolResultContent | ToolResultValue;

/**
 * A progress report of a running tool, made with {@link toolProgress}; the loop emits it as a `tool_progress` event at once.
 *
 * ## Example
 * ```ts
 * const progress: ToolProgress = toolProgress({ percent: 40 }); // { type: 'tool_progress', progress: { percent: 40 } }
 * ```
 */
export interface ToolProgress {
  readonly type: 'tool_progress';
  readonly progress: unknown;
}

/**
 * Marks a value of a tool's Observable as progress rather than a result.
 *
 * ## Example
 * ```ts
 * run: ({ url }) => download(url).pipe(map((p) => (p.done ? p.text : toolProgress({ percent: p.percent }))))
 * ```
 */
export function toolProgress(progress: unknown): ToolProgress {
  return { type: 'tool_progress', progress };
}

/**
 * Whether a value a tool emitted is a progress report.
 *
 * ## Example
 * ```ts
 * const values: unknown[] = [toolProgress({ percent: 50 }), 'done'];
 * values.filter(isToolProgress).map((value) => value.progress); // [{ percent: 50 }]
 * ```
 */
export function isToolProgress(value: unknown): value is ToolProgress {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && (value as { type?: unknown }).type === 'tool_progress';
}

/**
 * What `run` may return: an Observable (values made with `toolProgress()` are reported as
 * progress as they come, the last other value is the result, and unsubscribing it is how the
 * tool is cancelled), a Promise, or a plain value.
 *
 * ## Example
 * ```ts
 * const countdown = defineTool({
 *   name: 'countdown', description: 'Counts down, reporting progress', input: t.type({}),
 *   run: (): ToolRunResult => interval(1000).pipe(take(3), map((i) => (i < 2 ? toolProgress(i) : 'done'))),
 * });
 * ```
 */
export type ToolRunResult = Observable<ToolOutput | ToolProgress> | PromiseLike<ToolOutput> | ToolOutput;

/**
 * What checks a runnable tool's input: an io-ts decoder, or a Standard Schema (its JSON Schema,
 * if it has one, was read when the tool was defined).
 *
 * ## Example
 * ```ts
 * const byIoTs: ToolInputValidator<{ city: string }> = t.type({ city: t.string });
 * const byZod: ToolInputValidator<{ city: string }> = z.object({ city: z.string() });
 * ```
 */
export type ToolInputValidator<I = unknown> = t.Decoder<unknown, I> | StandardSchemaV1<unknown, I>;

/**
 * A tool the loop can run: its API definition (`name`, `description`, `input_schema` and any
 * other API field) plus the schema its input must pass (an io-ts codec or a Standard Schema) and
 * the function that runs it. The loop sends the definition without `input` and `run`. `S` is
 * the type of that schema, as `defineTool` keeps it.
 *
 * ## Example
 * ```ts
 * const clock: RunnableTool<{}> = defineTool({
 *   name: 'clock', description: 'The current time', input: t.type({}),
 *   run: () => new Date().toISOString(),
 * });
 * ```
 */
export type RunnableTool<I = unknown, S extends ToolInputValidator<I> = ToolInputValidator<I>> = Tool & {
  /**
   * The schema of the input, an io-ts codec or a Standard Schema (zod, Valibot, ArkType); input
   * that fails it never reaches `run`.
   */
  readonly input: S;
  /** Runs the tool on input the schema accepted; see {@link ToolRunResult} for what it may return. */
  readonly run: (input: I, context: ToolContext) => ToolRunResult;
  /**
   * Whether the loop must ask its `approve` before running the tool: always (`true`), or when
   * the function says so for the decoded input. Never sent to the API.
   */
  readonly needsApproval?: boolean | ((input: I) => boolean);
};

/**
 * A tool of the loop's `tools` option: one it runs, or a plain API definition (server tools, tools run elsewhere).
 *
 * ## Example
 * ```ts
 * const tools: LoopTool[] = [weatherTool, { type: 'web_search_20250305', name: 'web_search' }];
 * ```
 */
export type LoopTool = RunnableTool<never> | RunnableTool<any> | ToolUnion; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * Whether a tool of the loop's `tools` is one the loop runs.
 *
 * ## Example
 * ```ts
 * const runnable = tools.filter(isRunnableTool).map((tool) => tool.name);
 * ```
 */
export function isRunnableTool(tool: LoopTool): tool is RunnableTool<unknown> {
  return typeof (tool as { run?: unknown }).run === 'function';
}
