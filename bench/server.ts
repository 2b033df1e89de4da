/**
 * The benchmark's SSE server, run as a child process of `run.ts` so that it never competes with
 * the measured client for the same event loop. It pre-renders every selected workload to bytes,
 * listens on 127.0.0.1 and answers `POST /w/<workload>/v1/messages` with those bytes, written
 * as fast as the socket takes them (waiting for `drain` when the socket's buffer is full). It
 * tells its parent the port and each workload's size and expected result digest over IPC.
 */
import { createServer } from 'node:http';
import { playChunks } from './playChunks';
import { performance, type EventLoopUtilization } from 'node:perf_hooks';
import { defineWorkloads, FULL_SCALE, QUICK_SCALE, selectWorkloads } from './workloads';
import { sseFrame } from './workloads/events';
import { describeResult, digestResults } from './workloads/StreamResult';

/** What `run.ts` passes as the first argument (JSON). */
export interface ServerConfig {
  quick: boolean;
  toolSizesKB?: number[];
  workloads: string[];
  /** Bytes per `write()`; 0 writes each event on its own. */
  chunkBytes: number;
}

/** What the server reports of each workload. */
export interface ServedWorkload {
  id: string;
  /** SSE events in one stream (pings included). */
  events: number;
  /** Bytes of one stream. */
  bytes: number;
  streams: number;
  /** `digestResults` of `streams` copies of the expected result. */
  expectedDigest: string;
  expectedSummary: string;
}

/** How busy the server has been since it started; two of them give its load over a measurement. */
export interface ServerLoad {
  elu: EventLoopUtilization;
  cpu: NodeJS.CpuUsage;
}

export type ServerMessage = { type: 'listening'; port: number; workloads: ServedWorkload[] } | ({ type: 'load' } & ServerLoad) | { type: 'holding' };

/**
 * What `run.ts` may ask: `load`, answered by a `load` message; `hold`, answered by `holding`:
 * the next `streams` requests for `workload` get its first `events` events and then nothing more
 * until the client goes away (the open, idle streams whose memory the relay comparison measures).
 */
export type ServerRequest = { type: 'load' } | { type: 'hold'; workload: string; streams: number; events: number };

function main(): void {
  const config = JSON.parse(process.argv[2] ?? '{}') as ServerConfig;
  const scale = config.quick ? QUICK_SCALE : FULL_SCALE;
  // `relay` has no stream of its own: its relay reads `text` (run.ts asks for it).
  // No workload to play (a run of the batch results only) plays none; `selectWorkloads` would take an empty list for all.
  const workloads = config.workloads.length === 0 ? [] : selectWorkloads(defineWorkloads({ ...scale, ...(config.toolSizesKB ? { toolSizesKB: config.toolSizesKB, nestedSizesKB: config.toolSizesKB } : {}) }), config.workloads).filter((w) => w.family !== 'relay' && w.family !== 'batches');

  const bodies = new Map<string, Buffer[]>();
  /** Each workload's bytes and where each of its events ends, for the prefix a held stream gets. */
  const prefixes = new Map<string, { whole: Buffer; ends: number[] }>();
  const served: ServedWorkload[] = [];
  for (const workload of workloads) {
    const { events, expected } = workload.generate();
    const frames = events.map((event) => Buffer.from(sseFrame(event)));
    const whole = Buffer.concat(frames);
    let end = 0;
    prefixes.set(workload.id, { whole, ends: frames.map((frame) => (end += frame.length)) });
    bodies.set(workload.id, config.chunkBytes > 0 ? slice(whole, config.chunkBytes) : frames);
    served.push({
      id: workload.id,
      events: events.length,
      bytes: whole.length,
      streams: workload.streams,
      expectedDigest: digestResults(new Array(workload.streams).fill(expected)),
      expectedSummary: describeResult(expected),
    });
  }

  let hold: { workload: string; streams: number; events: number } | undefined;
  const server = createServer((request, response) => {
    const match = /^\/w\/([^/]+)\/v1\/messages$/.exec(request.url ?? '');
    const chunks = match ? bodies.get(match[1] as string) : undefined;
    request.resume();
    if (!chunks || request.method !== 'POST') {
      response.writeHead(404, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ type: 'error', error: { type: 'not_found_error', message: `no workload at ${request.url}` } }));
      return;
    }
    const held = hold && hold.workload === match?.[1] && hold.streams > 0 ? hold : undefined;
    if (held && --held.streams === 0) hold = undefined;
    request.on('end', () => {
      response.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', 'request-id': 'req_bench' });
      if (held) {
        // The first events, then silence until the client leaves ('close' frees the response).
        const { whole, ends } = prefixes.get(held.workload) as { whole: Buffer; ends: number[] };
        response.write(whole.subarray(0, ends[Math.min(held.events, ends.length) - 1] ?? 0));
        return;
      }
      playChunks(response, chunks).catch(() => response.destroy());
    });
  });
  server.keepAliveTimeout = 60_000;
  server.listen({ host: '127.0.0.1', port: 0, backlog: 4096 }, () => {
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    process.send?.({ type: 'listening', port, workloads: served } satisfies ServerMessage);
  });
  process.on('message', (request: ServerRequest) => {
    if (request.type === 'load') process.send?.({ type: 'load', elu: performance.eventLoopUtilization(), cpu: process.cpuUsage() } satisfies ServerMessage);
    if (request.type === 'hold') {
      hold = request.streams > 0 ? { workload: request.workload, streams: request.streams, events: request.events } : undefined;
      process.send?.({ type: 'holding' } satisfies ServerMessage);
    }
  });
  process.on('disconnect', () => process.exit(0));
}

function slice(whole: Buffer, size: number): Buffer[] {
  const chunks: Buffer[] = [];
  for (let at = 0; at < whole.length; at += size) chunks.push(whole.subarray(at, at + size));
  return chunks;
}

main();
