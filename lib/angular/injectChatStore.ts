import { assertInInjectionContext, computed, DestroyRef, inject, Injector, runInInjectionContext, signal, type Signal } from '@angular/core';
import { toObservable } from '@angular/core/rxjs-interop';
import { connect, filter, map, merge, Subject, tap, type Observable, type Subscription } from 'rxjs';
import { aggregateUsage, type UsageFigures } from '../concurrency/aggregateUsage';
import { AnthropicError, InvalidArgumentError } from '../errors';
import { textSnapshots } from '../operators/textSnapshots';
import type { ContentBlockParam, InputMessage, Message, MessageCreateParams } from '../schema';
import type { ToolLoopEndEvent, ToolLoopEvent, ToolResultEvent } from '../tools/ToolLoopEvent';
import { turnMessages } from '../tools/turnMessages';
import { ANTHROPIC_OPTIONS } from './anthropicTokens';
import type { ChatParams, ChatStatus, ChatStore, ChatStoreOptions } from './ChatStore';
import { appendToolResult, appendTurn, settleInterruptedReply, upToLastPrompt } from './conversation';
import { injectAnthropicClient } from './injectAnthropicClient';

/** What a reply's events change in the store, in the order they happen. */
type ReplyChange =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'turn'; readonly message: Message }
  | { readonly kind: 'tool_result'; readonly result: ToolResultEvent }
  | { readonly kind: 'end'; readonly messages: readonly InputMessage[] };

function checkParams(params: ChatParams): asserts params is ChatParams & Pick<MessageCreateParams, 'model' | 'max_tokens'> {
  const missing = (['model', 'max_tokens'] as const).filter((name) => params[name] === undefined);
  if (missing.length === 0) return;
  throw new InvalidArgumentError(
    'params',
    `injectChatStore() has no ${missing.join(' and ')} for its requests: give them in its params ({ params: { model: 'claude-sonnet-4-6', max_tokens: 1024 } }) ` +
      'or in the params of provideAnthropic().',
  );
}

function zeroUsage(withCost: boolean): UsageFigures {
  return { inputTokens: 0, outputTokens: 0, cacheCreationInputTokens: 0, cacheReadInputTokens: 0, messages: 0, ...(withCost ? { cost: 0 } : {}) };
}

/**
 * A chat store in the current injection context: a conversation with the model as signals,
 * with `send`, `stop`, `retry` and `reset`, ended with its injector.
 *
 * `send(prompt)` adds the prompt to `messages` and streams the reply: `text` grows with each
 * delta (the core's `textSnapshots()`), and the finished reply moves into `messages`. With
 * `tools`, each `send()` runs the tool loop (`toolLoop`): every turn and every tool result joins
 * `messages` as it finishes, and the loop's options (`loop`) pass through, `approve` included.
 * `stop()` unsubscribes, which aborts the request (and any running tool); the text so far stays
 * in `messages`. `retry()` sends the last prompt again after an error, a stop or a reply you want
 * again. `usage` adds up the tokens of every request. When the injector that created the store
 * is destroyed (a component's, with the component), the reply in flight is aborted and the
 * Observables complete. The signals are set from the response's callbacks, so zoneless change
 * detection renders every change; nothing needs zone.js.
 *
 * The client is `options.client`, else that of `provideAnthropic()`; the params are the store's
 * `params` over those of `provideAnthropic({ params })`, and need a `model` and a `max_tokens`.
 * Call it in an injection context (a field initializer of a component or service) or pass an
 * `injector`.
 *
 * ## Example
 * ```ts
 * @Component({
 *   selector: 'app-chat',
 *   template: `
 *     @for (message of chat.messages(); track $index) { <p [class]="message.role">{{ messageText(message) }}</p> }
 *     @if (chat.busy()) { <p class="assistant">{{ chat.text() }}</p> }
 *     <input #prompt /> <button (click)="chat.send(prompt.value)">Send</button>
 *     <button (click)="chat.stop()" [disabled]="!chat.busy()">Stop</button>
 *   `,
 * })
 * export class Chat {
 *   readonly chat = injectChatStore({ params: { model: 'claude-sonnet-4-6', max_tokens: 1024 } });
 *   readonly messageText = messageText;
 * }
 * ```
 *
 * @param options Params, tools and loop options, request options, a first conversation, prices, a client, an injector.
 * @return The store.
 * @throws InvalidArgumentError when the params have no `model` or `max_tokens`.
 * @throws MissingProviderError without `options.client` and without `provideAnthropic()`.
 * @see provideAnthropic
 * @see ChatStore
 */
export function injectChatStore(options: ChatStoreOptions = {}): ChatStore {
  if (!options.injector) assertInInjectionContext(injectChatStore);
  const injector = options.injector ?? inject(Injector);
  return runInInjectionContext(injector, () => createChatStore(options, injector));
}

function createChatStore(options: ChatStoreOptions, injector: Injector): ChatStore {
  const client = options.client ?? injectAnthropicClient();
  const params: ChatParams = { ...inject(ANTHROPIC_OPTIONS, { optional: true })?.params, ...options.params };
  checkParams(params);
  const tools = options.tools ?? [];

  const messages = signal<readonly InputMessage[]>(options.messages ?? []);
  const text = signal('');
  const status = signal<ChatStatus>('idle');
  const error = signal<unknown>(undefined);
  const usage = signal<UsageFigures>(zeroUsage(options.prices !== undefined));
  const events = new Subject<ToolLoopEvent>();
  let running: Subscription | undefined;
  let destroyed = false;

  // One running total over every reply: aggregateUsage counts each message once, across sends.
  events.pipe(aggregateUsage(options.prices ? { prices: options.prices } : {})).subscribe(({ byKey: _byKey, ...figures }) => usage.set(figures));

  const apply = (change: ReplyChange): void => {
    switch (change.kind) {
      case 'text':
        text.set(change.text);
        break;
      case 'turn':
        messages.update((conversation) => appendTurn(conversation, change.message));
        // A turn that asked for tools is followed by another: its text is in messages now.
        if (change.message.stop_reason === 'tool_use') text.set('');
        break;
      case 'tool_result':
        messages.update((conversation) => appendToolResult(conversation, change.result));
        break;
      case 'end':
        messages.set(change.messages);
        break;
    }
  };

  // The text of a turn still streaming is not in messages yet: `inTurn` says whether it is.
  let inTurn = false;
  const interrupt = (next: ChatStatus, cause?: unknown): void => {
    running?.unsubscribe();
    running = undefined;
    messages.update((conversation) => settleInterruptedReply(conversation, inTurn ? text() : ''));
    inTurn = false;
    status.set(next);
    error.set(cause);
  };

  const start = (): void => {
    const request: MessageCreateParams = { ...params, messages: [...messages()] };
    const replies: Observable<ToolLoopEvent> =
      tools.length > 0
        ? client.messages.toolLoop(request, { ...options.loop, tools, ...(options.requestOptions ? { requestOptions: options.requestOptions } : {}) })
        : client.messages.stream(request, options.requestOptions);
    text.set('');
    error.set(undefined);
    status.set('streaming');
    inTurn = false;
    running = replies
      .pipe(
        tap((event) => {
          if (event.type === 'message_start') {
            inTurn = true;
            text.set('');
          } else if (event.type === 'message_stop') inTurn = false;
          events.next(event);
        }),
        connect((shared) =>
          merge(
            shared.pipe(textSnapshots(), map((snapshot): ReplyChange => ({ kind: 'text', text: snapshot }))),
            shared.pipe(turnMessages(), map((message): ReplyChange => ({ kind: 'turn', message }))),
            shared.pipe(
              filter((event): event is ToolResultEvent => event.type === 'tool_result'),
              map((result): ReplyChange => ({ kind: 'tool_result', result })),
            ),
            shared.pipe(
              filter((event): event is ToolLoopEndEvent => event.type === 'tool_loop_end'),
              map((end): ReplyChange => ({ kind: 'end', messages: end.messages })),
            ),
          ),
        ),
      )
      .subscribe({
        next: apply,
        error: (cause: unknown) => interrupt('error', cause),
        complete: () => {
          running = undefined;
          // A stream cut short without its message_stop leaves text that no turn took in.
          if (inTurn) messages.update((conversation) => settleInterruptedReply(conversation, text()));
          inTurn = false;
          status.set('done');
        },
      });
    // It may have ended during subscribe (params the client refuses at once).
    if (running.closed) running = undefined;
  };

  const assertAlive = (method: string): void => {
    if (destroyed) throw new AnthropicError(`chat.${method}(): this chat store was destroyed with its injector (its component is gone); create a new one with injectChatStore().`);
  };

  inject(DestroyRef).onDestroy(() => {
    destroyed = true;
    if (running) interrupt('stopped');
    events.complete();
  });

  const observable = <T>(source: Signal<T>): Observable<T> => toObservable(source, { injector });
  const twins: Partial<Record<'messages$' | 'text$' | 'status$' | 'error$' | 'usage$', Observable<unknown>>> = {};
  // Created on first use: each is an effect, and most components read only the signals.
  const twin = <T>(name: keyof typeof twins, source: Signal<T>): Observable<T> => (twins[name] ??= observable(source)) as Observable<T>;

  return {
    messages: messages.asReadonly(),
    text: text.asReadonly(),
    status: status.asReadonly(),
    busy: computed(() => status() === 'streaming'),
    error: error.asReadonly(),
    usage: usage.asReadonly(),
    get messages$() {
      return twin('messages$', messages);
    },
    get text$() {
      return twin('text$', text);
    },
    get status$() {
      return twin('status$', status);
    },
    get error$() {
      return twin('error$', error);
    },
    get usage$() {
      return twin('usage$', usage);
    },
    events$: events.asObservable(),
    send(content: string | readonly ContentBlockParam[]): void {
      assertAlive('send');
      if (typeof content === 'string' ? content.trim() === '' : content.length === 0) {
        throw new InvalidArgumentError('content', 'chat.send() needs a prompt: it was given an empty one (the API refuses empty messages).');
      }
      if (running) interrupt('stopped');
      messages.update((conversation) => [...conversation, { role: 'user', content: typeof content === 'string' ? content : [...content] }]);
      start();
    },
    stop(): void {
      if (running) interrupt('stopped');
    },
    retry(): void {
      assertAlive('retry');
      if (running) interrupt('stopped');
      const conversation = upToLastPrompt(messages());
      if (!conversation) throw new AnthropicError('chat.retry(): there is no prompt to send again: send() one first.');
      messages.set(conversation);
      start();
    },
    reset(conversation: readonly InputMessage[] = []): void {
      if (running) interrupt('stopped');
      messages.set(conversation);
      text.set('');
      error.set(undefined);
      status.set('idle');
    },
  };
}
