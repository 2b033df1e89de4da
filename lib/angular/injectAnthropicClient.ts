import { assertInInjectionContext, inject, type Injector } from '@angular/core';
import type { Client } from '../client/createClient';
import { ANTHROPIC_CLIENT } from './anthropicTokens';
import { MissingProviderError } from './MissingProviderError';

/**
 * Options of {@link injectAnthropicClient}.
 *
 * ## Example
 * ```ts
 * const options: InjectAnthropicClientOptions = { injector: inject(Injector) };
 * setTimeout(() => injectAnthropicClient(options).messages.stream(params).subscribe());
 * ```
 */
export interface InjectAnthropicClientOptions {
  /** The injector to read from, outside an injection context. */
  injector?: Injector;
}

/**
 * The Anthropic client of the nearest `provideAnthropic()` (or `ANTHROPIC_CLIENT` provider).
 *
 * Call it in an injection context (a field initializer, a constructor, a factory) or pass an
 * `injector`. Its methods return cold Observables: nothing is sent before subscribe, and
 * unsubscribing (the `async` pipe, `takeUntilDestroyed`, `toSignal` when the component goes)
 * aborts the request.
 *
 * ## Example
 * ```ts
 * export class Summary {
 *   private readonly client = injectAnthropicClient();
 *   readonly text = toSignal(this.client.messages.stream(params).pipe(textSnapshots()), { initialValue: '' });
 * }
 * ```
 *
 * @param options An injector, to call it outside an injection context.
 * @return The client.
 * @throws MissingProviderError when no `provideAnthropic()` is above the injector.
 * @see provideAnthropic
 */
export function injectAnthropicClient(options: InjectAnthropicClientOptions = {}): Client {
  if (!options.injector) assertInInjectionContext(injectAnthropicClient);
  const client = options.injector ? options.injector.get(ANTHROPIC_CLIENT, null, { optional: true }) : inject(ANTHROPIC_CLIENT, { optional: true });
  if (client) return client;
  throw new MissingProviderError(
    'provideAnthropic',
    "injectAnthropicClient() found no Anthropic client: add provideAnthropic({ baseURL: '/api' }) to the application's providers " +
      '(app.config.ts) or to the route that needs it.',
  );
}
