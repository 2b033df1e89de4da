import { MIN_RUNS, teeHeapRunsOf } from '../options';
import type { BenchReport } from './BenchReport';
import { formatDuration, formatMs, renderMarkdownTable } from './format';
import { serverLoadSummary } from './serverLoad';
import { batchResultsTable } from './batchResults';
import { relayMemoryTable, relaySummary, relayTable } from './relay';
import { latencyTable, teeBlockTable, teeTable } from './stores';
import { checkTargets, TARGETS, type TargetCheck } from './targets';
import { manyMemoryTable, resultsTable, toolScalingTable, type TableData } from './tables';

const table = (data: TableData): string => renderMarkdownTable(data.headers, data.rows, data.right);

/**
 * `bench/RESULTS.md`, written from a run's report (never by hand). `notes`, if given, is the
 * hand-written analysis of `bench/NOTES.md` (what the profiles show is left, and the experiments),
 * included as its own section.
 */
export function resultsMarkdown(report: BenchReport, analysis?: string): string {
  const { machine, options } = report;
  const scaling = toolScalingTable(report);
  const many = manyMemoryTable(report);
  const checks = checkTargets(report);
  const relayCheck = checks.find((c) => c.target === TARGETS.relay);
  const storeChecks = checks.filter((c) => c.target === TARGETS.limitStore || c.target === TARGETS.tee);
  const batchCheck = checks.find((c) => c.target === TARGETS.batchResults);
  const recoveryCheck = checks.find((c) => c.target === TARGETS.recoveryCost);
  // The relay's clients take runs of their own (`--relay-runs`); a report from before has only heapRuns.
  const relayHeapRuns = (options as { relayHeapRuns?: number }).relayHeapRuns ?? options.heapRuns;
  // The tee's take theirs (`--tee-heap-runs`, at most `--tee-runs`); a report from before took the relay's.
  const teeHeapRuns = (options as { teeHeapRuns?: number }).teeHeapRuns !== undefined ? teeHeapRunsOf(options) : relayHeapRuns;
  // The recovery pair takes runs after a collection of its own (`--recovery-heap-runs`); a report from before has only heapRuns.
  const recoveryHeapRuns = (options as { recoveryHeapRuns?: number }).recoveryHeapRuns ?? options.heapRuns;
  // rx-events took the recovery pair's runs after a collection where rx-events-recovery ran beside it: the performance issue's targets say so.
  // (The relay's rx-events row takes runs of its own, `--relay-runs`: not counted.)
  const besideRecovery = new Set(report.results.filter((r) => r.impl === 'rx-events-recovery').map((r) => r.workload));
  const rxEventsHeapRuns = Math.max(0, ...report.results.filter((r) => r.impl === 'rx-events' && besideRecovery.has(r.workload)).map((r) => r.afterCollectionTimesMs?.length ?? 0));
  const messageHeapRuns = rxEventsHeapRuns > options.heapRuns ? `${options.heapRuns} each, ${rxEventsHeapRuns} for \`rx-events\`` : `${options.heapRuns} each`;
  const renderCheck = (c: TargetCheck, heapRuns: number | string = options.heapRuns): string[] => [
    `> ${c.target}`,
    '',
    ...(c.figures.length > 0 ? c.figures.map((figure) => `- ${figure}`) : ['- (no figure: this run did not measure it)']),
    `- **${c.verdict}**`,
    '',
    ...(c.afterCollection
      ? [
          `After a full collection before the run (the heap runs, median of up to ${typeof heapRuns === 'number' ? `${heapRuns} each` : heapRuns}):`,
          '',
          ...c.afterCollection.figures.map((figure) => `- ${figure}`),
          `- **${c.afterCollection.verdict}** after a collection`,
          '',
        ]
      : []),
  ];
  const lines: string[] = [
    '# Benchmark results',
    '',
    `Written by \`${report.command}\` on ${report.startedAt.slice(0, 10)}; the whole run took ${formatDuration(report.durationSeconds)}.`,
    'Do not edit by hand: run `npm run bench -- --write-results` again. `bench/README.md` says what is measured and how.',
    '',
    '## Machine',
    '',
    `- CPU: ${machine.cpuModel}, ${machine.cores} cores; ${machine.memoryGiB} GiB of memory`,
    `- Node ${machine.node} on ${machine.os}`,
    `- 1-minute load average: ${machine.loadAverage.start.toFixed(2)} at the start, ${machine.loadAverage.end.toFixed(2)} at the end.`,
    '',
    'The machine is shared with other work and noisy: read the medians as rough and compare implementations by their',
    'ratios within one run; a single absolute time means little. The server and the measured client each take a core.',
    '',
    '## Versions',
    '',
    ...Object.entries(report.versions).map(([name, version]) => `- \`${name}\` ${version}`),
    '',
    '## Method',
    '',
    report.command.startsWith('BENCH_SOURCES=lib')
      ? '- rx-anthropic is measured in its TypeScript sources as tsx runs them (`BENCH_SOURCES=lib`), not as built: tsx adds a `__name` call to every function it creates.'
      : '- rx-anthropic is measured as built (`dist/`, what an application runs; the bench builds it first when it is missing or older than `lib/`), as the other libraries are.',
    `- Each (implementation, workload) runs in a child process of its own: ${options.warmups} warm-up run(s), then the median of up to ${options.runs} measured runs.`,
    '  The children of one workload take their runs in turn (a run of each, then the next round), so that a change in the load of',
    '  the shared machine slows them alike and the ratios between them hold.',
    `  Once ${Math.min(MIN_RUNS, options.runs)} measured runs are done no new run starts after ${options.targetSeconds} s of run time, and all runs together have a budget of ${options.budgetSeconds} s:`,
    '  a run that cannot end in it is killed and shown as "did not finish"; when a warm-up leaves no time for a measured run, the',
    '  warm-up is the figure ("warm-up" in the runs column). **The runs column says how many runs each median is from.** After a',
    '  tool size does not finish, larger sizes are not run for that implementation.',
    `- The server (another child process) plays pre-rendered bytes as fast as the socket takes them, ${options.chunkBytes > 0 ? `${options.chunkBytes} bytes per write` : 'one write per event'}, waiting for \`drain\`.`,
    '- Every run of every implementation must give the generator\'s final text, thinking and tool inputs, or the run fails (on the',
    '  structured outputs, the parsed output written back with `JSON.stringify` must be the streamed text).',
    `- ${serverLoadSummary(report)}; near 100% would mean the server, not the client, set the pace.`,
    '- The timed runs follow one another with no collection forced between them, as an application\'s requests do. After them,',
    `  up to ${options.heapRuns} heap run(s) (${recoveryHeapRuns} for \`rx-events\` and \`rx-events-recovery\` on the message workloads, whose medians judge issue 25's`,
    `  cost after a collection) each start right after a full collection (\`gc()\`): their peak heap is the peak heap column, and their`,
    '  median the "× floor after GC" column and the second verdict of each target. That collection frees the hidden classes only the',
    '  runs before used, so V8 throws away the optimised code built on them and the run warms up again (see the notes).',
    '- events/s and MB/s are of the SSE stream(s) of one run; peak RSS is the child\'s `maxRSS` (libraries loaded included); peak heap is',
    '  V8\'s used heap sampled every 5 ms and at the end of each heap run.',
    '- A ratio divides a median by the floor\'s (or the official SDK\'s) median on the same workload: below 1 is faster. `<` / `>`',
    '  when one side did not finish, so only a bound is known. On the structured outputs the floor is `structured-floor`, which parses',
    '  the text once at the end.',
    '- `many`: heap per stream is the median of the heap runs\' peak heap, less the heap before the first run, over the concurrent streams;',
    '  the single-stream rate comes from streams run one at a time in the same child after each run.',
    ...(report.relay || report.results.some((r) => r.workload === 'relay')
      ? [
          '- `relay`: `rx-events` reads the text stream directly from the server and through the relay of `rx-anthropic/proxy`',
          '  (`createProxyServer` in a process of its own, `bench/relay.ts`, every check on: `bench/relayOptions.ts`; its upstream is the',
          '  server\'s text workload), the two children taking their runs in turn. The relay\'s events/s are the events of that one stream',
          '  over its median time through the relay. Its memory per open stream: its heap and RSS right after `gc()`, before and with',
          `  ${report.relay?.openStreams ?? options.relayStreams} streams held open through it (the server sends each one's first events, then nothing until the client leaves), the difference over the streams.`,
        ]
      : []),
    '',
    '## Workloads',
    '',
    ...report.workloads.map((w) => `- \`${w.id}\`: ${w.description} (${w.events} events, ${(w.bytes / 1e6).toFixed(2)} MB per stream${w.streams > 1 ? `, ${w.streams} streams per run` : ''})`),
    '',
    '## Implementations',
    '',
    ...report.implementations.map((i) => `- \`${i.id}\`: ${i.description}`),
    '',
    'Only `rx-events` and `sdk-stream` compute the partial tool input on every `input_json_delta` (what a live UI reads); the floor,',
    'the raw rows and the AI SDK concatenate the JSON and parse it once at the end, so on the tool workloads they do less work and',
    'are not like-for-like with those two.',
    '',
    'The structured outputs have implementations of their own (the others parse no output). `rx-partial` and `sdk-partial` read a',
    'partial object on every text delta; `structured-floor` and `sdk-format` parse the whole text once at the end, and `rx-final-output`',
    'parses it as it arrives (the incremental parser of `rx-partial`) without building any partial object.',
    '',
    '## Against the targets',
    '',
    'Each target as its issue writes it (the performance issue, then the relay\'s, issue 21, then the stores\', issue 22, then the Message Batches results\', issue 26, then the recovery options\' cost, issue 25), then what this run measured and whether that meets it.',
    '',
    ...(options.quick ? ['A `--quick` run: the sizes are too small and the runs too few to judge by.', ''] : []),
    ...checks.filter((c) => c.target !== TARGETS.relay && c !== batchCheck && c !== recoveryCheck && !storeChecks.includes(c)).flatMap((c) => renderCheck(c, messageHeapRuns)),
    `> ${TARGETS.contract}`,
    '',
    '- Not a benchmark figure: the specs check it (`spec/operators`, `spec/accumulate`, `spec/conformance`, `spec/reliability`, `spec/tools`).',
    '',
    ...(relayCheck ? ['### The relay (issue 21)', '', ...renderCheck(relayCheck, relayHeapRuns)] : []),
    ...(storeChecks.some((c) => c.verdict !== 'not measured') ? ['### The stores (issue 22)', '', ...storeChecks.flatMap((c) => renderCheck(c, teeHeapRuns))] : []),
    ...(batchCheck && batchCheck.verdict !== 'not measured' ? ['### Message Batches results (issue 26)', '', ...renderCheck(batchCheck)] : []),
    ...(recoveryCheck && recoveryCheck.verdict !== 'not measured' ? ['### The recovery options (issue 25)', '', ...renderCheck(recoveryCheck, recoveryHeapRuns)] : []),
    ...(analysis ? ['## Notes', '', analysis.trim(), ''] : []),
    '## Results',
    '',
    table(resultsTable(report)),
    '',
  ];
  const notes = report.results.filter((r) => r.note);
  if (notes.length > 0) lines.push(...notes.map((r) => `- ${r.impl} on ${r.workload}: ${r.note}`), '');
  if (scaling) {
    lines.push('## Tool input: time per KiB', '', 'Flat across sizes = linear in the input size; ×2 per doubling = quadratic.', '', table(scaling), '');
  }
  if (many) {
    lines.push('## Memory per stream (`many`)', '', table(many), '');
  }
  const relay = relayTable(report);
  if (relay) {
    lines.push('## The relay (`relay`)', '', 'The text stream by `rx-events`, directly and through the relay, in turn.', '', table(relay), '');
    const memory = relayMemoryTable(report);
    if (memory) lines.push(`Its memory per open stream (${report.relay?.opened} streams held open through it; each figure right after \`gc()\`):`, '', table(memory), '');
    const summary = relaySummary(report);
    if (summary) lines.push(`${summary}.`, '');
  }
  const tee = teeTable(report);
  const latency = latencyTable(report);
  if (tee || latency) {
    lines.push('## The stores (`stores`)', '');
    if (report.stores?.redis) lines.push(`Redis: ${report.stores.redis}, on loopback.`, '');
    if (tee) lines.push('The text stream by `rx-events` through a relay (every check on) without a stream store and teeing into each store, in turn.', '', table(tee), '');
    const byBlock = teeBlockTable(report);
    if (byBlock) lines.push("Block by block (each with new relay and client processes): each client's median, its relay process's CPU per run (median), and the tee's share in that block.", '', table(byBlock), '');
    if (latency) lines.push('A small stream relayed with the per-user limits (concurrency, rate, budget) in memory and on Redis, the requests alternating between the two relays.', '', table(latency), '');
  }
  const batch = batchResultsTable(report);
  if (batch) {
    lines.push(
      '## Message Batches results (`batch-results`)',
      '',
      "The results file served by `bench/batchServer.ts` (a process of its own), read by rx-anthropic's and the official SDK's `results(id)`, each in a child of its own, in turn.",
      "Peak heap growth: V8's used heap sampled every 5 ms during a run and at its end, less a baseline taken right after `gc()` (the child's heap",
      'after the collection before its first run, for the timed runs; the heap right after the collection that starts each heap run, after GC); the largest of the runs.',
      "CPU: the child's `process.cpuUsage()` over a run (user and system, every thread: the collector's helpers too), the median; less moved by the load of a shared machine than the time.",
      '',
      table(batch),
      '',
    );
  }
  const profiled = [
    ...report.results.filter((r) => r.profile).map((r) => ({ title: `${r.impl} on ${r.workload}`, profile: r.profile! })),
    ...(report.relay?.profile ? [{ title: 'the relay process (`relay`)', profile: report.relay.profile }] : []),
  ];
  if (profiled.length > 0) {
    lines.push('## CPU profiles: top functions by self time', '');
    for (const { title, profile } of profiled) {
      lines.push(`### ${title} (${formatMs(profile.sampledMs)} sampled)`, '');
      lines.push(renderMarkdownTable(['function', 'self', 'total'], profile.top.map((e) => [e.frame, formatMs(e.selfMs), formatMs(e.totalMs)]), [false, true, true]), '');
    }
  }
  return `${lines.join('\n')}`;
}
