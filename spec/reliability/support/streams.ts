import { from, lastValueFrom, toArray } from 'rxjs';
import { createClient, decodeEvents, fromSSE, type ClientOptions, type RawMessageStreamEvent } from 'rx-anthropic';
import { loadFixtures, type Fixture } from '../../support/fixtures';

/** The request every reliability test sends. */
export const params = { model: 'claude-test', max_tokens: 64, messages: [{ role: 'user' as const, content: 'Hi' }] };

/** The API key of the suite: `secrets.spec.ts` checks it never shows up in an error. */
export const SECRET_KEY = 'sk-ant-api03-RELIABILITY-SECRET-0123456789abcdef';

/** A client of `baseURL` with the suite's key, no retries unless asked, and a short timeout. */
export function clientOf(baseURL: string, options: ClientOptions = {}) {
  return createClient({ apiKey: SECRET_KEY, baseURL, maxRetries: 0, timeout: 5_000, ...options });
}

/** The raw events the library decodes from `bytes` given whole: the reference for cut and split streams. */
export function decodeWhole(bytes: Uint8Array): Promise<RawMessageStreamEvent[]> {
  return lastValueFrom(from([bytes]).pipe(fromSSE(), decodeEvents(), toArray()));
}

/** Every recorded stream of both fixture sets. */
export function allFixtures(): Fixture[] {
  return [...loadFixtures('sdk-sse'), ...loadFixtures('real-world')];
}

/** A recorded stream by name (`docs-tool-use-weather`, `llm-anthropic-tool-result-answer-emoji`). */
export function fixture(name: string): Fixture {
  const found = allFixtures().find((candidate) => candidate.name === name);
  if (!found) throw new Error(`no fixture ${name}`);
  return found;
}

/**
 * Byte offsets just after each blank line that ends an SSE frame (LF LF, or CR LF CR LF): an
 * event is dispatched when the bytes up to such an offset have arrived.
 */
export function frameEnds(bytes: Uint8Array): number[] {
  const ends: number[] = [];
  for (let i = 1; i < bytes.length; i += 1) {
    if (bytes[i] !== 0x0a) continue;
    if (bytes[i - 1] === 0x0a || (bytes[i - 1] === 0x0d && bytes[i - 2] === 0x0a && bytes[i - 3] === 0x0d)) ends.push(i + 1);
  }
  return ends;
}

/** Whether `prefix` equals the first `prefix.length` elements of `whole` (compared as JSON). */
export function isPrefixOf(prefix: readonly unknown[], whole: readonly unknown[]): boolean {
  return prefix.length <= whole.length && JSON.stringify(prefix) === JSON.stringify(whole.slice(0, prefix.length));
}
