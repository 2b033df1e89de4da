import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ChildConfig, ChildMessage } from './child';
import { spawnTs } from './spawnTs';

type RunMessage = Extract<ChildMessage, { type: 'run' }>;

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

export interface MeasureOptions {
  budgetMs: number;
  /** Extra Node flags (`--cpu-prof …`). */
  nodeArgs: readonly string[];
  /** Called when the child has loaded, just before its first run. */
  onReady?: () => void;
}

/** Time allowed for a child to load its libraries before the budget starts. */
const STARTUP_MS = 60_000;
/** Time past the budget before the kill, for the IPC message of a run that ended just in time. */
const GRACE_MS = 2_000;

/**
 * Runs one (implementation, workload) in a child process and collects its reports. The budget
 * starts once the child has loaded; when it runs out the child is killed (`SIGKILL`: a run stuck
 * in synchronous work cannot be asked to stop), keeping the runs it had reported.
 */
export function measure(config: ChildConfig, options: MeasureOptions): Promise<ChildOutcome> {
  return new Promise((resolve) => {
    const outcome: ChildOutcome = { baseHeapMB: undefined, baseRssMB: undefined, runs: [], error: undefined, killedAtBudget: false };
    const child = spawnTs('child.ts', config, ['--expose-gc', ...options.nodeArgs]);
    let timer = setTimeout(() => {
      outcome.error = `did not load within ${STARTUP_MS / 1000} s`;
      child.kill('SIGKILL');
    }, STARTUP_MS);

    child.on('message', (message: ChildMessage) => {
      switch (message.type) {
        case 'ready':
          outcome.baseHeapMB = message.baseHeapMB;
          outcome.baseRssMB = message.baseRssMB;
          clearTimeout(timer);
          options.onReady?.();
          timer = setTimeout(() => {
            outcome.killedAtBudget = true;
            child.kill('SIGKILL');
          }, config.budgetMs + GRACE_MS);
          return;
        case 'run':
          outcome.runs.push(message);
          return;
        case 'error':
          outcome.error = message.message;
          return;
        case 'done':
          return;
      }
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (!outcome.killedAtBudget && outcome.error === undefined && code !== 0) outcome.error = `exited with ${signal ?? `code ${code}`}`;
      resolve(outcome);
    });
  });
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
