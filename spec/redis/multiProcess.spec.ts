/**
 * The relay on Redis with real processes: three relay instances, each a `node` process of its own
 * (`support/limitedRelayProcess.ts`), sharing one Redis through `redisLimitStore` (each user at
 * most 2 open requests, across all instances; slot leases of 1.5 s) and `redisStreamStore`
 * (streams resumable on every instance), in front of one upstream in this process that counts the
 * requests each user has open and keeps the most it ever saw.
 *
 * In front of the instances, a small load balancer of this process (`/lb/<tag>/<post>/<get>/<cut>/…`):
 * it sends a POST to instance `<post>`, a GET or DELETE of a stream to instance `<get>` (another one,
 * so every resume crosses instances), skips instances marked dead, can cut the POST's response
 * after `<cut>` bytes, and passes on a backend's broken connection as a broken connection.
 *
 * - cuts: 20 streams cut at seeded bytes (raw HTTP), resumed on another instance with
 *   `Last-Event-ID`: byte-identical to the uncut stream; 10 more through
 *   `createClient({ resumeStreams: true })`, cut by the balancer, which reconnect by themselves to
 *   another instance: the events of the uncut stream, each once.
 * - load and a crash: 300 streams of 30 users (seeded order, 60 at once, round-robin over the
 *   instances); one instance is killed (SIGKILL) while it holds streams. The upstream never sees
 *   more than 2 open of one user; every refusal is a 429 (counted, retried until all 300 have their
 *   text); the killed instance's slots free within the lease (a user whose 2 streams were on it
 *   opens 2 on another instance); every stream it held ends within a deadline, with its text
 *   (resumed) or a typed error, never a hang.
 *
 * Set `MULTI_PROCESS_FIGURES=1` to print the figures measured (`console.log`).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import type { Redis } from 'ioredis';
import { lastValueFrom, tap, throwError, timeout, toArray, type Observable, type OperatorFunction } from 'rxjs';
import { AnthropicError, APIConnectionError, createClient, InternalServerError, RateLimitError, type MessageCreateParams, type RawMessageStreamEvent } from 'rx-anthropic';
import { createMockServer, textReply, type MockServer, type RecordedRequest } from 'rx-anthropic/testing';
import { sleep, sseEvents, waitFor, within } from '../proxy/support/attackHarness';
import { framesOf, idsOf, resume, seeded, wholeFrames } from '../proxy/support/streamHarness';
import type { RelayProcessConfig } from './support/limitedRelayProcess';
import { connectRedis, deleteKeys, describeWithRedis, REDIS_URL, uniquePrefix } from './support/redisServer';

const ROOT = path.resolve(__dirname, '..', '..');
const RELAY_SCRIPT = path.join(__dirname, 'support', 'limitedRelayProcess.ts');
/** A concurrency slot's lease (`redisLimitStore`): a dead instance's slots free within it. */
const LEASE_MS = 1_500;
/** A held stream's lease (`redisStreamStore`): a reader learns within it that the holder died. */
const STREAM_LEASE_MS = 1_500;
const MAX_PER_USER = 2;
const USERS = Array.from({ length: 30 }, (_, index) => `u${String(index).padStart(2, '0')}`);
/** The user whose two streams are on the instance that is killed. */
const VICTIM = 'victim';
const tokenOf = (user: string): string => `tok-${user}-${Buffer.from(user).toString('hex')}`;
const TOKENS = Object.fromEntries([...USERS, VICTIM].map((user) => [tokenOf(user), user]));
const KILLED = 2;

const figures = (label: string, values: Record<string, unknown>): void => {
  if (process.env['MULTI_PROCESS_FIGURES']) console.log(`${label}: ${JSON.stringify(values, null, 1)}`);
};

/** What the upstream answers to a request whose message is `content`: its own text (so that a stream mixed up with another shows). */
function replyTo(content: string): string {
  return `Reply to ${content}. ${'The quick brown fox jumps over the lazy dog. '.repeat(content.startsWith('long:') ? 12 : 5)}`;
}

const paramsOf = (content: string): MessageCreateParams => ({ model: 'claude-test', max_tokens: 1024, messages: [{ role: 'user', content }] });

// ---------------------------------------------------------------------------------------------
// The upstream: one mock API server, counting open requests per user (metadata.user_id).

interface Upstream {
  readonly mock: MockServer;
  readonly open: Map<string, number>;
  readonly maxOpen: Map<string, number>;
}

async function startUpstream(): Promise<Upstream> {
  const open = new Map<string, number>();
  const maxOpen = new Map<string, number>();
  const mock = await createMockServer((request: RecordedRequest) => {
    const body = request.body as { messages: { content: string }[]; metadata?: { user_id?: string } };
    const user = body.metadata?.user_id ?? 'unknown';
    const content = String(body.messages[0]?.content);
    const now = (open.get(user) ?? 0) + 1;
    open.set(user, now);
    maxOpen.set(user, Math.max(maxOpen.get(user) ?? 0, now));
    void request.closed.then(() => open.set(user, (open.get(user) ?? 1) - 1));
    // The same bytes for the same content (a fixed message id): an uncut stream is the reference.
    return textReply(replyTo(content), { id: `msg_${Buffer.from(content).toString('hex')}`, chunkSize: 8, chunkDelayMs: content.startsWith('long:') ? 40 : 25 });
  });
  return { mock, open, maxOpen };
}

// ---------------------------------------------------------------------------------------------
// The relay processes.

interface RelayProcess {
  readonly name: string;
  readonly url: string;
  readonly child: ChildProcess;
  readonly exited: Promise<void>;
  stderr(): string;
}

async function spawnRelay(config: RelayProcessConfig): Promise<RelayProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', RELAY_SCRIPT, JSON.stringify(config)], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`relay ${config.name} did not print "listening <url>" within 20 s (stderr: ${stderr})`));
    }, 20_000);
    let stdout = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /listening (\S+)\n/.exec(stdout);
      if (match) {
        clearTimeout(timer);
        resolve(match[1] as string);
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`relay ${config.name} exited (${code ?? signal}) before listening: ${stderr}`));
    });
  });
  return { name: config.name, url, child, exited, stderr: () => stderr };
}

// ---------------------------------------------------------------------------------------------
// The load balancer: /lb/<tag>/<post>/<get>/<cut>/<the relay's path>.

interface Routed {
  readonly tag: string;
  readonly method: string;
  readonly path: string;
  readonly to: number;
}

interface Balancer {
  readonly url: string;
  /** Instances not to send anything to any more: a request for one goes to the next live one. */
  readonly dead: Set<number>;
  readonly log: Routed[];
  close(): Promise<void>;
}

function startBalancer(targets: readonly string[]): Promise<Balancer> {
  const dead = new Set<number>();
  const log: Routed[] = [];
  const alive = (index: number): number => {
    for (let step = 0; step < targets.length; step += 1) {
      const candidate = (index + step) % targets.length;
      if (!dead.has(candidate)) return candidate;
    }
    return index;
  };
  const server: Server = createServer((request, response) => {
    const match = /^\/lb\/([^/]+)\/(\d)\/(\d)\/(\d+)(\/.*)$/.exec(request.url ?? '');
    if (!match) return void response.writeHead(404).end('no route of the balancer');
    const [, tag, post, get, cutText, rest] = match as unknown as [string, string, string, string, string, string];
    const method = request.method ?? 'GET';
    const to = alive(Number(method === 'POST' ? post : get));
    const cut = method === 'POST' ? Number(cutText) : 0;
    log.push({ tag, method, path: rest, to });
    const target = new URL(targets[to] as string);
    const backend = httpRequest(
      { host: target.hostname, port: target.port, method, path: rest, agent: false, headers: { ...request.headers, host: target.host } },
      (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        let sent = 0;
        answer.on('data', (chunk: Buffer) => {
          if (response.destroyed) return;
          if (cut > 0 && sent + chunk.length >= cut) {
            const last = chunk.subarray(0, cut - sent);
            sent = cut;
            // The browser's connection drops here: exactly `cut` bytes of the body went out.
            response.write(last, () => response.destroy());
            backend.destroy();
            return;
          }
          sent += chunk.length;
          response.write(chunk);
        });
        answer.on('end', () => response.end());
        // A backend that died mid-answer: the browser's connection breaks too, as behind a real balancer.
        answer.on('close', () => {
          if (!answer.complete) response.destroy();
        });
        answer.on('error', () => undefined);
      },
    );
    backend.on('error', () => response.destroy());
    request.pipe(backend);
    response.on('close', () => {
      if (!response.writableFinished) backend.destroy();
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        dead,
        log,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      }),
    ),
  );
}

// ---------------------------------------------------------------------------------------------
// Raw HTTP exchanges with one instance.

interface Exchange {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly id: string;
  /** The body: whole, or its first `cutAt` bytes when the connection was cut there. */
  readonly body: Promise<{ text: string; ended: boolean }>;
}

/**
 * `POST {url}/api/messages` for `user` with `content`; resolves once the answer's head came. With
 * `cutAt`, the connection is destroyed once that many bytes of the body came (a browser that
 * drops). The whole exchange is bounded by `timeoutMs`.
 */
function exchange(url: string, user: string, content: string, options: { cutAt?: number; timeoutMs?: number } = {}): Promise<Exchange> {
  const { cutAt = Infinity, timeoutMs = 10_000 } = options;
  const { hostname, port } = new URL(url);
  const payload = JSON.stringify(paramsOf(content));
  return new Promise((resolve, reject) => {
    let settleBody: (body: { text: string; ended: boolean }) => void = () => undefined;
    let failBody: (error: Error) => void = () => undefined;
    const body = new Promise<{ text: string; ended: boolean }>((ok, fail) => ((settleBody = ok), (failBody = fail)));
    body.catch(() => undefined);
    const timer = setTimeout(() => {
      const error = new Error(`POST ${url}/api/messages (${content}) did not end within ${timeoutMs} ms`);
      request.destroy();
      reject(error);
      failBody(error);
    }, timeoutMs);
    const request = httpRequest(
      {
        host: hostname,
        port,
        method: 'POST',
        path: '/api/messages',
        agent: false,
        headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(payload)), authorization: `Bearer ${tokenOf(user)}` },
      },
      (response) => {
        const chunks: Buffer[] = [];
        let length = 0;
        let done = false;
        const finish = (ended: boolean): void => {
          if (done) return;
          done = true;
          clearTimeout(timer);
          settleBody({ text: Buffer.concat(chunks).subarray(0, cutAt).toString('utf8'), ended });
        };
        response.on('data', (chunk: Buffer) => {
          chunks.push(chunk);
          length += chunk.length;
          if (length >= cutAt) {
            request.destroy();
            finish(false);
          }
        });
        response.on('error', () => undefined);
        response.on('end', () => finish(true));
        response.on('close', () => finish(false));
        resolve({ status: response.statusCode ?? 0, headers: response.headers, id: String(response.headers['x-stream-id'] ?? ''), body });
      },
    );
    request.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
      failBody(error);
    });
    request.end(payload);
  });
}

/** A whole stream, uncut: status and text. */
async function wholeStream(url: string, user: string, content: string): Promise<{ status: number; text: string }> {
  const answer = await exchange(url, user, content);
  const { text, ended } = await answer.body;
  if (!ended) throw new Error(`the uncut stream of ${content} broke off: ${text.slice(-200)}`);
  return { status: answer.status, text };
}

/** The text of a stream's `text_delta` events. */
const textOf = (events: readonly unknown[]): string =>
  (events as { type: string; delta?: { type: string; text?: string } }[])
    .map((event) => (event.type === 'content_block_delta' && event.delta?.type === 'text_delta' ? (event.delta.text ?? '') : ''))
    .join('');

const auth = (user: string): Record<string, string> => ({ authorization: `Bearer ${tokenOf(user)}` });

/** Fails a stream that goes `ms` without an event (a hang), saying which. */
const noHang = <T>(what: string, ms = 8_000): OperatorFunction<T, T> =>
  timeout<T, Observable<never>>({ each: ms, with: () => throwError(() => new Error(`${what}: no event for ${ms} ms (a hang)`)) });

// ---------------------------------------------------------------------------------------------

describeWithRedis('three relay processes on one Redis: limits, resumes across instances, a kill -9', () => {
  let redis: Redis;
  let root: string;
  let upstream: Upstream;
  let relays: RelayProcess[] = [];
  let balancer: Balancer;

  /** A client of `user` through the balancer: POST to instance `post`, resumes and stops to `get`, the POST's answer cut after `cut` bytes (0: never). */
  const clientOf = (user: string, tag: string, post: number, get: number, cut = 0) =>
    createClient({
      baseURL: `${balancer.url}/lb/${tag}/${post}/${get}/${cut}/api`,
      apiKey: null,
      authToken: null,
      defaultHeaders: auth(user),
      resumeStreams: true,
      maxRetries: 0,
    });

  beforeAll(async () => {
    redis = connectRedis();
    root = uniquePrefix('multi-process');
    upstream = await startUpstream();
    const base = { redisURL: REDIS_URL ?? '', upstreamURL: upstream.mock.baseURL, limitPrefix: `${root}limits:`, streamPrefix: `${root}streams:`, leaseMs: LEASE_MS, streamLeaseMs: STREAM_LEASE_MS, tokens: TOKENS };
    const spawned = await Promise.allSettled(['A', 'B', 'C'].map((name) => spawnRelay({ ...base, name })));
    relays = spawned.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
    for (const result of spawned) if (result.status === 'rejected') throw result.reason;
    balancer = await startBalancer(relays.map((relay) => relay.url));
  }, 30_000);

  afterAll(async () => {
    for (const relay of relays) {
      if (relay.child.exitCode === null && relay.child.signalCode === null) relay.child.kill('SIGKILL');
      await within(relay.exited, 5_000, `relay ${relay.name} to exit after SIGKILL`);
    }
    await balancer?.close();
    await upstream?.mock.close();
    if (redis) {
      await deleteKeys(redis, root);
      await redis.quit();
    }
  });

  it('resumes 20 streams cut at seeded bytes on another instance (GET /streams/{id}, Last-Event-ID): byte-identical to the uncut stream', async () => {
    const streams = USERS.slice(0, 20).map((user, index) => ({ user, content: `cut:${user}#${index}`, from: index % 3, to: (index + 1) % 3 }));
    // The uncut streams, one per user at once (each user's limit is 2).
    const references = await within(
      Promise.all(streams.map(({ user, content, from }) => wholeStream((relays[from] as RelayProcess).url, user, content))),
      15_000,
      'the 20 uncut reference streams to end',
    );
    for (const [index, reference] of references.entries()) {
      expect({ index, status: reference.status }).toEqual({ index, status: 200 });
      expect(idsOf(reference.text)).toEqual(Array.from({ length: framesOf(reference.text).length }, (_, n) => n + 1));
      expect(textOf(sseEvents(reference.text).map((event) => event.data))).toBe(replyTo((streams[index] as { content: string }).content));
    }
    const random = seeded(20_260_517);
    const cuts = references.map((reference) => 1 + Math.floor(random() * (Buffer.byteLength(reference.text) - 2)));
    const outcomes = await within(
      Promise.all(
        streams.map(async ({ user, content, from, to }, index) => {
          const cutAt = cuts[index] as number;
          const dropped = await exchange((relays[from] as RelayProcess).url, user, content, { cutAt });
          const received = (await dropped.body).text;
          const kept = wholeFrames(received);
          const rest = await resume((relays[to] as RelayProcess).url, dropped.id, kept.lastId, auth(user), 10_000).catch((error: unknown) => {
            throw new Error(`GET /api/streams/${dropped.id} on relay ${(relays[to] as RelayProcess).name} (Last-Event-ID ${kept.lastId}) did not end within 10 s: ${String(error)}`);
          });
          return { index, cutAt, status: dropped.status, id: dropped.id, received, kept, rest };
        }),
      ),
      20_000,
      'the 20 cut streams to be resumed to their end on another instance',
    );
    for (const { index, cutAt, status, id, received, kept, rest } of outcomes) {
      const reference = (references[index] as { text: string }).text;
      expect({ index, cutAt, status, id: /^strm_/.test(id) }).toEqual({ index, cutAt, status: 200, id: true });
      expect({ index, cutAt, received: received.length }).toEqual({ index, cutAt, received: cutAt });
      // The bytes before the cut, and the cut-off stream resumed elsewhere, are those of the uncut stream.
      expect(received).toBe(reference.slice(0, cutAt));
      expect({ index, status: rest.status, owner: rest.headers.get('x-stream-id') }).toEqual({ index, status: 200, owner: id });
      expect(kept.text + rest.text).toBe(reference);
    }
    figures('cuts (raw)', { cuts, framesKept: outcomes.map((outcome) => outcome.kept.lastId), referenceBytes: references.map((reference) => reference.text.length) });
  }, 45_000);

  it('createClient({ resumeStreams: true }) cut by the balancer reconnects by itself to another instance: the uncut stream’s events, each once', async () => {
    const streams = USERS.slice(20, 30).map((user, index) => ({ user, content: `client-cut:${user}#${index}`, from: index % 3, to: (index + 2) % 3, tag: `client-cut-${index}` }));
    const references = await within(
      Promise.all(streams.map(({ user, content, from }) => wholeStream((relays[from] as RelayProcess).url, user, content))),
      15_000,
      'the 10 uncut reference streams to end',
    );
    const random = seeded(4_242);
    // Before the last frame (message_stop, some 60 bytes) is whole: every stream must resume.
    const cuts = references.map((reference) => 1 + Math.floor(random() * (Buffer.byteLength(reference.text) - 80)));
    const results = await within(
      Promise.all(
        streams.map(({ user, content, from, to, tag }, index) =>
          lastValueFrom(
            clientOf(user, tag, from, to, cuts[index])
              .messages.stream(paramsOf(content))
              .pipe(noHang(`the client stream ${content} (cut at ${cuts[index]})`), toArray()),
          ),
        ),
      ),
      20_000,
      'the 10 streams of the clients to end',
    );
    for (const [index, events] of results.entries()) {
      const { content, from, to, tag } = streams[index] as (typeof streams)[number];
      // The client drops `ping`s (decodeEvents): every other event, in order.
      const reference = sseEvents((references[index] as { text: string }).text)
        .filter((event) => event.event !== 'ping')
        .map((event) => event.data);
      expect({ index, events }).toEqual({ index, events: reference });
      expect(textOf(events)).toBe(replyTo(content));
      const routed = balancer.log.filter((entry) => entry.tag === tag);
      expect({ index, posts: routed.filter((entry) => entry.method === 'POST').map((entry) => entry.to) }).toEqual({ index, posts: [from] });
      const gets = routed.filter((entry) => entry.method === 'GET');
      expect(gets.length).toBeGreaterThanOrEqual(1);
      for (const get of gets) expect({ index, to: get.to, path: get.path }).toEqual({ index, to, path: expect.stringMatching(/^\/api\/streams\/strm_/) });
      // The stream ended: nothing to stop.
      expect(routed.filter((entry) => entry.method === 'DELETE')).toEqual([]);
    }
    figures('cuts (client)', { cuts, resumes: streams.map(({ tag }) => balancer.log.filter((entry) => entry.tag === tag && entry.method === 'GET').length) });
  }, 45_000);

  it('300 streams of 30 users over three instances, one killed (SIGKILL) mid-run: ≤ 2 open per user upstream, 429s retried to the end, the dead slots freed within the lease, no stream left hanging', async () => {
    const random = seeded(1_234_567);
    // 10 streams per user, in a seeded random order: users get 3 or more at once, and the limit bites.
    const order = USERS.flatMap((user) => Array.from({ length: 10 }, (_, n) => ({ user, content: `load:${user}#${n}` })));
    for (let index = order.length - 1; index > 0; index -= 1) {
      const other = Math.floor(random() * (index + 1));
      [order[index], order[other]] = [order[other] as (typeof order)[number], order[index] as (typeof order)[number]];
    }

    interface Attempt {
      readonly job: number;
      readonly user: string;
      readonly post: number;
      readonly get: number;
      readonly startedAt: number;
      firstEventAt?: number;
      endedAt?: number;
      outcome?: 'text' | 'refused' | 'failed' | 'untyped';
      error?: unknown;
    }
    const attempts: Attempt[] = [];
    const texts: (string | undefined)[] = order.map(() => undefined);
    let completed = 0;

    /** One try of a stream through the balancer, on a live instance picked round-robin; bounded (8 s without an event is a hang). */
    const tryStream = async (job: number, user: string, content: string, round: number, tag: string): Promise<Attempt> => {
      const live = [0, 1, 2].filter((index) => !balancer.dead.has(index));
      const post = live[(job + round) % live.length] as number;
      const get = live[(job + round + 1) % live.length] as number;
      const attempt: Attempt = { job, user, post, get, startedAt: Date.now() };
      attempts.push(attempt);
      try {
        const events = await lastValueFrom(
          clientOf(user, tag, post, get)
            .messages.stream(paramsOf(content))
            .pipe(
              tap(() => (attempt.firstEventAt ??= Date.now())),
              noHang(`the stream ${content} on instance ${post}`),
              toArray(),
            ),
        );
        attempt.outcome = 'text';
        texts[job] = textOf(events);
      } catch (error) {
        attempt.error = error;
        attempt.outcome = error instanceof RateLimitError ? 'refused' : error instanceof AnthropicError ? 'failed' : 'untyped';
      }
      attempt.endedAt = Date.now();
      return attempt;
    };

    const runJob = async (job: number): Promise<void> => {
      const { user, content } = order[job] as (typeof order)[number];
      for (let round = 0; ; round += 1) {
        const attempt = await tryStream(job, user, content, round, `load-${job}-${round}`);
        if (attempt.outcome === 'text') break;
        if (attempt.outcome === 'untyped') throw new Error(`stream ${content} (try ${round + 1}) failed with no typed error (8 s without an event is a hang): ${String(attempt.error)}`);
        if (round >= 60) throw new Error(`stream ${content} got no answer in 60 tries; the last: ${String(attempt.error)}`);
        // A refusal (429), or a stream of the killed instance: again, a little later.
        await sleep(30 + Math.floor(random() * 120));
      }
      completed += 1;
    };

    const startedAt = Date.now();
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < order.length) await runJob(next++);
    };
    const load = Promise.all(Array.from({ length: 60 }, worker));
    load.catch(() => undefined);

    // Mid-run: the victim opens its 2 streams on C (resumes to A), then C is killed while it holds them and a share of the load.
    await within(
      Promise.race([load, waitFor(() => completed >= 100, '100 of the 300 streams to complete', 30_000)]),
      31_000,
      '100 of the 300 streams to complete before the kill',
    );
    expect(completed).toBeLessThan(200);
    const victimStarted = [0, 1].map(() => {
      let started!: () => void;
      const first = new Promise<void>((resolve) => (started = resolve));
      return { first, started };
    });
    const victimStreams = [0, 1].map((n) =>
      lastValueFrom(
        clientOf(VICTIM, `victim-${n}`, KILLED, 0)
          .messages.stream(paramsOf(`long:${VICTIM}#${n}`))
          .pipe(
            tap(() => victimStarted[n]?.started()),
            noHang(`the victim's stream ${n} on relay C`),
            toArray(),
          ),
      ).then(
        (events) => ({ events, error: undefined as unknown, endedAt: Date.now() }),
        (error: unknown) => ({ events: [] as RawMessageStreamEvent[], error, endedAt: Date.now() }),
      ),
    );
    await within(Promise.all(victimStarted.map((each) => each.first)), 5_000, "the victim's 2 streams on relay C to send their first events");
    // Outlive a renewal, so that the leases in Redis are the dead relay's own, renewed.
    await sleep(LEASE_MS / 3 + 100);

    const killed = relays[KILLED] as RelayProcess;
    balancer.dead.add(KILLED);
    const held = attempts.filter((attempt) => attempt.post === KILLED && attempt.endedAt === undefined);
    const heldStreaming = held.filter((attempt) => attempt.firstEventAt !== undefined).length;
    const killedAt = Date.now();
    killed.child.kill('SIGKILL');
    await within(killed.exited, 5_000, 'relay C to exit after SIGKILL');
    const exitedAfterMs = Date.now() - killedAt;

    // The victim's slots are the dead relay's until their lease runs out; then 2 streams on A.
    const probes: { answer: Exchange; content: string }[] = [];
    const statuses: number[] = [];
    const freeBy = killedAt + LEASE_MS + 1_500;
    while (probes.length < MAX_PER_USER) {
      if (Date.now() > freeBy) {
        throw new Error(`the victim could not open ${MAX_PER_USER} streams on relay A within ${LEASE_MS + 1_500} ms of the kill (answers: ${statuses.join(', ')})`);
      }
      const content = `probe:${VICTIM}#${statuses.length}`;
      const probe = await exchange((relays[0] as RelayProcess).url, VICTIM, content);
      statuses.push(probe.status);
      if (probe.status === 200) probes.push({ answer: probe, content });
      else {
        await probe.body;
        await sleep(25);
      }
    }
    const freedAfterMs = Date.now() - killedAt;
    const probeTexts = await within(Promise.all(probes.map((probe) => probe.answer.body)), 10_000, "the victim's 2 streams on relay A to end");

    const victims = await within(Promise.all(victimStreams), STREAM_LEASE_MS + 5_000, "the victim's 2 streams on the killed relay to end");
    await within(load, 60_000, 'the 300 streams to complete');
    const tookMs = Date.now() - startedAt;

    // Every stream has its own text in the end.
    expect(completed).toBe(300);
    for (const [job, { content }] of order.entries()) expect({ job, text: texts[job] }).toEqual({ job, text: replyTo(content) });

    // The upstream never saw more than 2 open of one user, across the three instances.
    const maxima = Object.fromEntries([...upstream.maxOpen.entries()].sort());
    for (const user of [...USERS, VICTIM]) expect({ user, max: maxima[user] }).toEqual({ user, max: expect.any(Number) });
    for (const [user, max] of Object.entries(maxima)) expect({ user, max: max <= MAX_PER_USER }).toEqual({ user, max: true });
    // And the limit did bite: refusals were 429 (RateLimitError), retried.
    const refused = attempts.filter((attempt) => attempt.outcome === 'refused');
    expect(refused.length).toBeGreaterThan(0);
    expect(refused.filter((attempt) => (attempt.error as RateLimitError).status !== 429)).toEqual([]);

    // Only the streams on the killed instance failed, each with a typed error, within a deadline of the kill.
    const heldSet = new Set(held);
    const failed = attempts.filter((attempt) => attempt.outcome === 'failed');
    for (const attempt of failed) {
      expect({ job: attempt.job, post: attempt.post, onKilled: heldSet.has(attempt) }).toEqual({ job: attempt.job, post: KILLED, onKilled: true });
    }
    const endDeadlineMs = STREAM_LEASE_MS + 3_500;
    for (const attempt of held) {
      expect({ job: attempt.job, outcome: attempt.outcome }).toEqual({ job: attempt.job, outcome: expect.stringMatching(/^(text|failed|refused)$/) });
      expect({ job: attempt.job, endedWithinMs: (attempt.endedAt as number) - killedAt <= endDeadlineMs }).toEqual({ job: attempt.job, endedWithinMs: true });
      if (attempt.outcome === 'failed') expect(attempt.error).toBeInstanceOf(AnthropicError);
    }
    // The victim's streams: resumed on A, which reads the frames C kept, then the error frame once C's lease runs out.
    for (const [n, victim] of victims.entries()) {
      expect({ n, error: victim.error }).toEqual({ n, error: expect.any(InternalServerError) });
      expect((victim.error as Error).message).toMatch(/The relay instance that held this stream stopped before it ended/);
      expect(victim.endedAt - killedAt).toBeLessThanOrEqual(endDeadlineMs);
    }
    expect(balancer.log.filter((entry) => entry.tag.startsWith('victim-') && entry.method === 'GET').every((entry) => entry.to === 0)).toBe(true);

    // Slots: held by the dead relay at first (429), free again within the lease.
    expect({ firstProbeAfterKill: statuses[0] }).toEqual({ firstProbeAfterKill: 429 });
    expect(freedAfterMs).toBeLessThanOrEqual(LEASE_MS + 1_000);
    for (const [n, probe] of probeTexts.entries()) {
      expect({ n, ended: probe.ended }).toEqual({ n, ended: true });
      expect(textOf(sseEvents(probe.text).map((event) => event.data))).toBe(replyTo((probes[n] as { content: string }).content));
    }

    // Nothing left over: no upstream request open, no slot held, once a lease has passed.
    await waitFor(() => [...upstream.open.values()].every((open) => open === 0), 'every upstream request to close', 5_000);
    const leftSlots = async (): Promise<number> => {
      let count = 0;
      let cursor = '0';
      do {
        const [nextCursor, keys] = await redis.scan(cursor, 'MATCH', `${root}limits:slots:*`, 'COUNT', 500);
        cursor = nextCursor;
        for (const key of keys) count += await redis.zcard(key);
      } while (cursor !== '0');
      return count;
    };
    const slotsDeadline = Date.now() + LEASE_MS + 2_000;
    let slots = await leftSlots();
    while (slots > 0 && Date.now() < slotsDeadline) {
      await sleep(100);
      slots = await leftSlots();
    }
    expect({ slotsLeft: slots }).toEqual({ slotsLeft: 0 });

    const errorsByClass = failed.reduce<Record<string, number>>((counts, attempt) => {
      const name = attempt.error instanceof Error ? attempt.error.constructor.name : typeof attempt.error;
      counts[name] = (counts[name] ?? 0) + 1;
      return counts;
    }, {});
    figures('load and kill', {
      tookMs,
      attempts: attempts.length,
      refused429: refused.length,
      maxOpenPerUser: maxima,
      upstreamRequests: upstream.mock.requests.length,
      killedAfterCompleted: 100,
      heldByKilled: held.length,
      heldByKilledStreaming: heldStreaming,
      heldResumedToTheirEnd: held.filter((attempt) => attempt.outcome === 'text').length,
      heldFailed: held.filter((attempt) => attempt.outcome === 'failed').length,
      heldEndedAfterKillMs: held.map((attempt) => (attempt.endedAt as number) - killedAt).sort((a, b) => a - b),
      errorsByClass,
      connectionErrors: failed.filter((attempt) => attempt.error instanceof APIConnectionError).length,
      exitedAfterMs,
      victimEndedAfterKillMs: victims.map((victim) => victim.endedAt - killedAt),
      victimProbeStatuses: statuses,
      slotsFreedAfterMs: freedAfterMs,
      stderr: relays.map((relay) => `${relay.name}: ${relay.stderr().slice(0, 600)}`),
    });
  }, 70_000);
});
