import type { ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ChildConfig, ChildMessage, ChildRequest, RunPhase } from './child';
import { spawnTs } from './spawnTs';

export type RunMessage = Extract<ChildMessage, { type: 'run' }>;

/** What one child process reported before it ended. */
export interface ChildOutcome {
  baseHeapMB: number | undefined;
  baseRssMB: number | undefined;
  runs: RunMessage[];
  /** The child's own error (a failed request, a wrong result type), if any. */
  error: string | undefined;
  /** It was still running at the end of its budget and was killed. */
  killedAtBudget: boolean;
}

/** How long, and how many times, to run one (implementation, workload). */
export interface RunPlan {
  warmups: number;
  runs: number;
  /** Runs after the measured ones, each after a full collection: the peak heap (and the time after a collection). */
  heapRuns: number;
  /** For all the runs together (the time of the runs, not of the waits between them); a run is not started when the last one says it would end past it. */
  budgetMs: number;
  /** Once `minRuns` measured runs are done, no new run starts after this much run time. */
  targetMs: number;
  minRuns: number;
}

/** Time allowed for a child to load its libraries before its first run. */
const STARTUP_MS = 60_000;
/** Time past the budget before the kill, for the IPC message of a run that ended just in time. */
const GRACE_MS = 2_000;

/**
 * One child process measuring one (implementation, workload), run by run: {@link next} makes the
 * next run its plan allows and says whether there was one: the warm-ups, the measured runs (until
 * the time target once `minRuns` are done), then the heap runs. The plan's budget counts the time
 * of the runs only; a run still going at the end of it is killed (`SIGKILL`: a run stuck in
 * synchronous work cannot be asked to stop), keeping the runs reported before.
 */
export class MeasuredChild {
  readonly outcome: ChildOutcome = { baseHeapMB: undefined, baseRssMB: undefined, runs: [], error: undefined, killedAtBudget: false };
  /** Resolves when the child is ready for its first run (false if it failed to load). */
  readonly ready: Promise<boolean>;
  private readonly child: ChildProcess;
  private readonly exited: Promise<void>;
  private pending: ((message: RunMessage | undefined) => void) | undefined;
  private spentMs = 0;
  private warmupsLeft: number;
  private measuredLeft: number;
  private heapLeft: number;
  private finished = false;

  constructor(
    config: ChildConfig,
    private readonly plan: RunPlan,
    nodeArgs: readonly string[] = [],
  ) {
    this.warmupsLeft = plan.warmups;
    this.measuredLeft = plan.runs;
    this.heapLeft = plan.heapRuns;
    this.child = spawnTs('child.ts', config, ['--expose-gc', ...nodeArgs]);
    let onReady: (ready: boolean) => void = () => undefined;
    this.ready = new Promise((resolve) => (onReady = resolve));
    const startup = setTimeout(() => {
      this.outcome.error = `did not load within ${STARTUP_MS / 1000} s`;
      this.child.kill('SIGKILL');
    }, STARTUP_MS);
    this.child.on('message', (message: ChildMessage) => {
      switch (message.type) {
        case 'ready':
          clearTimeout(startup);
          this.outcome.baseHeapMB = message.baseHeapMB;
          this.outcome.baseRssMB = message.baseRssMB;
          onReady(true);
          return;
        case 'run':
          this.outcome.runs.push(message);
          this.settle(message);
          return;
        case 'error':
          this.outcome.error = message.message;
          return;
      }
    });
    this.exited = new Promise((resolve) =>
      this.child.on('exit', (code, signal) => {
        clearTimeout(startup);
        if (!this.outcome.killedAtBudget && this.outcome.error === undefined && code !== 0 && !this.finished) this.outcome.error = `exited with ${signal ?? `code ${code}`}`;
        this.finished = true;
        onReady(false);
        this.settle(undefined);
        resolve();
      }),
    );
  }

  /** Whether the plan allows another run (and the child is alive). */
  get hasNext(): boolean {
    if (this.finished || this.outcome.error !== undefined) return false;
    if (this.phase === undefined) return false;
    const last = this.outcome.runs[this.outcome.runs.length - 1]?.ms ?? 0;
    return this.outcome.runs.length === 0 || this.spentMs + last <= this.plan.budgetMs;
  }

  /** The phase of the next run, or `undefined` when the plan has none left. */
  private get phase(): RunPhase | undefined {
    if (this.warmupsLeft > 0) return 'warmup';
    const measured = this.plan.runs - this.measuredLeft;
    const pastTarget = measured >= this.plan.minRuns && this.spentMs >= this.plan.targetMs;
    if (this.measuredLeft > 0 && !pastTarget) return 'measure';
    return this.heapLeft > 0 ? 'heap' : undefined;
  }

  /** Makes the next run of the plan; resolves with its report, or `undefined` if the child died or was killed. */
  async next(): Promise<RunMessage | undefined> {
    const phase = this.phase;
    if (!this.hasNext || phase === undefined) return undefined;
    const started = Date.now();
    const kill = setTimeout(() => {
      this.outcome.killedAtBudget = true;
      this.child.kill('SIGKILL');
    }, this.plan.budgetMs - this.spentMs + GRACE_MS);
    const report = new Promise<RunMessage | undefined>((resolve) => (this.pending = resolve));
    this.child.send({ type: 'run', phase } satisfies ChildRequest);
    const message = await report;
    clearTimeout(kill);
    this.spentMs += Date.now() - started;
    if (message === undefined) return undefined;
    if (phase === 'warmup') {
      this.warmupsLeft -= 1;
      // A run this slow is its own warm-up; more of them would only eat the budget.
      if (message.ms > this.plan.budgetMs / (this.plan.warmups + this.plan.runs)) this.warmupsLeft = 0;
    } else if (phase === 'measure') {
      this.measuredLeft -= 1;
    } else {
      this.heapLeft -= 1;
    }
    return message;
  }

  /** Ends the child and resolves with what it reported. */
  async stop(): Promise<ChildOutcome> {
    if (!this.finished) {
      this.finished = true;
      if (this.child.connected) this.child.send({ type: 'stop' } satisfies ChildRequest);
      else this.child.kill('SIGKILL');
    }
    await this.exited;
    return this.outcome;
  }

  private settle(message: RunMessage | undefined): void {
    const pending = this.pending;
    this.pending = undefined;
    pending?.(message);
  }
}

/**
 * The directory `--cpu-prof` writes a child's profiles to: one per thread (tsx's loader runs in
 * a thread of its own), so each child gets a directory and the main thread's is the largest file.
 */
export function profileDirectory(profileRoot: string, impl: string, workload: string): string {
  return path.join(profileRoot, `${impl}--${workload}`);
}

/** The main thread's profile in a child's profile directory: the largest `.cpuprofile` there. */
export function mainThreadProfile(directory: string): string | undefined {
  if (!fs.existsSync(directory)) return undefined;
  const files = fs.readdirSync(directory).filter((file) => file.endsWith('.cpuprofile')).map((file) => path.join(directory, file));
  return files.sort((a, b) => fs.statSync(b).size - fs.statSync(a).size)[0];
}
