import { deepFreeze } from '../accumulate/freezeValue';
import { PartialJsonParser, PartialJsonSyntaxError } from '../accumulate/PartialJsonParser';
import { OutputParseError, OutputValidationError } from '../errors';
import type { OutputDecoder } from './StructuredOutputFormat';

/**
 * Parses the whole text of a structured output and decodes it: the value, or the typed error.
 *
 * `JSON.parse` reads valid text (native, and the same value as the incremental parser's); only
 * invalid text goes through `PartialJsonParser`, for the same message and position as a failure
 * found while streaming.
 *
 * @param text The output's text.
 * @param decoder The format's decoder.
 * @return The decoded value.
 * @throws OutputParseError when the text is not one JSON value.
 * @throws OutputValidationError when the decoder refuses it.
 */
export function parseOutputText<T>(text: string, decoder: OutputDecoder<T>): T {
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch {
    throw outputParseErrorOf(text);
  }
  return decodeOutput(text, value, decoder);
}

/**
 * The value decoded, frozen (its plain objects and arrays: the value is handed to every consumer
 * of a shared stream), or `OutputValidationError` naming each path the decoder refused.
 */
export function decodeOutput<T>(raw: string, value: unknown, decoder: OutputDecoder<T>): T {
  const result = decoder.decode(value);
  if (result.ok) return deepFreeze(result.value);
  throw new OutputValidationError(raw, value, result.failures);
}

/** The parse error of a text `JSON.parse` refused, worded by the incremental parser. */
export function outputParseErrorOf(text: string): OutputParseError {
  const parser = new PartialJsonParser();
  parser.push(text);
  try {
    parser.finish();
  } catch (error) {
    if (error instanceof PartialJsonSyntaxError) return fromSyntaxError(text, error);
    throw error;
  }
  // Both parsers accept the text: cannot happen, but say what JSON.parse thought rather than nothing.
  return new OutputParseError(text, 'JSON.parse refused the text');
}

/** An `OutputParseError` from the incremental parser's error. */
export function fromSyntaxError(text: string, error: PartialJsonSyntaxError): OutputParseError {
  return new OutputParseError(text, text.trim() === '' ? 'the message has no output text' : error.message, error.position);
}
