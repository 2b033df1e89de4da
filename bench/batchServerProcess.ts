/**
 * The batch server of the benchmark (`batchServer.ts`) as a child process of its own: its URL,
 * the file it serves, and its load asked over IPC.
 */
import type { ChildProcess } from 'node:child_process';
import type { BatchServerConfig } from './batchServer';
import type { ServedWorkload, ServerLoad, ServerMessage, ServerRequest } from './server';
import { spawnTs } from './spawnTs';

/** Time allowed for the batch server to render its file and listen. */
const SERVER_STARTUP_MS = 120_000;

/** The batch server child: its URL, the file it serves, and its load asked over IPC. */
export class BatchServerProcess {
  private readonly pendingLoads: Array<(load: ServerLoad) => void> = [];

  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
    readonly served: ServedWorkload,
  ) {
    child.on('message', (message: ServerMessage) => {
      if (message.type === 'load') this.pendingLoads.shift()?.(message);
    });
  }

  static async start(config: BatchServerConfig): Promise<BatchServerProcess> {
    const child = spawnTs('batchServer.ts', config);
    const listening = await new Promise<Extract<ServerMessage, { type: 'listening' }>>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`it did not listen within ${SERVER_STARTUP_MS / 1000} s`)), SERVER_STARTUP_MS);
      child.on('message', (message: ServerMessage) => {
        if (message.type !== 'listening') return;
        clearTimeout(timer);
        resolve(message);
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`it exited with code ${code}`));
      });
    }).catch((error: unknown) => {
      child.kill();
      throw error;
    });
    return new BatchServerProcess(child, `http://127.0.0.1:${listening.port}`, listening.workloads[0] as ServedWorkload);
  }

  load(): Promise<ServerLoad> {
    return new Promise((resolve, reject) => {
      if (!this.child.connected) return reject(new Error('the batch server has exited'));
      this.pendingLoads.push(resolve);
      this.child.send({ type: 'load' } satisfies ServerRequest);
    });
  }

  stop(): void {
    this.child.kill();
  }
}
