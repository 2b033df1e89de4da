import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { textReply, type MockTurn, type MockTurnFunction, type RecordedRequest } from 'rx-anthropic/testing';

/**
 * The upstream side of the relay's load test (`spec/proxy/load.spec.ts`): a mock script that
 * answers each stream slowly, and counts the requests each user holds open upstream.
 */

/** One attempt of one stream: the browser puts it in the message, so the upstream can tell them apart. */
export interface AttemptKey {
  readonly user: string;
  readonly stream: number;
  readonly attempt: number;
}

/** The message text of an attempt: `user-3 stream 7 attempt 2`. */
export function attemptText({ user, stream, attempt }: AttemptKey): string {
  return `${user} stream ${stream} attempt ${attempt}`;
}

function parseAttempt(text: unknown): AttemptKey | undefined {
  const match = typeof text === 'string' ? /^(\S+) stream (\d+) attempt (\d+)$/.exec(text) : null;
  return match ? { user: match[1]!, stream: Number(match[2]), attempt: Number(match[3]) } : undefined;
}

/** The whole text the upstream answers for a stream: the browser checks it received exactly this. */
export function answerText(user: string, stream: number): string {
  return `${user}/${stream}: ${'the quick brown fox '.repeat(3)}`;
}

/** Characters per `text_delta`: the ~70 characters above make ~18 deltas; with 6 other frames (start, ping, stops), ~23 pauses. */
const CHUNK_SIZE = 4;

/**
 * Tracks the upstream's open requests per user. The user of a request is the `metadata.user_id`
 * that the relay's `prepare` set from the identity `authorize` answered; a request without one is
 * counted under the user named in its message (and reported in `identityMismatches`).
 * A request is open from the moment the script picks its turn (its body has arrived) until its
 * exchange closes (`RecordedRequest.closed`: the whole answer sent, or the connection gone).
 */
export class UpstreamLoad {
  /** Requests open now, per user. */
  readonly open = new Map<string, number>();
  /** The most requests each user held at once, counted at every arrival (exact). */
  readonly peakPerUser = new Map<string, number>();
  /** The most requests each user held at once, as seen by `sample()`. */
  readonly sampledPeakPerUser = new Map<string, number>();
  /** How many times each attempt (see {@link attemptText}) reached the upstream. */
  readonly arrivals = new Map<string, number>();
  /** Requests whose `metadata.user_id` is not the user named in their message. */
  readonly identityMismatches: string[] = [];
  /** Requests whose message is not an attempt of this test. */
  readonly strangers: string[] = [];
  /** Every request's `closed`, to wait for the upstream to be idle. */
  readonly closings: Promise<void>[] = [];
  openTotal = 0;
  peakTotal = 0;
  samples = 0;

  /**
   * The mock's script: answers each attempt with {@link answerText}, streamed over about
   * `durationMs(key)` ms (the chunk delay is the duration over the pauses between SSE frames).
   */
  script(durationMs: (key: AttemptKey) => number): MockTurnFunction {
    return (request: RecordedRequest): MockTurn => {
      const body = request.body as { messages?: { content?: unknown }[]; metadata?: { user_id?: unknown } } | undefined;
      const key = parseAttempt(body?.messages?.[0]?.content);
      if (key === undefined) {
        this.strangers.push(JSON.stringify(body).slice(0, 200));
        return textReply('not a request of the load test');
      }
      const userId = body?.metadata?.user_id;
      if (userId !== key.user) this.identityMismatches.push(`${attemptText(key)}: metadata.user_id ${JSON.stringify(userId)}`);
      const user = typeof userId === 'string' ? userId : key.user;
      const name = attemptText(key);
      this.arrivals.set(name, (this.arrivals.get(name) ?? 0) + 1);
      this.opened(user);
      this.closings.push(request.closed.then(() => this.closed(user)));
      const text = answerText(key.user, key.stream);
      const pauses = Math.ceil(text.length / CHUNK_SIZE) + 5;
      return textReply(text, { chunkSize: CHUNK_SIZE, chunkDelayMs: Math.max(1, Math.round(durationMs(key) / pauses)) });
    };
  }

  /** Records the open requests per user as they are now (called on a timer, every few ms). */
  sample(): void {
    this.samples++;
    for (const [user, count] of this.open) raise(this.sampledPeakPerUser, user, count);
  }

  /** Forgets everything (after a warm-up request). */
  reset(): void {
    for (const map of [this.open, this.peakPerUser, this.sampledPeakPerUser, this.arrivals]) map.clear();
    this.identityMismatches.length = 0;
    this.strangers.length = 0;
    this.closings.length = 0;
    this.openTotal = this.peakTotal = this.samples = 0;
  }

  private opened(user: string): void {
    const count = (this.open.get(user) ?? 0) + 1;
    this.open.set(user, count);
    raise(this.peakPerUser, user, count);
    this.openTotal++;
    this.peakTotal = Math.max(this.peakTotal, this.openTotal);
  }

  private closed(user: string): void {
    this.open.set(user, (this.open.get(user) ?? 0) - 1);
    this.openTotal--;
  }
}

function raise(peaks: Map<string, number>, key: string, value: number): void {
  if (value > (peaks.get(key) ?? 0)) peaks.set(key, value);
}

/** What the browser read from one stream's SSE body. */
export interface StreamRead {
  readonly text: string;
  readonly types: readonly string[];
}

/** The text deltas and event types of an SSE body (`data:` lines of one line each, as the relay writes them). */
export function readSSE(body: string): StreamRead {
  let text = '';
  const types: string[] = [];
  for (const line of body.split('\n')) {
    if (!line.startsWith('data:')) continue;
    const event = JSON.parse(line.slice(5)) as { type: string; delta?: { type?: string; text?: string } };
    types.push(event.type);
    if (event.type === 'content_block_delta' && event.delta?.type === 'text_delta') text += event.delta.text ?? '';
  }
  return { text, types };
}

/**
 * A full garbage collection, so that `heapUsed` counts live objects only. Jest gives the test no
 * `global.gc`; the V8 flag is set at run time and `gc` read from a fresh context (the flag stays
 * set for the rest of this worker, which only makes `gc` available). `undefined` if V8 refuses.
 */
export function exposeGC(): (() => void) | undefined {
  const existing = (globalThis as { gc?: () => void }).gc;
  if (typeof existing === 'function') return existing;
  try {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as unknown;
    return typeof gc === 'function' ? (gc as () => void) : undefined;
  } catch {
    return undefined;
  }
}

export const MiB = 1024 * 1024;
