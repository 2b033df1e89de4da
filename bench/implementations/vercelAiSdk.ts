import { createAnthropic } from '@ai-sdk/anthropic';
import { jsonSchema, streamText, tool } from 'ai';
import { BENCH_API_KEY, BENCH_PROMPT, BENCH_REQUEST } from './benchRequest';
import type { StreamConsumer } from './Implementation';

// The AI SDK prints a warning per call for settings a provider ignores; the benchmark's output is the table.
(globalThis as { AI_SDK_LOG_WARNINGS?: boolean }).AI_SDK_LOG_WARNINGS = false;

/** The tools the workloads call; without `execute`, so `streamText` stops after the tool calls. */
const tools = {
  save_report: tool({ description: 'Saves a report.', inputSchema: jsonSchema<Record<string, unknown>>({ type: 'object' }) }),
  get_weather: tool({ description: 'Gets the weather.', inputSchema: jsonSchema<Record<string, unknown>>({ type: 'object' }) }),
};

/**
 * `streamText` with every `fullStream` part consumed: text and reasoning deltas concatenated,
 * tool inputs from the `tool-call` parts (the AI SDK parses them once, at the end of the block).
 */
export function createStreamTextConsumer(workloadURL: string): StreamConsumer {
  const model = createAnthropic({ apiKey: BENCH_API_KEY, baseURL: `${workloadURL}/v1` })(BENCH_REQUEST.model);
  return async () => {
    const result = streamText({ model, prompt: BENCH_PROMPT, tools, maxRetries: 0, maxOutputTokens: BENCH_REQUEST.max_tokens });
    let text = '';
    let thinking = '';
    const toolInputs: unknown[] = [];
    for await (const part of result.fullStream) {
      if (part.type === 'text-delta') text += part.text;
      else if (part.type === 'reasoning-delta') thinking += part.text;
      else if (part.type === 'tool-call') toolInputs.push(part.input);
      else if (part.type === 'error') throw part.error instanceof Error ? part.error : new Error(String(part.error));
    }
    return { text, thinking, toolInputs };
  };
}
