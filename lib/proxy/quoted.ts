const MAX_CHARACTERS = 64;

/**
 * A value of the request as a refusal may quote it: a string in quotes, cut to 64 characters
 * (`"claude-…"` then `…`), a number or boolean as written, anything else by its kind. A refusal
 * never echoes a large value back: the browser sent it, and a relay that repeats megabytes on
 * request is an amplifier.
 */
export function quoted(value: unknown): string {
  if (typeof value === 'string') {
    return value.length > MAX_CHARACTERS ? `${JSON.stringify(value.slice(0, MAX_CHARACTERS))}… (${value.length} characters)` : JSON.stringify(value);
  }
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  if (value === undefined) return 'nothing';
  return Array.isArray(value) ? 'an array' : `a ${typeof value}`;
}

/** A few values quoted, then how many more: `"a", "b", "c" and 12 more`. */
export function quotedList(values: readonly unknown[], max = 5): string {
  const shown = values.slice(0, max).map(quoted).join(', ');
  return values.length > max ? `${shown} and ${values.length - max} more` : shown;
}
