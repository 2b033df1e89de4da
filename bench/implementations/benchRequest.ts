/** The prompt every implementation sends; the server ignores the request and plays the workload. */
export const BENCH_PROMPT = 'Run the benchmark.';

/** The request every implementation sends (the AI SDK builds the same one from the model and prompt). */
export const BENCH_REQUEST = {
  model: 'claude-sonnet-4-6',
  max_tokens: 64_000,
  messages: [{ role: 'user' as const, content: BENCH_PROMPT }],
};

/** The API key every client is given; the server does not check it. */
export const BENCH_API_KEY = 'sk-ant-bench';

/**
 * The floors' request, without a client: a function that POSTs the bench request to the workload
 * and gives the response body to read, or throws for a response that is not a 2xx with a body.
 * What it builds once (the URL, the body, the headers) is built before any run is timed.
 */
export function floorRequest(workloadURL: string): () => Promise<ReadableStream<Uint8Array>> {
  const url = `${workloadURL}/v1/messages`;
  const body = JSON.stringify({ ...BENCH_REQUEST, stream: true });
  const headers = { 'content-type': 'application/json', 'x-api-key': BENCH_API_KEY, 'anthropic-version': '2023-06-01' };
  return async () => {
    const response = await fetch(url, { method: 'POST', headers, body });
    if (!response.ok || !response.body) throw new Error(`HTTP ${response.status}`);
    return response.body;
  };
}
