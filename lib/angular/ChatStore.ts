import type { Injector, Signal } from '@angular/core';
import type { Observable } from 'rxjs';
import type { Client } from '../client/createClient';
import type { TokenPrices, UsageFigures } from '../concurrency/aggregateUsage';
import type { ContentBlockParam, InputMessage, MessageCreateParams } from '../schema';
import type { LoopTool } from '../tools/RunnableTool';
import type { ToolLoopEvent } from '../tools/ToolLoopEvent';
import type { ToolLoopOptions } from '../tools/ToolLoopOptions';
import type { RequestOptions } from '../transport/HttpRequest';

/**
 * The params of a chat store's requests besides the conversation: `model` and `max_tokens`
 * (required, here or in `provideAnthropic({ params })`), `system`, `temperature`, `thinking`, …
 *
 * ## Example
 * ```ts
 * const params: ChatParams = { model: 'claude-sonnet-4-6', max_tokens: 1024, system: 'Answer in French.' };
 * ```
 */
export type ChatParams = Partial<Omit<MessageCreateParams, 'messages' | 'stream'>>;

/**
 * Where a chat store is: nothing sent yet (`idle`), a reply streaming or its tools running
 * (`streaming`), the reply finished (`done`), stopped by `stop()` or a new `send()` (`stopped`),
 * or failed (`error`, with the error in `error`).
 *
 * ## Example
 * ```ts
 * const canStop = (status: ChatStatus) => status === 'streaming';
 * ```
 */
export type ChatStatus = 'idle' | 'streaming' | 'done' | 'stopped' | 'error';

/**
 * Options of {@link injectChatStore}.
 *
 * ## Example
 * ```ts
 * const options: ChatStoreOptions = {
 *   params: { model: 'claude-sonnet-4-6', max_tokens: 1024 },
 *   tools: [getWeather],
 *   loop: { maxIterations: 4 },
 *   prices: { input: 3, output: 15 },
 * };
 * readonly chat = injectChatStore(options);
 * ```
 */
export interface ChatStoreOptions {
  /** The params of every request, over the `params` of `provideAnthropic()`; `messages` is the store's. */
  params?: ChatParams;
  /** Tools: with any, each `send()` runs the tool loop (`toolLoop`) instead of one request. */
  tools?: readonly LoopTool[];
  /** The tool loop's other options: `maxIterations`, `concurrency`, `stopWhen`, `prepareTurn`, `approve`, `needsApproval`, … */
  loop?: Omit<ToolLoopOptions, 'tools' | 'requestOptions'>;
  /** Options of every request: `headers`, `betas`, `timeout`, `maxRetries`, `signal`. */
  requestOptions?: RequestOptions;
  /** The conversation to start from. Default: none. */
  messages?: readonly InputMessage[];
  /** Prices per million tokens, to have the `cost` in `usage`. */
  prices?: TokenPrices;
  /** The client to send with. Default: `injectAnthropicClient()`. */
  client?: Client;
  /** The injector to create the store in (its `DestroyRef` ends it), outside an injection context. */
  injector?: Injector;
}

/**
 * A conversation with the model as signals, and the actions on it: what a chat component binds to.
 *
 * The signals change as a reply streams: `text` grows with each delta, `messages` gains each
 * finished turn (and, in a tool loop, its tool results) and a stopped reply's text so far,
 * `status`, `error` and `usage` follow.
 * Each signal has an Observable twin (`messages$`, `text$`, …; they emit when Angular runs its
 * effects, so a burst of deltas may come as one value, and complete when the store's injector is
 * destroyed); `events$` gives every event as it arrives.
 *
 * ## Example
 * ```ts
 * readonly chat: ChatStore = injectChatStore({ params: { model: 'claude-sonnet-4-6', max_tokens: 1024 } });
 * // template: @for (message of chat.messages(); track $index) { … } @if (chat.busy()) { {{ chat.text() }} <button (click)="chat.stop()">Stop</button> }
 * ```
 */
export interface ChatStore {
  /** The conversation so far: the prompts, the finished replies and tool results; what the next request sends. */
  readonly messages: Signal<readonly InputMessage[]>;
  /**
   * The text of the latest reply as it streams, kept once it ends (stopped or failed ones too) until
   * the next `send()`; in a tool loop, of its current turn (`''` while its tools run). A finished
   * turn is in `messages` as well: a chat shows `messages` and, while `busy`, `text`.
   */
  readonly text: Signal<string>;
  readonly status: Signal<ChatStatus>;
  /** `status() === 'streaming'`: a reply streams or its tools run. */
  readonly busy: Signal<boolean>;
  /** The error of the last reply (an `APIError`, an `APIConnectionError`, …) while `status` is `'error'`; `undefined` otherwise. */
  readonly error: Signal<unknown>;
  /** The tokens of every request of this store, added up (and their `cost` with `prices`). */
  readonly usage: Signal<UsageFigures>;
  /** `messages` as an Observable (see above). */
  readonly messages$: Observable<readonly InputMessage[]>;
  readonly text$: Observable<string>;
  readonly status$: Observable<ChatStatus>;
  readonly error$: Observable<unknown>;
  readonly usage$: Observable<UsageFigures>;
  /** Every event of every reply as it arrives: raw stream events and, with tools, the loop's (`tool_result`, `tool_approval_request`, …). */
  readonly events$: Observable<ToolLoopEvent>;
  /**
   * Adds a user message and streams the reply. A reply still streaming is stopped first (as by
   * `stop()`).
   * @throws InvalidArgumentError for an empty prompt; AnthropicError once the store is destroyed.
   */
  send(content: string | readonly ContentBlockParam[]): void;
  /** Stops the reply: its request is aborted, its text so far kept in `messages`. Nothing happens when none streams. */
  stop(): void;
  /**
   * Sends the last prompt again: the turns after it (a failed, stopped or finished reply) are
   * removed first.
   * @throws AnthropicError when no prompt was sent yet, or once the store is destroyed.
   */
  retry(): void;
  /** Stops any reply and starts over from `messages` (default: none); `usage` keeps counting. */
  reset(messages?: readonly InputMessage[]): void;
}
