import { ProxyRefusalError } from 'rx-anthropic/proxy';

/** The `ProxyRefusalError` that `run` throws, or `undefined` when it returns; any other error is thrown on. */
export function thrownRefusal(run: () => unknown): ProxyRefusalError | undefined {
  try {
    run();
    return undefined;
  } catch (error) {
    if (error instanceof ProxyRefusalError) return error;
    throw error;
  }
}
