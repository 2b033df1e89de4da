import type { SchedulerLike } from 'rxjs';

/** Options of {@link createClient}. */
export interface ClientOptions {
  /** Sent as `x-api-key`. Defaults to the `ANTHROPIC_API_KEY` environment variable. */
  apiKey?: string | null;
  /** Sent as `authorization: Bearer …` instead of an API key. Defaults to `ANTHROPIC_AUTH_TOKEN`. */
  authToken?: string | null;
  /** Defaults to `ANTHROPIC_BASE_URL`, then `https://api.anthropic.com`. */
  baseURL?: string;
  /** Retries of a request before the first byte of its body (connection errors, 408, 409, 429, 5xx). Default 2. */
  maxRetries?: number;
  /** Milliseconds to wait for a response and then between two chunks of its body. Default 10 minutes. */
  timeout?: number;
  /** The `fetch` to send requests with. Defaults to the global one. */
  fetch?: typeof fetch;
  /** Headers sent with every request. */
  defaultHeaders?: Record<string, string>;
  /** Allow running in a browser, where the API key would be visible to the page's users. */
  dangerouslyAllowBrowser?: boolean;
  /** The scheduler for retry delays and timeouts (a `VirtualTimeScheduler` in tests). Default `asyncScheduler`. */
  scheduler?: SchedulerLike;
}
