import { spawn, spawnSync } from 'node:child_process';

/**
 * Runs a child process for a spec with a bound on its time, and says how it ended: a command
 * killed for running past its time fails with "timed out after N ms" and its command line, not
 * with the empty output it leaves behind.
 */

/** Where and how long a command may run. */
export interface CommandOptions {
  readonly cwd: string;
  /** Past this, the command (and, when run asynchronously, every process it started) is killed. */
  readonly timeoutMs: number;
  readonly env?: NodeJS.ProcessEnv;
}

/** How a command ended, and what it printed. */
export interface CommandResult {
  /** It exited with code 0 within its time. */
  readonly ok: boolean;
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  /** It was killed for running past `timeoutMs`. */
  readonly timedOut: boolean;
  readonly stdout: string;
  readonly stderr: string;
  /** The command line and how it ended: `` `npm install …` timed out after 150000 ms (killed with SIGTERM) ``. */
  readonly summary: string;
}

/** How long a process group killed with SIGTERM has to end before it gets SIGKILL. */
const KILL_GRACE_MS = 5_000;

function commandLine(command: string, args: readonly string[]): string {
  const short = (word: string) => (word.length > 120 ? `${word.slice(0, 117)}…` : word);
  return [command, ...args].map(short).join(' ');
}

function resultOf(command: string, args: readonly string[], options: CommandOptions, ended: Omit<CommandResult, 'ok' | 'summary'>): CommandResult {
  const line = `\`${commandLine(command, args)}\` (in ${options.cwd})`;
  const how = ended.timedOut
    ? `timed out after ${options.timeoutMs} ms (killed with ${ended.signal ?? 'SIGTERM'})`
    : ended.signal !== null
      ? `was killed by ${ended.signal}`
      : `exited with code ${ended.exitCode}`;
  return { ...ended, ok: !ended.timedOut && ended.exitCode === 0, summary: `${line} ${how}` };
}

/**
 * Runs a command in its own process group; past `timeoutMs` the whole group gets SIGTERM (then
 * SIGKILL), so that an `npm install` does not leave its children running.
 */
export function runCommand(command: string, args: readonly string[], options: CommandOptions): Promise<CommandResult> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'], detached: process.platform !== 'win32' });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    let hardKill: NodeJS.Timeout | undefined;
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const signalGroup = (signal: NodeJS.Signals) => {
      try {
        if (process.platform === 'win32') child.kill(signal);
        else process.kill(-child.pid!, signal);
      } catch {
        // The group has already ended.
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      signalGroup('SIGTERM');
      hardKill = setTimeout(() => signalGroup('SIGKILL'), KILL_GRACE_MS);
    }, options.timeoutMs);
    const finish = (exitCode: number | null, signal: NodeJS.Signals | null) => {
      clearTimeout(timer);
      clearTimeout(hardKill);
      resolve(resultOf(command, args, options, { exitCode, signal, timedOut, stdout, stderr }));
    };
    child.once('error', (error) => {
      stderr += `${error.message}\n`;
      finish(null, null);
    });
    child.once('close', finish);
  });
}

/** Runs a command and waits for it (killed with SIGTERM past `timeoutMs`). */
export function runCommandSync(command: string, args: readonly string[], options: CommandOptions): CommandResult {
  const result = spawnSync(command, args, { cwd: options.cwd, env: options.env ?? process.env, encoding: 'utf8', timeout: options.timeoutMs, killSignal: 'SIGTERM', maxBuffer: 64 * 1024 * 1024 });
  const timedOut = (result.error as NodeJS.ErrnoException | undefined)?.code === 'ETIMEDOUT';
  const stderr = `${result.stderr ?? ''}${result.error && !timedOut ? `${result.error.message}\n` : ''}`;
  return resultOf(command, args, options, { exitCode: result.status, signal: result.signal, timedOut, stdout: result.stdout ?? '', stderr });
}

/** The standard output of a command that succeeded; otherwise an error with how it ended and the end of what it printed. */
export function outputOf(result: CommandResult): string {
  if (result.ok) return result.stdout;
  const printed = `${result.stdout}${result.stderr}`.trim();
  throw new Error(`${result.summary}${printed ? `; it printed:\n${printed.slice(-4000)}` : ', printing nothing'}`);
}
