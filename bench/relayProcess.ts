/**
 * A relay of the benchmark (`relay.ts`) as a child process of its own, started with `--expose-gc`:
 * its URL, and its load and memory asked over IPC.
 */
import type { ChildProcess } from 'node:child_process';
import type { RelayMessage, RelayRequest } from './relay';
import type { RelayConfig } from './relayOptions';
import type { ServerLoad } from './server';
import { spawnTs } from './spawnTs';

/** Time allowed for the relay to start. */
const RELAY_STARTUP_MS = 60_000;

type MemoryMessage = Extract<RelayMessage, { type: 'memory' }>;

/** The relay child: started with `--expose-gc`, asked for its load and memory over IPC, one question at a time per kind. */
export class RelayProcess {
  private readonly pending: { load: Array<(m: ServerLoad) => void>; memory: Array<(m: MemoryMessage) => void> } = { load: [], memory: [] };

  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
  ) {
    child.on('message', (message: RelayMessage) => {
      if (message.type === 'load') this.pending.load.shift()?.(message);
      if (message.type === 'memory') this.pending.memory.shift()?.(message);
    });
  }

  static async start(config: RelayConfig, nodeArgs: readonly string[]): Promise<RelayProcess> {
    const child = spawnTs('relay.ts', config, ['--expose-gc', ...nodeArgs]);
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the relay did not start within ${RELAY_STARTUP_MS / 1000} s`)), RELAY_STARTUP_MS);
      child.on('message', (message: RelayMessage) => {
        if (message.type !== 'listening') return;
        clearTimeout(timer);
        resolve(message.url);
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`the relay exited with code ${code}`));
      });
    }).catch((error: unknown) => {
      child.kill();
      throw error;
    });
    return new RelayProcess(child, url);
  }

  load(): Promise<ServerLoad> {
    return this.ask('load');
  }

  /** Its heap, RSS and external memory right after `gc()`, and what its hooks counted. */
  memory(): Promise<MemoryMessage> {
    return this.ask('memory');
  }

  /** Disconnects it, so that it exits on its own (writing its CPU profile, if it takes one); killed if it has not after 5 s. */
  stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      const kill = setTimeout(() => this.child.kill('SIGKILL'), 5_000);
      this.child.once('exit', () => {
        clearTimeout(kill);
        resolve();
      });
      if (this.child.connected) this.child.disconnect();
      else this.child.kill();
    });
  }

  private ask<K extends 'load' | 'memory'>(type: K): Promise<K extends 'load' ? ServerLoad : MemoryMessage> {
    return new Promise((resolve, reject) => {
      if (!this.child.connected) return reject(new Error('the relay has exited'));
      (this.pending[type] as Array<(m: unknown) => void>).push(resolve as (m: unknown) => void);
      this.child.send({ type } satisfies RelayRequest);
    });
  }
}
