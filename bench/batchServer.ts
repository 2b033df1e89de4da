/**
 * The benchmark's Message Batches file server, a child process of `run.ts` (so it never competes
 * with the measured client for an event loop): it renders the results file of the `batch-results`
 * workload once (`workloads/batchResults.ts`), listens on 127.0.0.1 and answers the two requests
 * of `results()` as the API does: `GET /v1/messages/batches/<id>` with the ended batch, whose
 * `results_url` points back at it, and `GET <results_url>` with the file's bytes
 * (`application/binary`), written as fast as the socket takes them, in `chunkBytes` pieces
 * (waiting for `drain`). Both clients read the same bytes. It reports its port and the file's
 * size and expected digest over IPC, and its load as `server.ts` does.
 */
import { createServer } from 'node:http';
import { playChunks } from './playChunks';
import { performance } from 'node:perf_hooks';
import type { ServedWorkload, ServerMessage, ServerRequest } from './server';
import { batchResultsFile, BENCH_BATCH_ID } from './workloads/batchResults';
import { describeResult, digestResults } from './workloads/StreamResult';

/** What `run.ts` passes as the first argument (JSON). */
export interface BatchServerConfig {
  /** The workload's id (`batch-results`). */
  workload: string;
  lines: number;
  /** Bytes per `write()` (0: the whole file in one). */
  chunkBytes: number;
}

function main(): void {
  const config = JSON.parse(process.argv[2] ?? '{}') as BatchServerConfig;
  const file = batchResultsFile(config.lines);
  const chunks: Buffer[] = [];
  const size = config.chunkBytes > 0 ? config.chunkBytes : file.bytes.length;
  for (let at = 0; at < file.bytes.length; at += size) chunks.push(file.bytes.subarray(at, at + size));
  const served: ServedWorkload = {
    id: config.workload,
    events: file.lines,
    bytes: file.bytes.length,
    streams: 1,
    expectedDigest: digestResults([file.expected]),
    expectedSummary: describeResult(file.expected),
  };
  const batchPath = `/v1/messages/batches/${BENCH_BATCH_ID}`;
  let origin = '';
  const server = createServer((request, response) => {
    request.resume();
    const path = request.url ?? '';
    if (request.method === 'GET' && path === batchPath) {
      const now = new Date().toISOString();
      const counts = { processing: 0, succeeded: 0, errored: 0, canceled: 0, expired: 0 };
      response.writeHead(200, { 'content-type': 'application/json', 'request-id': 'req_bench_batch' });
      response.end(
        JSON.stringify({
          id: BENCH_BATCH_ID,
          type: 'message_batch',
          processing_status: 'ended',
          request_counts: { ...counts, succeeded: file.lines },
          ended_at: now,
          created_at: now,
          expires_at: now,
          archived_at: null,
          cancel_initiated_at: null,
          results_url: `${origin}${batchPath}/results`,
        }),
      );
      return;
    }
    if (request.method === 'GET' && path === `${batchPath}/results`) {
      response.writeHead(200, { 'content-type': 'application/binary', 'content-length': String(file.bytes.length), 'request-id': 'req_bench_batch_results' });
      playChunks(response, chunks).catch(() => response.destroy());
      return;
    }
    response.writeHead(404, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ type: 'error', error: { type: 'not_found_error', message: `nothing at ${request.method} ${path}` } }));
  });
  server.keepAliveTimeout = 60_000;
  server.listen({ host: '127.0.0.1', port: 0 }, () => {
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    origin = `http://127.0.0.1:${port}`;
    process.send?.({ type: 'listening', port, workloads: [served] } satisfies ServerMessage);
  });
  process.on('message', (request: ServerRequest) => {
    if (request.type === 'load') process.send?.({ type: 'load', elu: performance.eventLoopUtilization(), cpu: process.cpuUsage() } satisfies ServerMessage);
  });
  process.on('disconnect', () => process.exit(0));
}

main();
