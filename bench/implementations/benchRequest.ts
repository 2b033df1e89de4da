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
