import { attachParsedOutput } from './attachParsedOutput';
import type { OutputHooks } from './outputHooks';
import { parsedMessageOf, type ReadOutput } from './parsedMessageOf';
import { decodeOutput } from './parseOutputText';
import type { OutputDecoder } from './StructuredOutputFormat';

/**
 * The hooks `outputFormat` puts on a format: its final message parsed and decoded, by the
 * operators that finish a streamed message and by `parse()`, with one function. Built once per
 * format; the operator holds no state between subscriptions.
 *
 * @param decoder How the format turns the output's parsed JSON into its value.
 * @return The hooks the client reads from the format.
 */
export function outputHooksFor<T>(decoder: OutputDecoder<T>): OutputHooks<T> {
  const read: ReadOutput<T> = (raw, value) => decodeOutput(raw, value, decoder);
  const parsed: OutputHooks<T>['parsedMessageOf'] = (message) => parsedMessageOf(message, read);
  return { attachParsedOutput: attachParsedOutput(parsed), parsedMessageOf: parsed };
}
