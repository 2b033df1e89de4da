/**
 * `npm run bench`: measures rx-anthropic beside the official SDK, the Vercel AI SDK and a
 * no-frills floor, on the same pre-rendered streams from a loopback server, and prints a table
 * (and writes `bench/results/latest.json`, and `bench/RESULTS.md` with `--write-results`).
 * `--help` lists the options; `bench/README.md` says what is measured.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { evaluateOutcome } from './evaluate';
import { IMPLEMENTATIONS, runsOn, selectImplementations, type Implementation } from './implementations';
import { mainThreadProfile, MeasuredChild, profileDirectory, type RunPlan } from './measure';
import { MIN_RUNS, parseOptions, teeHeapRunsOf, USAGE, type BenchOptions } from './options';
import type { ChildConfig } from './child';
import type { BenchReport, PairResult } from './report/BenchReport';
import { summariseCpuProfile, type ProfileSummary } from './report/cpuProfile';
import { formatDuration, formatMedian, formatMs, renderTextTable } from './report/format';
import { describeMachine, libraryVersions } from './report/machine';
import { addRatios } from './report/ratios';
import { resultsMarkdown } from './report/resultsMarkdown';
import { addServerLoad, loadOf, serverLoadSummary, type ServerLoadTotals } from './report/serverLoad';
import { targetLines } from './report/targets';
import { manyMemoryTable, resultsTable, toolScalingTable, type TableData } from './report/tables';
import type { ServedWorkload, ServerConfig, ServerLoad, ServerMessage, ServerRequest } from './server';
import { killLiveChildren, PROJECT_ROOT, spawnTs } from './spawnTs';
import { benchSources, ensureBuilt } from './benchSources';
import { relayMemoryTable, relaySummary, relayTable, RELAY_PIPELINE } from './report/relay';
import { measureRelay } from './relayRun';
import { latencyTable, teeBlockTable, teeTable } from './report/stores';
import { RECOVERY_PAIR } from './report/recoveryTarget';
import { measureStores } from './storesRun';
import { measureBatchResults } from './batchResultsRun';
import { batchResultsTable } from './report/batchResults';
import { defineWorkloads, FULL_SCALE, QUICK_SCALE, selectWorkloads, servedWorkloadIds, type Workload } from './workloads';

const log = (line: string): void => void process.stderr.write(`${line}\n`);

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2));
  if (options.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  // The children measure the built package (benchSources): build it first if it is missing or old.
  if (benchSources() === 'dist') ensureBuilt(PROJECT_ROOT);
  const started = performance.now();
  const startedAt = new Date().toISOString();
  const loadAtStart = os.loadavg()[0] as number;
  const scale = options.quick ? QUICK_SCALE : FULL_SCALE;
  const workloads = selectWorkloads(defineWorkloads({ ...scale, ...(options.toolSizesKB ? { toolSizesKB: options.toolSizesKB, nestedSizesKB: options.toolSizesKB } : {}) }), options.workloads);
  const impls = selectImplementations(options.impls);

  const server = await startServer({ quick: options.quick, workloads: servedWorkloadIds(workloads), chunkBytes: options.chunkBytes, ...(options.toolSizesKB ? { toolSizesKB: options.toolSizesKB } : {}) });
  const profileDir = path.join(PROJECT_ROOT, 'bench', 'results', 'profiles');
  fs.mkdirSync(profileDir, { recursive: true });

  const results: PairResult[] = [];
  const failures: string[] = [];
  const plan: RunPlan = { warmups: options.warmups, runs: options.runs, heapRuns: options.heapRuns, budgetMs: options.budgetSeconds * 1000, targetMs: options.targetSeconds * 1000, minRuns: Math.min(MIN_RUNS, options.runs) };
  // The relay compares rx-events directly and through it: two pairs, when rx-events is selected.
  const relayRuns = impls.some((impl) => impl.id === RELAY_PIPELINE);
  const pairCount = workloads.reduce((n, w) => n + (w.family === 'relay' ? (relayRuns ? 2 : 0) : w.family === 'stores' ? (relayRuns ? 3 : 0) : impls.filter((impl) => runsOn(impl, w.family)).length), 0);
  // The batch results file is served by a server of its own (`batchServer.ts`), which reports it.
  let batchServed: ServedWorkload | undefined;
  const servedOf = (workload: Workload): ServedWorkload => {
    if (workload.family === 'batches') return { ...(batchServed as ServedWorkload), id: workload.id };
    const served = server.workloads.find((w) => w.id === (workload.family === 'relay' ? 'text' : workload.id)) as ServedWorkload;
    return { ...served, id: workload.id };
  };
  let relay: BenchReport['relay'];
  let stores: BenchReport['stores'];
  const profiled = new Set(profilePairs(options, workloads, impls));
  let logged = 0;
  for (const workload of workloads) {
    const served = servedOf(workload);
    const label = (impl: string): string => `[${String(++logged).padStart(String(pairCount).length)}/${pairCount}] ${workload.id.padEnd(11)} ${impl.padEnd(10)}`;
    if (workload.family === 'stores') {
      if (!relayRuns) {
        log(`stores: not run (they measure ${RELAY_PIPELINE}, which --impls leaves out)`);
        continue;
      }
      const run = await measureStores({
        server,
        workload,
        text: servedOf({ ...workload, id: 'text', family: 'text' }),
        small: server.workloads.find((w) => w.id === workload.id) as ServedWorkload,
        plan: { ...plan, runs: options.teeRuns, heapRuns: teeHeapRunsOf(options), minRuns: Math.min(MIN_RUNS, options.teeRuns) },
        requestedRuns: options.teeRuns,
        nodeArgs: options.nodeFlags,
        relayNodeArgs: options.relayNodeFlags,
        latencyRequests: options.latencyRequests,
        blocks: options.teeBlocks,
        ...(options.cpuProf ? { relayProfileDir: resetDirectory(profileDirectory(profileDir, 'relay-process', workload.id)) } : {}),
        onResult: (r, failed) => log(`${label(r.impl)} ${formatMedian(r, options.budgetSeconds).padStart(24)}  ${r.status === 'ok' ? `(${r.runs} run${r.runs === 1 ? '' : 's'})` : ''}${failed ? '  FAILED' : ''}`),
      });
      results.push(...run.results);
      failures.push(...run.failures);
      stores = run.figures;
      if (stores.relayCpuMsPerRun) log(`stores: the relay's CPU per run: ${Object.entries(stores.relayCpuMsPerRun).map(([impl, ms]) => `${impl} ${ms.toFixed(1)} ms`).join(', ')}`);
      if (stores.notRun) log(`stores: the Redis half not run (${stores.notRun})`);
      if (stores.latency) log(`stores: p99 ${stores.latency.memory.p99.toFixed(2)} ms with the memory limit store, ${stores.latency.redis.p99.toFixed(2)} ms with Redis (${stores.latency.redis.requests} requests each)`);
      continue;
    }
    if (workload.family === 'batches') {
      const readers = impls.filter((impl) => runsOn(impl, workload.family));
      if (readers.length === 0) {
        log(`${workload.id}: not run (its readers, rx-batch-results and sdk-batch-results, are left out by --impls)`);
        continue;
      }
      const run = await measureBatchResults({
        workload,
        impls: readers,
        plan,
        requestedRuns: options.runs,
        chunkBytes: options.chunkBytes,
        nodeArgs: options.nodeFlags,
        ...(options.cpuProf ? { profileDirOf: (impl: string) => resetDirectory(profileDirectory(profileDir, impl, workload.id)) } : {}),
        onResult: (r, failed) => log(`${label(r.impl)} ${formatMedian(r, options.budgetSeconds).padStart(24)}  ${r.status === 'ok' ? `(${r.runs} run${r.runs === 1 ? '' : 's'})` : ''}${failed ? '  FAILED' : ''}`),
      });
      results.push(...run.results);
      failures.push(...run.failures);
      batchServed = run.served;
      continue;
    }
    if (workload.family === 'relay') {
      if (!relayRuns) {
        log(`relay: not run (it compares ${RELAY_PIPELINE}, which --impls leaves out)`);
        continue;
      }
      const run = await measureRelay({
        server,
        workload,
        text: servedOf({ ...workload, id: 'text', family: 'text' }),
        // Its runs are some 50 ms each, where a little of the machine's noise moves a median: more of them.
        plan: { ...plan, runs: options.relayRuns, heapRuns: options.relayHeapRuns, minRuns: Math.min(MIN_RUNS, options.relayRuns) },
        requestedRuns: options.relayRuns,
        nodeArgs: options.nodeFlags,
        relayNodeArgs: options.relayNodeFlags,
        openStreams: options.relayStreams,
        ...(options.cpuProf ? { relayProfileDir: resetDirectory(profileDirectory(profileDir, 'relay-process', workload.id)) } : {}),
        onResult: (r, failed) => log(`${label(r.impl)} ${formatMedian(r, options.budgetSeconds).padStart(24)}  ${r.status === 'ok' ? `(${r.runs} run${r.runs === 1 ? '' : 's'})` : ''}${failed ? '  FAILED' : ''}`),
      });
      results.push(...run.results);
      failures.push(...run.failures);
      relay = run.figures;
      if (relay) log(`relay: ${relay.heapPerStreamKB.toFixed(1)} KiB of heap, ${relay.rssPerStreamKB.toFixed(1)} KiB of RSS per open stream (${relay.opened} held open)`);
      continue;
    }
    // The children of one workload take their runs in turn, so that a change in the machine's load slows them alike.
    const children: Array<{ impl: Implementation; child: MeasuredChild; load: ServerLoadTotals }> = [];
    const skipped: PairResult[] = [];
    for (const impl of impls.filter((candidate) => runsOn(candidate, workload.family))) {
      const unfinished = smallerToolSizeUnfinished(results, workloads, workload, impl.id);
      if (unfinished) {
        log(`${label(impl.id)} not run (${unfinished} did not finish)`);
        skipped.push({ workload: workload.id, impl: impl.id, status: 'skipped', note: `not run: ${unfinished} did not finish`, runs: 0, fromWarmup: false, timesMs: [], warmupTimesMs: [] });
        continue;
      }
      const profile = options.cpuProf ? profileDirectory(profileDir, impl.id, workload.id) : undefined;
      if (profile) fs.rmSync(profile, { recursive: true, force: true });
      const nodeArgs = [...options.nodeFlags, ...(profile ? ['--cpu-prof', '--cpu-prof-dir', profile] : [])];
      const config: ChildConfig = { impl: impl.id, url: `http://127.0.0.1:${server.port}/w/${workload.id}`, streams: workload.streams, ...(workload.sequential ? { sequential: workload.sequential } : {}) };
      // rx-events and rx-events-recovery take more runs after a collection: their medians judge issue 25's cost after one.
      const recoveryPair = RECOVERY_PAIR.includes(impl.id) && RECOVERY_PAIR.every((id) => impls.some((candidate) => candidate.id === id && runsOn(candidate, workload.family)));
      const child = new MeasuredChild(config, recoveryPair ? { ...plan, heapRuns: options.recoveryHeapRuns } : plan, nodeArgs);
      children.push({ impl, child, load: { activeMs: 0, wallMs: 0, cpuMs: 0 } });
    }
    await Promise.all(children.map(({ child }) => child.ready));
    for (let round = 1; children.some(({ child }) => child.hasNext); round++) {
      for (const { child, load } of children) {
        if (!child.hasNext) continue;
        const before = await server.load();
        await child.next();
        addServerLoad(load, before, await server.load());
      }
    }
    for (const { impl, child, load } of children) {
      const outcome = await child.stop();
      const evaluated = evaluateOutcome(impl, workload, served, outcome, options.runs);
      const serverLoad = loadOf(load);
      if (serverLoad) evaluated.result.server = serverLoad;
      const profile = options.cpuProf ? mainThreadProfile(profileDirectory(profileDir, impl.id, workload.id)) : undefined;
      if (profile) evaluated.result.profile = summariseCpuProfile(profile);
      else if (profiled.has(`${impl.id}:${workload.id}`) && evaluated.result.status === 'ok') {
        // A profiler slows what it watches: the profile comes from a run of its own, after the measured ones.
        const summary = await profileSeparately({ impl: impl.id, url: `http://127.0.0.1:${server.port}/w/${workload.id}`, streams: workload.streams }, profileDirectory(profileDir, impl.id, workload.id), plan);
        if (summary) evaluated.result.profile = summary;
      }
      const r = evaluated.result;
      log(`${label(impl.id)} ${formatMedian(r, options.budgetSeconds).padStart(24)}  ${r.status === 'ok' ? `(${r.fromWarmup ? 'warm-up only, ' : ''}${r.runs} run${r.runs === 1 ? '' : 's'})` : ''}${evaluated.failures.length > 0 ? '  FAILED' : ''}`);
      results.push(r);
      failures.push(...evaluated.failures);
    }
    results.push(...skipped);
    // Table order: the order of the implementations, whether run or not.
    const order = (r: PairResult): number => impls.findIndex((impl) => impl.id === r.impl);
    const ofWorkload = results.splice(results.length - children.length - skipped.length).sort((a, b) => order(a) - order(b));
    results.push(...ofWorkload);
  }
  server.stop();

  addRatios(results, workloads, options.budgetSeconds * 1000);

  const report: BenchReport = {
    startedAt,
    durationSeconds: (performance.now() - started) / 1000,
    command: `${benchSources() === 'lib' ? 'BENCH_SOURCES=lib ' : ''}npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
    options,
    machine: describeMachine(loadAtStart),
    versions: libraryVersions(PROJECT_ROOT),
    workloads: workloads.filter((w) => (w.family !== 'relay' && w.family !== 'stores') || relayRuns).map((w) => ({ ...servedOf(w), description: w.description, ...(w.sequential ? { sequential: w.sequential } : {}) })),
    implementations: IMPLEMENTATIONS.filter((i) => impls.includes(i)).map(({ id, description, snapshotsPerDelta }) => ({ id, description, snapshotsPerDelta })),
    results,
    ...(relay ? { relay } : {}),
    ...(stores ? { stores } : {}),
    failures,
  };
  printReport(report);
  writeJSON(options, report);
  if (failures.length > 0) {
    log(`\nThe run FAILED:\n${failures.map((f) => `  - ${f}`).join('\n')}`);
    if (options.writeResults) log('bench/RESULTS.md was not written.');
    return 1;
  }
  if (options.writeResults) {
    const notesFile = path.join(PROJECT_ROOT, 'bench', 'NOTES.md');
    const notes = fs.existsSync(notesFile) ? fs.readFileSync(notesFile, 'utf8') : undefined;
    fs.writeFileSync(path.join(PROJECT_ROOT, 'bench', 'RESULTS.md'), resultsMarkdown(report, notes));
    log('Wrote bench/RESULTS.md.');
  }
  return 0;
}

/**
 * A tool input (wide or nested) no larger than this one at which `impl` did not finish, if any:
 * it will not finish this one either (the slow tool consumers are slow on both shapes alike).
 */
function smallerToolSizeUnfinished(results: readonly PairResult[], workloads: readonly Workload[], workload: Workload, impl: string): string | undefined {
  if (workload.toolInputKB === undefined) return undefined;
  const smaller = workloads.filter((w) => w !== workload && w.toolInputKB !== undefined && w.toolInputKB <= (workload.toolInputKB as number)).map((w) => w.id);
  return results.find((r) => r.impl === impl && smaller.includes(r.workload) && (r.status === 'dnf' || r.status === 'skipped'))?.workload;
}

/** The `impl:workload` pairs to profile in a run of their own: `--profile`, or by default rx-events on the largest wide and nested tool inputs. */
function profilePairs(options: BenchOptions, workloads: readonly Workload[], impls: readonly Implementation[]): string[] {
  if (options.profile !== undefined) return options.profile;
  if (options.quick || options.cpuProf || !impls.some((impl) => impl.id === 'rx-events')) return [];
  return (['tool', 'nested'] as const).flatMap((family) => {
    const largest = workloads.filter((w) => w.family === family).sort((a, b) => (b.toolInputKB as number) - (a.toolInputKB as number))[0];
    return largest ? [`rx-events:${largest.id}`] : [];
  });
}

/** One warm-up and one run of a pair under `--cpu-prof`, summarised; `undefined` if it gave no profile. */
async function profileSeparately(config: ChildConfig, directory: string, plan: RunPlan): Promise<ProfileSummary | undefined> {
  fs.rmSync(directory, { recursive: true, force: true });
  const child = new MeasuredChild(config, { ...plan, warmups: 1, runs: 1, heapRuns: 0, minRuns: 1 }, ['--cpu-prof', '--cpu-prof-dir', directory]);
  if (await child.ready) while (child.hasNext) await child.next();
  await child.stop();
  const file = mainThreadProfile(directory);
  return file ? summariseCpuProfile(file) : undefined;
}

/** Empties `directory` (a profile directory) and gives it back. */
function resetDirectory(directory: string): string {
  fs.rmSync(directory, { recursive: true, force: true });
  return directory;
}

interface ServerHandle {
  port: number;
  workloads: ServedWorkload[];
  /** The server's load counters now. */
  load(): Promise<ServerLoad>;
  /** The next `streams` requests for `workload` get its first `events` events, then nothing until the client leaves. */
  hold(workload: string, streams: number, events: number): Promise<void>;
  stop(): void;
}

async function startServer(config: ServerConfig): Promise<ServerHandle> {
  const child = spawnTs('server.ts', config);
  const pendingLoads: Array<(load: ServerLoad) => void> = [];
  const pendingHolds: Array<() => void> = [];
  const listening = await new Promise<Extract<ServerMessage, { type: 'listening' }>>((resolve, reject) => {
    child.on('message', (m: ServerMessage) => {
      if (m.type === 'listening') resolve(m);
      else if (m.type === 'holding') pendingHolds.shift()?.();
      else pendingLoads.shift()?.(m);
    });
    child.once('exit', (code) => reject(new Error(`the benchmark server exited with code ${code}`)));
  });
  return {
    port: listening.port,
    workloads: listening.workloads,
    load: () =>
      new Promise((resolve) => {
        pendingLoads.push(resolve);
        child.send({ type: 'load' } satisfies ServerRequest);
      }),
    hold: (workload, streams, events) =>
      new Promise((resolve) => {
        pendingHolds.push(resolve);
        child.send({ type: 'hold', workload, streams, events } satisfies ServerRequest);
      }),
    stop: () => child.kill(),
  };
}

function printReport(report: BenchReport): void {
  const print = (title: string, data: TableData | null): void => {
    if (data) process.stdout.write(`\n${title}\n\n${renderTextTable(data.headers, data.rows, data.right)}\n`);
  };
  print(`Results (median of up to ${report.options.runs} runs after ${report.options.warmups} warm-up; ${report.machine.cpuModel}, ${report.machine.cores} cores, Node ${report.machine.node})`, resultsTable(report));
  const notes = report.results.filter((r) => r.note);
  if (notes.length > 0) process.stdout.write(`\n${notes.map((r) => `  ${r.impl} on ${r.workload}: ${r.note}`).join('\n')}\n`);
  print('Tool input: time per KiB (flat = linear in size)', toolScalingTable(report));
  print('Memory per stream (many)', manyMemoryTable(report));
  print('Relay: the text stream by rx-events through the relay of rx-anthropic/proxy and directly, in turn', relayTable(report));
  print(`Relay: its memory per open stream (${report.relay?.opened ?? 0} streams held open through it; each figure after gc())`, relayMemoryTable(report));
  const relayLine = relaySummary(report);
  if (relayLine) process.stdout.write(`\n${relayLine}.\n`);
  print('Stores: the text stream by rx-events through a relay without a stream store and teeing into one, in turn', teeTable(report));
  print("Stores, block by block: each client's median, its relay's CPU per run, the tee's share", teeBlockTable(report));
  print('Message Batches results: one results file read by results(id) of rx-anthropic and of the official SDK, in turn', batchResultsTable(report));
  print('Stores: a small stream relayed with the per-user limits in memory and on Redis, the requests alternating', latencyTable(report));
  if (report.workloads.some((w) => /^tool-|^nested-|^mixed$/.test(w.id))) {
    process.stdout.write('\nOnly rx-events and sdk-stream compute a partial tool-input snapshot on every delta; the floor, the raw rows,\nsdk-lazy and vercel parse the JSON once at the end (less work, not like-for-like on the tool workloads).\n');
  }
  const profiles = [...report.results.filter((x) => x.profile).map((r) => ({ title: `${r.impl} on ${r.workload}`, p: r.profile! })), ...(report.relay?.profile ? [{ title: 'the relay process', p: report.relay.profile }] : [])];
  for (const { title, p } of profiles) {
    const rows = p.top.map((e) => [e.frame, formatMs(e.selfMs), formatMs(e.totalMs)]);
    process.stdout.write(`\nCPU profile, ${title} (${formatMs(p.sampledMs)} sampled), top self time:\n${renderTextTable(['function', 'self', 'total'], rows, [false, true, true])}\n`);
  }
  const targets = targetLines(report);
  const caveat = report.options.quick ? ' (a --quick run: sizes too small and runs too few to judge by)' : '';
  if (targets.length > 0) process.stdout.write(`\nAgainst the targets${caveat}:\n${targets.map((line) => `  - ${line}`).join('\n')}\n`);
  process.stdout.write(`\n${serverLoadSummary(report)}.\nWhole run: ${formatDuration(report.durationSeconds)}\n`);
}

function writeJSON(options: BenchOptions, report: BenchReport): void {
  const file = path.resolve(PROJECT_ROOT, options.jsonPath);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  log(`Wrote ${path.relative(PROJECT_ROOT, file)}.`);
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    killLiveChildren();
    process.exit(130);
  });
}

main().then(
  (code) => {
    killLiveChildren();
    process.exit(code);
  },
  (error: unknown) => {
    killLiveChildren();
    log(error instanceof Error ? error.message : String(error));
    process.exit(2);
  },
);
