import { APIConnectionError, APIError } from '../errors';
import { isRetryableResponse } from './retryPolicy';

/**
 * Whether a failed attempt may be sent again: connection failures, timeouts and retryable
 * statuses. Anything else, `InvalidArgumentError` above all (a URL, header or params no retry
 * could send), fails at once.
 */
export function isRetryable(error: unknown): boolean {
  if (error instanceof APIConnectionError) return true;
  if (error instanceof APIError && error.status !== undefined) return isRetryableResponse(error.status, error.headers);
  return false;
}
