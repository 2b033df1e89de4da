import { config } from 'rxjs';

/**
 * Catches what RxJS reports as unhandled (`config.onUnhandledError`) during each test of the
 * file that calls it, and puts the handler that was there back after each. `errors` holds the
 * current test's.
 */
export function captureUnhandledErrors(): { readonly errors: readonly unknown[] } {
  const captured: { errors: unknown[] } = { errors: [] };
  let previous: typeof config.onUnhandledError;
  beforeEach(() => {
    captured.errors = [];
    previous = config.onUnhandledError;
    config.onUnhandledError = (error) => captured.errors.push(error);
  });
  afterEach(() => {
    config.onUnhandledError = previous;
  });
  return captured;
}
