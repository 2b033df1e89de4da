import type { AnthropicOptions } from './AnthropicOptions';

/**
 * The options of a `provideAnthropic()` over those of the providers above it: its own fields
 * win; `params` and `defaultHeaders` merge field by field; a `fetch` of its own means
 * `transport: 'fetch'`, and `transport: 'httpClient'` drops an inherited `fetch`.
 *
 * ## Example
 * ```ts
 * mergeAnthropicOptions({ baseURL: '/api', params: { model: 'claude-sonnet-4-6' } }, { params: { max_tokens: 256 } });
 * // { baseURL: '/api', params: { model: 'claude-sonnet-4-6', max_tokens: 256 } }
 * ```
 *
 * @param inherited The merged options of the providers above, if any.
 * @param own The options given to this `provideAnthropic()`.
 * @return The options in force here.
 */
export function mergeAnthropicOptions(inherited: AnthropicOptions | null | undefined, own: AnthropicOptions): AnthropicOptions {
  if (!inherited) return own;
  const merged: AnthropicOptions = { ...inherited, ...own };
  if (inherited.params || own.params) merged.params = { ...inherited.params, ...own.params };
  if (inherited.defaultHeaders || own.defaultHeaders) merged.defaultHeaders = { ...inherited.defaultHeaders, ...own.defaultHeaders };
  if (own.fetch !== undefined && own.transport === undefined) merged.transport = 'fetch';
  if (own.transport === 'httpClient' && own.fetch === undefined) delete merged.fetch;
  return merged;
}
