/**
 * The relay comparison of `npm run bench` (the `relay` workload): the same client pipeline
 * (`rx-events`) reads the text stream directly from the bench server and through the relay of
 * rx-anthropic/proxy (`relay.ts`, a process of its own, every check on), each in a child of its
 * own, the two taking their runs in turn as the children of every workload do. Then the relay's
 * memory per open stream: its heap and RSS after `gc()`, before and with `openStreams` streams held
 * open through it (the server sends each one's first events, then nothing until the client leaves).
 */
import * as http from 'node:http';
import { evaluateOutcome } from './evaluate';
import { IMPLEMENTATIONS } from './implementations';
import { BENCH_REQUEST } from './implementations/benchRequest';
import type { RelayAccess } from './implementations/Implementation';
import { mainThreadProfile, MeasuredChild, type RunPlan } from './measure';
import { summariseCpuProfile } from './report/cpuProfile';
import type { PairResult } from './report/BenchReport';
import { perStreamKB, RELAY_PIPELINE, RELAYED_IMPL, type RelayFigures, type RelayMemorySample } from './report/relay';
import { addServerLoad, loadOf, type ServerLoadTotals } from './report/serverLoad';
import { RelayProcess } from './relayProcess';
import { RELAY_ACCESS, RELAY_BASE_PATH, RELAY_CHECKS, type RelayConfig, type RelayCounters } from './relayOptions';
import type { ServedWorkload, ServerLoad } from './server';
import type { Workload } from './workloads';

/** What the comparison needs of the bench server. */
export interface RelayBenchServer {
  port: number;
  load(): Promise<ServerLoad>;
  /** The next `streams` requests for `workload` get its first `events` events, then nothing until the client leaves. */
  hold(workload: string, streams: number, events: number): Promise<void>;
}

export interface RelayRunInput {
  server: RelayBenchServer;
  /** The `relay` workload. */
  workload: Workload;
  /** The text workload as the server plays it (the relay's upstream). */
  text: ServedWorkload;
  plan: RunPlan;
  requestedRuns: number;
  nodeArgs: readonly string[];
  /** Extra Node flags for the relay process. */
  relayNodeArgs: readonly string[];
  /** Streams held open through the relay at once for the memory figure. */
  openStreams: number;
  /** With `--cpu-prof`: the directory the relay process writes its profiles to (its summary goes into the figures). */
  relayProfileDir?: string;
  /** Told of each row as soon as it is evaluated (for the progress log). */
  onResult(result: PairResult, failed: boolean): void;
}

export interface RelayRunOutput {
  /** The direct row (`rx-events`), then the one through the relay (`rx-events+relay`), on workload `relay`. */
  results: PairResult[];
  failures: string[];
  figures?: RelayFigures;
}

/** Events each held stream gets before the server falls silent: the message's and the block's start, and a few deltas. */
const HELD_EVENTS = 10;
/** Time allowed for the held streams to open. */
const OPEN_STREAMS_MS = 60_000;
/** Time given the relay to close the held streams' upstream requests before the memory after them. */
const SETTLE_MS = 500;

export async function measureRelay(input: RelayRunInput): Promise<RelayRunOutput> {
  const { server, workload, plan } = input;
  const failures: string[] = [];
  const upstreamURL = `http://127.0.0.1:${server.port}/w/text`;
  let relay: RelayProcess;
  try {
    relay = await RelayProcess.start(
      { upstreamURL, basePath: RELAY_BASE_PATH, access: RELAY_ACCESS, maxOpenStreams: input.openStreams },
      [...input.relayNodeArgs, ...(input.relayProfileDir ? ['--cpu-prof', '--cpu-prof-dir', input.relayProfileDir] : [])],
    );
  } catch (error) {
    return { results: [], failures: [`the relay did not start: ${error instanceof Error ? error.message : String(error)}`] };
  }
  let stopped = false;
  try {
    const impl = IMPLEMENTATIONS.find((candidate) => candidate.id === RELAY_PIPELINE);
    if (!impl) throw new Error(`no implementation ${RELAY_PIPELINE}`);
    const relayURL = `${relay.url}${RELAY_BASE_PATH}`;
    const pairs = [
      { impl, child: new MeasuredChild({ impl: impl.id, url: upstreamURL, streams: 1 }, plan, input.nodeArgs), server: totals(), relay: undefined },
      { impl: { ...impl, id: RELAYED_IMPL }, child: new MeasuredChild({ impl: impl.id, url: relayURL, streams: 1, relay: RELAY_ACCESS }, plan, input.nodeArgs), server: totals(), relay: totals() },
    ];
    await Promise.all(pairs.map(({ child }) => child.ready));
    // In turn, a run of each, as the children of every workload.
    while (pairs.some(({ child }) => child.hasNext)) {
      for (const pair of pairs) {
        if (!pair.child.hasNext) continue;
        const [serverBefore, relayBefore] = await Promise.all([server.load(), pair.relay ? relay.load() : undefined]);
        await pair.child.next();
        const [serverAfter, relayAfter] = await Promise.all([server.load(), pair.relay ? relay.load() : undefined]);
        addServerLoad(pair.server, serverBefore, serverAfter);
        if (pair.relay && relayBefore && relayAfter) addServerLoad(pair.relay, relayBefore, relayAfter);
      }
    }
    const served: ServedWorkload = { ...input.text, id: workload.id };
    const results: PairResult[] = [];
    for (const pair of pairs) {
      const evaluated = evaluateOutcome(pair.impl, workload, served, await pair.child.stop(), input.requestedRuns);
      const load = loadOf(pair.server);
      if (load) evaluated.result.server = load;
      results.push(evaluated.result);
      failures.push(...evaluated.failures);
      input.onResult(evaluated.result, evaluated.failures.length > 0);
    }
    const relayed = results[1] as PairResult;
    if (relayed.status !== 'ok') return { results, failures };

    const before = await relay.memory();
    await server.hold('text', input.openStreams, HELD_EVENTS);
    const held = await openHeldStreams(`${relayURL}/v1/messages`, RELAY_ACCESS, input.openStreams);
    const open = await relay.memory();
    held.close();
    await server.hold('text', 0, 0);
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    const afterClose = await relay.memory();
    if (held.opened < input.openStreams) {
      failures.push(`the relay opened ${held.opened} of the ${input.openStreams} held streams: ${held.refusals.slice(0, 3).join('; ') || 'the others did not start in time'}`);
    }
    const relayLoad = loadOf(pairs[1]!.relay as ServerLoadTotals);
    // The profile is written as the relay exits: stop it first.
    await relay.stop();
    stopped = true;
    const profile = input.relayProfileDir ? mainThreadProfile(input.relayProfileDir) : undefined;
    const counters: RelayCounters = afterClose.counters;
    const figures: RelayFigures = {
      checks: [...RELAY_CHECKS],
      openStreams: input.openStreams,
      opened: held.opened,
      before: sample(before),
      open: sample(open),
      afterClose: sample(afterClose),
      heapPerStreamKB: held.opened > 0 ? perStreamKB(before.heapMB, open.heapMB, held.opened) : NaN,
      rssPerStreamKB: held.opened > 0 ? perStreamKB(before.rssMB, open.rssMB, held.opened) : NaN,
      ...(relayLoad ? { load: relayLoad } : {}),
      usageRecords: counters.usageRecords,
      relayErrors: counters.errors,
      ...(profile ? { profile: summariseCpuProfile(profile) } : {}),
    };
    return { results, failures, figures };
  } finally {
    if (!stopped) await relay.stop();
  }
}

function totals(): ServerLoadTotals {
  return { activeMs: 0, wallMs: 0, cpuMs: 0 };
}

function sample(message: RelayMemorySample): RelayMemorySample {
  return { heapMB: message.heapMB, rssMB: message.rssMB, externalMB: message.externalMB };
}

/**
 * Opens `count` streams through the relay at once, as a browser's client would (the same body,
 * token and origin), each on a connection of its own, and waits until each has its first bytes
 * (the relay has answered 200 and relayed the first events) or was refused.
 */
async function openHeldStreams(url: string, access: RelayAccess, count: number): Promise<{ opened: number; refusals: string[]; close(): void }> {
  const body = JSON.stringify({ ...BENCH_REQUEST, stream: true });
  const headers = {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(body)),
    authorization: `Bearer ${access.token}`,
    origin: access.origin,
    'anthropic-version': '2023-06-01',
    accept: 'text/event-stream',
  };
  const requests: http.ClientRequest[] = [];
  const refusals: string[] = [];
  let opened = 0;
  const one = (): Promise<void> =>
    new Promise((resolve) => {
      const request = http.request(url, { method: 'POST', agent: false, headers }, (response) => {
        response.on('error', () => undefined);
        if (response.statusCode !== 200) {
          let text = '';
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => void (text += chunk));
          response.on('end', () => {
            refusals.push(`${response.statusCode} ${text.slice(0, 200)}`);
            resolve();
          });
          return;
        }
        response.once('data', () => {
          opened += 1;
          resolve();
        });
      });
      request.on('error', (error) => {
        refusals.push(error.message);
        resolve();
      });
      requests.push(request);
      request.end(body);
    });
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([Promise.all(Array.from({ length: count }, one)), new Promise((resolve) => (timer = setTimeout(resolve, OPEN_STREAMS_MS)))]);
  clearTimeout(timer);
  return { opened, refusals, close: () => requests.forEach((request) => request.destroy()) };
}
