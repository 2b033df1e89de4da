/** A query parameter's value: arrays repeat the parameter as `name[]`; `undefined` and `null` leave it out. */
export type QueryValue = string | number | boolean | readonly (string | number)[] | null | undefined;

/** Percent-encodes as RFC 3986 asks (as the official SDK's `qs` does): all but `A-Z a-z 0-9 - . _ ~`. */
const encode = (text: string): string => encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/**
 * The query string of `params`, with a leading `?` (`''` when there is nothing to send), written
 * as the official SDK writes it: parameters in the order given, arrays in brackets
 * (`ids[]=a&ids[]=b`).
 */
export function queryString(params: Readonly<Record<string, QueryValue>>): string {
  const pairs: string[] = [];
  for (const [name, value] of Object.entries(params)) {
    if (value === undefined || value === null) continue;
    if (Array.isArray(value)) for (const item of value as readonly (string | number)[]) pairs.push(`${encode(`${name}[]`)}=${encode(String(item))}`);
    else pairs.push(`${encode(name)}=${encode(String(value))}`);
  }
  return pairs.length === 0 ? '' : `?${pairs.join('&')}`;
}
