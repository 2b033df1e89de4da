import type { ServedWorkload } from '../server';
import type { BenchOptions } from '../options';
import type { ProfileSummary } from './cpuProfile';
import type { MachineInfo } from './machine';
import type { RelayFigures } from './relay';
import type { StoresFigures } from './stores';

/** A ratio of two medians; `bound` when one side did not finish, so only a bound is known. */
export interface Ratio {
  value: number;
  bound?: '<' | '>';
}

/** The outcome of one implementation on one workload. */
export interface PairResult {
  workload: string;
  impl: string;
  /** `dnf`: not one run ended within the budget; `skipped`: not run because a smaller size did not finish. */
  status: 'ok' | 'dnf' | 'skipped' | 'error';
  note?: string;
  /** Runs the median is taken from. */
  runs: number;
  /** The median is of warm-up runs only: the budget left no time for a measured run after them. */
  fromWarmup: boolean;
  timesMs: number[];
  warmupTimesMs: number[];
  medianMs?: number;
  eventsPerSec?: number;
  mbPerSec?: number;
  peakRssMB?: number;
  /** The largest peak of the heap runs (each after a full collection), or of the timed runs if there was none. */
  peakHeapMB?: number;
  /** Whether {@link peakHeapMB} is of runs after a full collection. */
  heapFromCollectedRuns?: boolean;
  baseHeapMB?: number;
  /** The times of the heap runs, each right after a full collection (which costs the run its optimised code: NOTES.md). */
  afterCollectionTimesMs?: number[];
  afterCollectionMedianMs?: number;
  /** `many` only: (median of the heap runs' peak heap − heap before the first run) / concurrent streams. */
  heapPerStreamKB?: number;
  /**
   * `batch-results` only: the largest peak heap growth of the timed runs, in MiB: the peak of V8's
   * used heap (sampled every 5 ms and at the end of each run) less the child's heap after the
   * collection before its first run.
   */
  heapGrowthMB?: number;
  /** `batch-results` only: the same of the heap runs, each less the heap right after the collection that starts it. */
  heapGrowthAfterCollectionMB?: number;
  /** `batch-results` only: the median of the measured runs' CPU time (the child's, every thread), less sensitive than the time to the load of a shared machine. */
  cpuMedianMs?: number;
  /** `batch-results` only: the same of the heap runs. */
  afterCollectionCpuMedianMs?: number;
  /** `many` only: events per second of the streams run one at a time after each run (median). */
  singleStreamEventsPerSec?: number;
  /**
   * The server's load while this child ran: the share of the time its event loop was busy and
   * the CPU it used per wall second. Near 1 would mean the server, not the client, set the pace.
   */
  server?: { loopBusy: number; cpuPerSecond: number };
  ratioToFloor?: Ratio;
  /** The ratio to the floor of the medians of the runs after a full collection. */
  ratioToFloorAfterCollection?: Ratio;
  ratioToSdkStream?: Ratio;
  ratioToSdkLazy?: Ratio;
  ratioToSdkCreate?: Ratio;
  profile?: ProfileSummary;
}

/** Everything a run produced: what `bench/results/latest.json` holds and `RESULTS.md` is written from. */
export interface BenchReport {
  startedAt: string;
  durationSeconds: number;
  command: string;
  options: BenchOptions;
  machine: MachineInfo;
  versions: Record<string, string>;
  workloads: Array<ServedWorkload & { description: string; sequential?: number }>;
  implementations: Array<{ id: string; description: string; snapshotsPerDelta: boolean }>;
  results: PairResult[];
  /** The relay process's own figures, when the run compared the relay (its times are the `relay` rows of `results`). */
  relay?: RelayFigures;
  /** What the `stores` workload measured besides its rows (the Redis it used, the limit store's latency). */
  stores?: StoresFigures;
  /** Disagreements and errors; a run with any is a failed run. */
  failures: string[];
}
