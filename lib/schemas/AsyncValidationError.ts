import { AnthropicError } from '../errors';

/**
 * A Standard Schema validated a structured output asynchronously (its `validate` returned a
 * Promise: a zod `.refine(async …)`, an async Valibot pipe), where the output is read at once:
 * `parsed_output`, `partialOutput()`, `finalOutput()` and `format.parse()` give the value in the
 * same step that reads the text. A tool's input may validate asynchronously; the tool loop waits.
 *
 * ## Example
 * ```ts
 * client.messages.parse({ ...params, output_config: { format } }).subscribe({
 *   error: (error) => error instanceof AsyncValidationError && console.error(`${error.vendor} schema has async checks`),
 * });
 * ```
 *
 * @see outputFormat
 */
export class AsyncValidationError extends AnthropicError {
  /** The schema's library (`~standard.vendor`: `zod`, `valibot`, `arktype`…). */
  readonly vendor: string;

  /** @param vendor The schema's library. */
  constructor(vendor: string) {
    super(
      `The ${vendor} schema of this structured output validated asynchronously (its validate returned a Promise), but a structured output ` +
        'is read synchronously (parsed_output, partialOutput(), finalOutput(), format.parse()). Use a schema without async checks for the ' +
        'output, and run those checks on the value afterwards.',
    );
    this.vendor = vendor;
  }
}
