import { groupBy, map, mergeMap, type Observable, count } from 'rxjs';
import type { Client, MessageBatchRequest } from 'rx-anthropic';
import { MODEL } from './hello';

/** One request per question, its `custom_id` the question's index. */
export function batchRequests(questions: readonly string[]): MessageBatchRequest[] {
  return questions.map((question, i) => ({ custom_id: `q-${i}`, params: { model: MODEL, max_tokens: 256, messages: [{ role: 'user', content: question }] } }));
}

/** Runs the questions as one batch, polling every `interval` ms, and counts the results by type once it has ended. */
export function batchSummary(client: Client, questions: readonly string[], interval = 60_000): Observable<string> {
  return client.messages.batches.run(batchRequests(questions), { interval }).pipe(
    groupBy(({ result }) => result.type),
    mergeMap((group) => group.pipe(count(), map((n) => `${group.key}: ${n}`))),
  );
}
