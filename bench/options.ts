/** The command line of `npm run bench -- …`. */
export interface BenchOptions {
  quick: boolean;
  workloads: string[];
  impls: string[];
  warmups: number;
  runs: number;
  /** Runs after the measured ones, each after a full collection: the peak heap, and the time after a collection. */
  heapRuns: number;
  /** Per (implementation, workload), for all its runs together. */
  budgetSeconds: number;
  /** Per (implementation, workload): after this, no new run starts once `MIN_RUNS` measured runs are done. */
  targetSeconds: number;
  toolSizesKB: number[] | undefined;
  chunkBytes: number;
  /** `relay`: streams held open through the relay at once for its memory per open stream. */
  relayStreams: number;
  /** `stores`: requests through each of the two relays of the limit store's latency. */
  latencyRequests: number;
  /**
   * `stores`: the tee's runs in this many blocks, each with relays and clients of their own: one
   * process's collector settles into a state that holds for its life, and moved the tee's share
   * from run to run by more than the bound it is judged against.
   */
  teeBlocks: number;
  /**
   * `stores`: measured runs of each of the tee's three clients, and runs after a collection: a run
   * is some 60 ms, and which state a relay process's collector settles into moves a block's share by
   * more than the bound, so many runs in many blocks (bench/NOTES.md, the stores).
   */
  teeRuns: number;
  teeHeapRuns: number;
  /** `relay`: measured runs of each of its two clients, and runs after a collection (its runs are short, so more of them). */
  relayRuns: number;
  relayHeapRuns: number;
  /**
   * Runs after a collection of `rx-events` and `rx-events-recovery` on the message workloads: their
   * medians judge issue 25's cost after a collection, where three runs' medians move by more than
   * the cost they judge.
   */
  recoveryHeapRuns: number;
  cpuProf: boolean;
  /** Extra Node flags for the measured children (`--trace-gc-nvp`, `--trace-deopt`). */
  nodeFlags: string[];
  /** Extra Node flags for the relay processes of `relay` and `stores` (`--trace-gc`). */
  relayNodeFlags: string[];
  /** `impl:workload` pairs profiled in a run of their own after their measured runs; `undefined` = the default pairs. */
  profile: string[] | undefined;
  writeResults: boolean;
  jsonPath: string;
  help: boolean;
}

export const USAGE = `npm run bench -- [options]

  --quick               a smoke run: small sizes, 1 warm-up, 2 runs, 20 s budget, 5 s target
  --workloads a,b       workloads by family (text, tool, nested, thinking, mixed, many, structured, relay, stores, batches) or id (tool-100k);
                        relay: rx-events on the text stream through the relay of rx-anthropic/proxy and directly;
                        stores: the tee into the stream stores, and the Redis limit store's latency (needs REDIS_URL
                        or a redis-server on the PATH); batches: a Message Batches results file of 200,000 lines
                        (quick 5,000) read by results(id) of rx-anthropic and of the official SDK
  --impls a,b           floor, rx-raw, rx-text, rx-events, rx-final, sdk-stream, sdk-lazy, sdk-create, vercel;
                        on structured: structured-floor, rx-partial, rx-final-output, sdk-format, sdk-partial;
                        on batches: rx-batch-results, sdk-batch-results
  --runs N              measured runs per (implementation, workload); the median is reported (default 15)
  --warmups N           unmeasured runs first (default 1)
  --heap-runs N         runs after the measured ones, each after a full collection: the peak heap
                        and the time after a collection (default 3; quick 1)
  --budget S            seconds per (implementation, workload) for all its runs (default 60);
                        past it the child is killed and reported as "did not finish in S s"
  --target S            seconds per (implementation, workload) after which no new run starts once
                        3 measured runs are done (default 20): slow pairs get fewer runs
  --tool-sizes 50,100   tool input sizes in KiB, wide and nested (default 50,100,200,400 wide and 200,400
                        nested; quick 10,20)
  --chunk-bytes N       bytes per server write (default 16384; 0 = one write per event)
  --relay-streams N     relay: streams held open through it at once for its memory per open stream
                        (default 200; quick 100)
  --latency-requests N  stores: requests through each of the two relays of the limit store's latency
                        (default 1000; quick 100)
  --tee-blocks N        stores: the tee's runs in N blocks, each with new relay and client processes
                        (default 8; quick 1)
  --tee-runs N          stores: measured runs of each of the tee's clients (default 200; quick 2)
  --tee-heap-runs N     stores: runs after a collection of each of the tee's clients (default 40; quick 1)
  --relay-runs N        relay: measured runs of each client (default 40; quick 2), and as many
                        runs after a collection, at most 15 (quick 1): a run of it is some 50 ms
  --recovery-heap-runs N
                        runs after a collection of rx-events and rx-events-recovery on the message
                        workloads, whose medians judge the recovery options' cost after a collection
                        (default 9; quick 1)
  --cpu-prof            write a CPU profile per child to bench/results/profiles/ and summarise it
  --node-flags "F …"    extra Node flags for the measured children (e.g. "--trace-gc-nvp"), printed to stderr
  --relay-node-flags "F …"
                        extra Node flags for the relay processes of relay and stores (e.g. "--trace-gc")
  --profile a:w,b:w     profile these implementation:workload pairs in a run of their own, after their
                        measured runs (so the profiler does not slow the medians); default, in a full
                        run: rx-events on the largest tool and nested inputs; --profile none for none
  --write-results       write bench/RESULTS.md from this run (a full run only: a narrowed run's section
                        goes in with bench/spliceSection.ts)
  --json PATH           where to write the JSON results (default bench/results/latest.json)
`;

/** The tee's runs after a collection: `--tee-heap-runs`, at most as many as its measured runs. */
export function teeHeapRunsOf(options: Pick<BenchOptions, 'teeRuns' | 'teeHeapRuns'>): number {
  return Math.min(options.teeHeapRuns, options.teeRuns);
}

/** The fewest measured runs a median is taken from before `--target` may stop a pair early. */
export const MIN_RUNS = 3;

/** The options that take a whole number: the field each sets, and the least it takes. */
const WHOLE_NUMBER_OPTIONS: Readonly<Record<string, { key: 'runs' | 'heapRuns' | 'warmups' | 'chunkBytes' | 'recoveryHeapRuns' | 'teeBlocks' | 'teeRuns' | 'teeHeapRuns' | 'latencyRequests' | 'relayStreams'; min: number }>> = {
  '--runs': { key: 'runs', min: 1 },
  '--heap-runs': { key: 'heapRuns', min: 0 },
  '--warmups': { key: 'warmups', min: 0 },
  '--chunk-bytes': { key: 'chunkBytes', min: 0 },
  '--recovery-heap-runs': { key: 'recoveryHeapRuns', min: 0 },
  '--tee-blocks': { key: 'teeBlocks', min: 1 },
  '--tee-runs': { key: 'teeRuns', min: 1 },
  '--tee-heap-runs': { key: 'teeHeapRuns', min: 0 },
  '--latency-requests': { key: 'latencyRequests', min: 1 },
  '--relay-streams': { key: 'relayStreams', min: 1 },
};

/** Parses `argv` (without `node run.ts`); throws with a message on anything unknown. */
export function parseOptions(argv: readonly string[]): BenchOptions {
  const quick = argv.includes('--quick');
  const options: BenchOptions = {
    quick,
    workloads: [],
    impls: [],
    warmups: 1,
    runs: quick ? 2 : 15,
    heapRuns: quick ? 1 : 3,
    budgetSeconds: quick ? 20 : 60,
    targetSeconds: quick ? 5 : 20,
    toolSizesKB: undefined,
    chunkBytes: 16_384,
    relayStreams: quick ? 100 : 200,
    relayRuns: quick ? 2 : 40,
    latencyRequests: quick ? 100 : 1000,
    teeBlocks: quick ? 1 : 8,
    teeRuns: quick ? 2 : 200,
    teeHeapRuns: quick ? 1 : 40,
    relayHeapRuns: quick ? 1 : 15,
    recoveryHeapRuns: quick ? 1 : 9,
    cpuProf: false,
    profile: undefined,
    nodeFlags: [],
    relayNodeFlags: [],
    writeResults: false,
    jsonPath: 'bench/results/latest.json',
    help: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const [name, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string => {
      const next = inline ?? argv[++i];
      if (next === undefined) throw new Error(`${name} needs a value`);
      return next;
    };
    const list = (): string[] => value().split(',').map((s) => s.trim()).filter(Boolean);
    const count = (min: number): number => {
      const n = Number(value());
      if (!Number.isFinite(n) || n < min) throw new Error(`${name} needs a number ≥ ${min}`);
      return n;
    };
    const whole = WHOLE_NUMBER_OPTIONS[name];
    if (whole) {
      options[whole.key] = Math.floor(count(whole.min));
      continue;
    }
    switch (name) {
      case '--quick':
        break;
      case '--workloads':
        options.workloads = list();
        break;
      case '--impls':
        options.impls = list();
        break;
      case '--budget':
        options.budgetSeconds = count(1);
        break;
      case '--target':
        options.targetSeconds = count(0);
        break;
      case '--tool-sizes':
        options.toolSizesKB = list().map((s) => {
          const kb = Number(s);
          if (!Number.isFinite(kb) || kb <= 0) throw new Error(`--tool-sizes: ${s} is not a size in KiB`);
          return kb;
        });
        break;
      case '--relay-runs':
        options.relayRuns = Math.floor(count(1));
        options.relayHeapRuns = Math.min(options.relayRuns, quick ? 1 : 15);
        break;
      case '--cpu-prof':
        options.cpuProf = true;
        break;
      case '--node-flags':
        options.nodeFlags = value().split(/\s+/).filter(Boolean);
        break;
      case '--relay-node-flags':
        options.relayNodeFlags = value().split(/\s+/).filter(Boolean);
        break;
      case '--profile':
        options.profile = list().filter((pair) => pair !== 'none');
        for (const pair of options.profile) if (!/^[\w-]+:[\w-]+$/.test(pair)) throw new Error(`--profile: ${pair} is not implementation:workload`);
        break;
      case '--write-results':
        options.writeResults = true;
        break;
      case '--json':
        options.jsonPath = value();
        break;
      case '--help':
      case '-h':
        options.help = true;
        break;
      default:
        throw new Error(`unknown option ${arg}`);
    }
  }
  if (options.writeResults && (options.quick || options.workloads.length > 0 || options.impls.length > 0)) {
    throw new Error(
      '--write-results writes all of bench/RESULTS.md, so only from a full run (no --quick, --workloads or --impls). ' +
        'For a narrowed run, splice its section from its report: npx tsx bench/spliceSection.ts bench/results/latest.json "### <heading>" "<the command>"',
    );
  }
  return options;
}
