import * as vm from 'node:vm';
import { lastValueFrom } from 'rxjs';
import { createClient } from 'rx-anthropic';
import { createMockServer, textReply, type MockScript, type MockServer, type MockServerOptions } from 'rx-anthropic/testing';

/**
 * The Node process itself. Jest gives each test file a copy of `process` whose events the real
 * one never emits, so an `unhandledRejection` listener has to be installed on this one.
 */
export const realProcess = vm.runInThisContext('process') as NodeJS.Process;

/** Resource kinds that come and go on their own (a pending fs callback, the next tick's immediate). */
const TRANSIENT = new Set(['FSReqCallback', 'Immediate', 'TTYWrap']);

/** How many of each kind of handle and request the process holds now (sockets, servers, timers). */
export function activeResources(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const kind of realProcess.getActiveResourcesInfo()) {
    if (!TRANSIENT.has(kind)) counts.set(kind, (counts.get(kind) ?? 0) + 1);
  }
  return counts;
}

/** The kinds of which `now` holds more than `baseline`, as `kind: baseline → now`. */
export function excessOver(baseline: Map<string, number>, now: Map<string, number>): string[] {
  const excess: string[] = [];
  for (const [kind, count] of now) {
    const before = baseline.get(kind) ?? 0;
    if (count > before) excess.push(`${kind}: ${before} → ${count}`);
  }
  return excess;
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves with `promise`, or rejects when it has not settled within `ms` (a hang, reported as one). */
export async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const bound = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not happen within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, bound]);
  } finally {
    clearTimeout(timer);
  }
}

/** What the leak guard of a spec file offers its tests. */
export interface Guard {
  /** Starts a mock server that the guard closes after the test, before it counts handles. */
  serve(script: MockScript, options?: MockServerOptions): Promise<MockServer>;
  /** Registers something to close after the test (a raw `net` server), before handles are counted. */
  onCleanup(close: () => Promise<void> | void): void;
  /** Unhandled rejections seen so far in this file. */
  readonly unhandled: unknown[];
  /** Handle checks done (one per test), for the figures. */
  readonly checks: { count: number };
}

/** How long a test may take to give its sockets and timers back once its servers are closed. */
const RELEASE_BOUND_MS = 2_000;

/**
 * Installs the leak and crash guard on the spec file that calls it (at its top level):
 *
 * - before the tests, a warm-up request (so `fetch`'s lazily created agent is not counted as a
 *   leak) and a count of the process's active resources (`process.getActiveResourcesInfo()`);
 * - an `unhandledRejection` listener on the real process for the whole file;
 * - after each test, every server the test started is closed, and the process must be back to at
 *   most the baseline count of every kind of handle (sockets, servers, timers) within 2 s, with
 *   no unhandled rejection.
 */
export function guardLeaks(): Guard {
  const servers: MockServer[] = [];
  const cleanups: Array<() => Promise<void> | void> = [];
  const unhandled: unknown[] = [];
  const checks = { count: 0 };
  const onUnhandled = (reason: unknown): void => {
    unhandled.push(reason);
  };
  let baseline = new Map<string, number>();

  beforeAll(async () => {
    realProcess.on('unhandledRejection', onUnhandled);
    const warmUp = await createMockServer([textReply('warm')]);
    try {
      await lastValueFrom(
        createClient({ apiKey: 'warm-up', baseURL: warmUp.baseURL }).messages.stream({ model: 'm', max_tokens: 1, messages: [{ role: 'user', content: 'hi' }] }),
      );
    } finally {
      await warmUp.close();
    }
    await sleep(20);
    baseline = activeResources();
  });

  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => server.close()));
    await Promise.all(cleanups.splice(0).map((close) => close()));
    const deadline = Date.now() + RELEASE_BOUND_MS;
    let excess = excessOver(baseline, activeResources());
    while (excess.length > 0 && Date.now() < deadline) {
      await sleep(10);
      excess = excessOver(baseline, activeResources());
    }
    checks.count += 1;
    expect(excess).toEqual([]);
    expect(unhandled).toEqual([]);
  });

  afterAll(() => {
    realProcess.off('unhandledRejection', onUnhandled);
  });

  return {
    async serve(script, options) {
      const server = await createMockServer(script, options);
      servers.push(server);
      return server;
    },
    onCleanup(close) {
      cleanups.push(close);
    },
    unhandled,
    checks,
  };
}
