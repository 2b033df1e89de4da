import { kindOfValue } from './kindOfValue';

/** An HTTP header name: a token of RFC 9110 (letters, digits and ``!#$%&'*+-.^_`|~``). */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** What no header value can carry once `fetch` has trimmed it: line breaks, NUL, characters beyond Latin-1. */
const UNSENDABLE = /[\0\r\n]|[^\0-\xff]/;

/**
 * What keeps a header from being sent, or `undefined` when it can be.
 *
 * `fetch` refuses such a header with a `TypeError` that quotes the value (an API key, a token)
 * and that used to be reported, and retried, as a connection error. The answer names the header
 * and never the value, so it may go into an error message. Leading and trailing whitespace is
 * fine: `fetch` trims it (a key read from a file with its newline still works).
 *
 * ## Example
 * ```ts
 * headerProblem('x-api-key', 'sk-ant-…\nX-Injected: 1');
 * // 'the x-api-key header contains a line break, a NUL or a character beyond Latin-1, which HTTP cannot send'
 * headerProblem('x-api-key', 'sk-ant-…\n'); // undefined
 * ```
 *
 * @param name The header's name.
 * @param value The header's value (anything but a string is refused).
 * @return Why it cannot be sent, in words that quote the name only.
 */
export function headerProblem(name: string, value: unknown): string | undefined {
  if (!TOKEN.test(name)) return `the header name ${JSON.stringify(name)} is not a valid HTTP header name (letters, digits and !#$%&'*+-.^_\`|~ only)`;
  if (typeof value !== 'string') return `the ${name} header's value is ${kindOfValue(value)}, not a string`;
  if (UNSENDABLE.test(value.trim())) return `the ${name} header contains a line break, a NUL or a character beyond Latin-1, which HTTP cannot send`;
  return undefined;
}
