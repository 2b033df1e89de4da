import { InvalidArgumentError } from '../errors';

/**
 * `prefix` followed by the id as one path segment, encoded as the official SDK encodes it (all
 * but the characters a path segment may hold as they are). An id that is not a non-empty string,
 * or is `.` or `..` (which would change the path), is refused with an `InvalidArgumentError`
 * naming `argument`, as the SDK refuses it, before anything is sent.
 */
export function resourcePath(prefix: string, id: unknown, argument: string, suffix = ''): string {
  const segment = typeof id === 'string' ? id.replace(/[^\w\-.~!$&'()*+,;=:@]+/g, encodeURIComponent) : '';
  if (segment === '' || segment === '.' || segment === '..') {
    throw new InvalidArgumentError(argument, `The ${argument} must be a non-empty string, not "." or "..".`);
  }
  return `${prefix}${segment}${suffix}`;
}
