import type { MockBatchOptions, MockBatchResult } from './types';

interface BatchRequestEntry {
  readonly custom_id: string;
  readonly params: unknown;
}

/** A batch the mock keeps: its requests and how many times it was retrieved. */
interface StoredBatch {
  readonly id: string;
  readonly createdAt: string;
  readonly requests: readonly BatchRequestEntry[];
  retrievals: number;
  /** Every GET of the batch, a scripted reply included. */
  polls: number;
  status: 'in_progress' | 'canceling' | 'ended';
  canceled: boolean;
  endedAt: string | null;
  cancelInitiatedAt: string | null;
  /** The results, fixed when the batch ends. */
  results: readonly { readonly custom_id: string; readonly result: MockBatchResult }[] | null;
}

/** The batches of one mock server, in memory. */
export interface MockBatchStore {
  create(requests: readonly BatchRequestEntry[]): StoredBatch;
  /** The batch, counting a retrieval (which may end it, on the test's schedule). */
  retrieve(id: string): StoredBatch | undefined;
  get(id: string): StoredBatch | undefined;
  /** Every batch, newest first, as the API lists them. */
  list(): readonly StoredBatch[];
  cancel(id: string): StoredBatch | undefined;
  delete(id: string): boolean;
  /** The API's JSON of a batch; `origin` is where its results are served. */
  toJSON(batch: StoredBatch, origin: string): Record<string, unknown>;
}

const timestamp = (inMs = 0): string => new Date(Date.now() + inMs).toISOString().replace(/\.\d+Z$/, 'Z');

/** The default result of a request: a message that names it. */
function defaultResult(customId: string, params: unknown): MockBatchResult {
  const model = typeof params === 'object' && params !== null && typeof (params as { model?: unknown }).model === 'string' ? (params as { model: string }).model : 'claude-sonnet-4-6';
  return {
    type: 'succeeded',
    message: {
      id: `msg_mock_batch_${customId}`,
      type: 'message',
      role: 'assistant',
      model,
      content: [{ type: 'text', text: `Result for ${customId}` }],
      stop_reason: 'end_turn',
      stop_sequence: null,
      usage: { input_tokens: 10, output_tokens: 5, cache_creation_input_tokens: null, cache_read_input_tokens: null },
    },
  };
}

/**
 * An in-memory batch store: batches are numbered `msgbatch_mock_<n>` and end once they have been
 * retrieved `endAfterRetrievals` times (a cancel ends them at the next retrieval, the requests
 * left `canceled`).
 */
export function createMockBatchStore(options: MockBatchOptions = {}): MockBatchStore {
  const batches = new Map<string, StoredBatch>();
  const endAfter = options.endAfterRetrievals ?? 1;
  let created = 0;
  const end = (batch: StoredBatch): void => {
    batch.status = 'ended';
    batch.endedAt = timestamp();
    batch.results = batch.requests.map(({ custom_id, params }) => ({
      custom_id,
      result: batch.canceled ? { type: 'canceled' } : (options.result?.(custom_id, params) ?? defaultResult(custom_id, params)),
    }));
  };
  return {
    create: (requests) => {
      const batch: StoredBatch = {
        id: `msgbatch_mock_${++created}`,
        createdAt: timestamp(),
        requests,
        retrievals: 0,
        polls: 0,
        status: 'in_progress',
        canceled: false,
        endedAt: null,
        cancelInitiatedAt: null,
        results: null,
      };
      batches.set(batch.id, batch);
      if (endAfter === 0) end(batch);
      return batch;
    },
    retrieve: (id) => {
      const batch = batches.get(id);
      if (batch === undefined || batch.status === 'ended') return batch;
      batch.retrievals += 1;
      if (batch.retrievals >= endAfter || batch.status === 'canceling') end(batch);
      return batch;
    },
    get: (id) => batches.get(id),
    list: () => [...batches.values()].reverse(),
    cancel: (id) => {
      const batch = batches.get(id);
      if (batch === undefined || batch.status !== 'in_progress') return batch;
      batch.status = 'canceling';
      batch.canceled = true;
      batch.cancelInitiatedAt = timestamp();
      return batch;
    },
    delete: (id) => batches.delete(id),
    toJSON: (batch, origin) => {
      const counts = { processing: 0, succeeded: 0, errored: 0, canceled: 0, expired: 0 };
      if (batch.results === null) counts.processing = batch.requests.length;
      else for (const { result } of batch.results) if (result.type in counts) counts[result.type as keyof typeof counts] += 1;
      return {
        id: batch.id,
        type: 'message_batch',
        processing_status: batch.status,
        request_counts: counts,
        ended_at: batch.endedAt,
        created_at: batch.createdAt,
        expires_at: timestamp(24 * 3600 * 1000),
        archived_at: null,
        cancel_initiated_at: batch.cancelInitiatedAt,
        results_url: batch.status === 'ended' ? `${origin}/v1/messages/batches/${batch.id}/results` : null,
      };
    },
  };
}
