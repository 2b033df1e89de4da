/** The API's error `type` for each HTTP status it documents. */
const errorTypes: Readonly<Record<number, string>> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  402: 'billing_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  504: 'timeout_error',
  529: 'overloaded_error',
};

/**
 * The error `type` the API uses for an HTTP status (`api_error` for an unlisted 5xx,
 * `invalid_request_error` for any other).
 */
export function errorTypeForStatus(status: number): string {
  return errorTypes[status] ?? (status >= 500 ? 'api_error' : 'invalid_request_error');
}

/** The HTTP status the API answers with for an error `type` (the inverse of the table above). */
export function statusForErrorType(type: string): number {
  for (const [status, name] of Object.entries(errorTypes)) {
    if (name === type) return Number(status);
  }
  return 500;
}

/** The API's error body: `{ type: 'error', error: { type, message }, request_id }`. */
export function apiErrorBody(type: string, message: string, requestId: string): object {
  return { type: 'error', error: { type, message }, request_id: requestId };
}
