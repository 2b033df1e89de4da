/** Helpers of the partial-JSON property specs: JSON text with chosen whitespace, cut into chunks. */

/**
 * A number in a value given to {@link toText}, written as this exact text (`-0.50E+03`) where
 * `JSON.stringify` would write its shortest form (`-500`).
 *
 * ## Example
 * ```ts
 * toText([new NumberText('-0.50E+03')], ['']); // '[-0.50E+03]'
 * ```
 */
export class NumberText {
  constructor(readonly text: string) {}
}

/** JSON text of `value` with the given whitespace, taken in turn, around every token. */
export function toText(value: unknown, whitespace: readonly string[]): string {
  let next = 0;
  const pad = (): string => whitespace[next++ % whitespace.length] ?? '';
  const write = (v: unknown): string => {
    if (v instanceof NumberText) return v.text;
    if (Array.isArray(v)) return `[${pad()}${v.map((e) => `${write(e)}${pad()}`).join(`,${pad()}`)}]`;
    if (typeof v === 'object' && v !== null) {
      const entries = Object.entries(v).map(([k, e]) => `${pad()}${JSON.stringify(k)}${pad()}:${pad()}${write(e)}`);
      return `{${entries.join(`${pad()},`)}${pad()}}`;
    }
    return JSON.stringify(v);
  };
  return `${pad()}${write(value)}${pad()}`;
}

/** `text` cut into chunks of the given sizes, taken in turn (a size of 0 gives an empty chunk). */
export function split(text: string, sizes: readonly number[]): string[] {
  const chunks: string[] = [];
  for (let i = 0, k = 0; i < text.length; k++) {
    const size = sizes[k % sizes.length] ?? 1;
    chunks.push(text.slice(i, i + size));
    i += size;
  }
  return chunks.length > 0 ? chunks : [text];
}

/** Every text one edit away from `text`: a character left out, or one of `characters` put in or put in place of one, at every position. */
export function oneCharacterEdits(text: string, characters: readonly string[]): string[] {
  const variants: string[] = [];
  for (let i = 0; i <= text.length; i++) {
    const before = text.slice(0, i);
    variants.push(before + text.slice(i + 1));
    for (const c of characters) variants.push(before + c + text.slice(i), before + c + text.slice(i + 1));
  }
  return variants;
}
