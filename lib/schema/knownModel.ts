/**
 * The model names the API knows today: the names the official TypeScript SDK lists
 * (`@anthropic-ai/sdk` 1.14.0), newest first, deprecated ones included (see
 * {@link DEPRECATED_MODELS}). `Model` is one of these or any other string, so that editors
 * complete these names and a new model needs no new release.
 *
 * ## Example
 * ```ts
 * const model: KnownModel = 'claude-sonnet-4-6';
 * client.messages.stream({ model, max_tokens: 1024, messages: [{ role: 'user', content: 'Hi' }] });
 * ```
 *
 * @see Model
 */
export type KnownModel =
  | 'claude-fable-5-2'
  | 'claude-mythos-5-2'
  | 'claude-haiku-5-5'
  | 'claude-sonnet-5-5'
  | 'claude-fable-5-1'
  | 'claude-opus-5-5'
  | 'claude-mythos-5-1'
  | 'claude-sonnet-5'
  | 'claude-fable-5'
  | 'claude-mythos-5'
  | 'claude-opus-5'
  | 'claude-opus-4-8'
  | 'claude-opus-4-7'
  | 'claude-mythos-preview'
  | 'claude-opus-4-6'
  | 'claude-sonnet-4-6'
  | 'claude-haiku-4-5'
  | 'claude-haiku-4-5-20251001'
  | 'claude-opus-4-5'
  | 'claude-opus-4-5-20251101'
  | 'claude-sonnet-4-5'
  | 'claude-sonnet-4-5-20250929';
