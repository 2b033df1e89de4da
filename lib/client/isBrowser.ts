/** Whether this code runs in a web page or a web worker, where an API key would be exposed. */
export function isBrowser(): boolean {
  const scope = globalThis as { window?: { document?: unknown }; importScripts?: unknown; process?: { versions?: { node?: string } } };
  if (scope.process?.versions?.node) return false;
  return (typeof scope.window === 'object' && scope.window.document !== undefined) || typeof scope.importScripts === 'function';
}
