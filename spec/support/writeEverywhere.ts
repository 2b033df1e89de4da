/**
 * What a careless consumer does to a value it was handed: writes to every object and array in it
 * (each property overwritten, a property added, an element pushed and overwritten), children
 * first. Returns the paths where a write went through, and the errors that were not the
 * `TypeError` of a frozen value, so a spec can expect both to be empty. Specs are ES modules, so
 * strict: a write to a frozen value throws.
 */
export function writeEverywhere(value: unknown, path = '$'): string[] {
  const written: string[] = [];
  const attempt = (where: string, write: () => void): void => {
    try {
      write();
      written.push(where);
    } catch (error) {
      if (!(error instanceof TypeError)) written.push(`${where} (threw ${String(error)})`);
    }
  };
  const visit = (node: unknown, at: string): void => {
    if (typeof node !== 'object' || node === null) return;
    if (Array.isArray(node)) {
      node.forEach((item, index) => visit(item, `${at}[${index}]`));
      attempt(`${at}.push()`, () => node.push('CHANGED'));
      if (node.length > 0) attempt(`${at}[0]`, () => (node[0] = 'CHANGED'));
      return;
    }
    const record = node as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      visit(record[key], `${at}.${key}`);
      // An accessor without a setter (a lazy tool input) refuses a write even unfrozen: its value was visited above.
      const descriptor = Object.getOwnPropertyDescriptor(record, key);
      if (descriptor !== undefined && !('get' in descriptor)) attempt(`${at}.${key}`, () => (record[key] = 'CHANGED'));
    }
    attempt(`${at}.added`, () => (record['added'] = 'CHANGED'));
  };
  visit(value, path);
  return written;
}

/** Every plain object and array reachable from `value` that is not frozen, by path. */
export function unfrozenPaths(value: unknown, path = '$'): string[] {
  if (typeof value !== 'object' || value === null) return [];
  const own = Object.isFrozen(value) ? [] : [path];
  const children = Array.isArray(value)
    ? value.flatMap((item, index) => unfrozenPaths(item, `${path}[${index}]`))
    : Object.keys(value).flatMap((key) => unfrozenPaths((value as Record<string, unknown>)[key], `${path}.${key}`));
  return [...own, ...children];
}
