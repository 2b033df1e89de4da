import Anthropic from '@anthropic-ai/sdk';
import { createClient } from 'rx-anthropic';
import { BatchResultsTally, BENCH_BATCH_ID, type BatchResultLine } from '../workloads/batchResults';
import { BENCH_API_KEY } from './benchRequest';
import type { StreamConsumer } from './Implementation';

/**
 * rx-anthropic's `client.messages.batches.results(id)`: the batch retrieved, then its results
 * file read and decoded line by line as it downloads, each result tallied as it is emitted.
 */
export function createRxBatchResultsConsumer(baseURL: string): StreamConsumer {
  const batches = createClient({ apiKey: BENCH_API_KEY, baseURL, maxRetries: 0 }).messages.batches;
  return () =>
    new Promise((resolve, reject) => {
      const tally = new BatchResultsTally();
      batches.results(BENCH_BATCH_ID).subscribe({
        next: (line) => tally.add(line as BatchResultLine),
        error: reject,
        complete: () => resolve(tally.result()),
      });
    });
}

/** The official SDK's `client.messages.batches.results(id)`: every result with `for await`, tallied. */
export function createSdkBatchResultsConsumer(baseURL: string): StreamConsumer {
  const anthropic = new Anthropic({ apiKey: BENCH_API_KEY, baseURL, maxRetries: 0 });
  return async () => {
    const tally = new BatchResultsTally();
    for await (const line of await anthropic.messages.batches.results(BENCH_BATCH_ID)) tally.add(line as BatchResultLine);
    return tally.result();
  };
}
