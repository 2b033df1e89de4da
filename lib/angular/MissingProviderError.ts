import { AnthropicError } from '../errors';

/**
 * An injection function of `rx-anthropic/angular` found no provider it needs: `provideAnthropic()`
 * for the client, or `provideHttpClient()` for the `HttpClient` transport.
 *
 * Angular's own `NullInjectorError` would name only a token; this names the function that asked,
 * what is missing and the line to add. `provider` is that function's name, for code.
 *
 * ## Example
 * ```ts
 * try {
 *   TestBed.runInInjectionContext(() => injectAnthropicClient());
 * } catch (error) {
 *   if (error instanceof MissingProviderError) console.error(error.provider); // 'provideAnthropic'
 * }
 * ```
 */
export class MissingProviderError extends AnthropicError {
  /** The provider function to add: `provideAnthropic` or `provideHttpClient`. */
  readonly provider: string;

  /**
   * @param provider The provider function to add.
   * @param message What asked, what is missing, and where to add it.
   */
  constructor(provider: string, message: string) {
    super(message);
    this.provider = provider;
  }
}
