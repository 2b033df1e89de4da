/** An environment variable, or `undefined` where there is no `process` (browsers). */
export function environmentVariable(name: string): string | undefined {
  const scope = globalThis as { process?: { env?: Record<string, string | undefined> } };
  const value = scope.process?.env?.[name];
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}
