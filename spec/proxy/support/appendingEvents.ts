import type { ProxyStreamStore } from 'rx-anthropic/proxy';

/**
 * `store` with every `append` made through its `appendEvents`, the frames' `id:` lines taken off
 * first, as the relay gives a store the upstream's events: so that the store contract
 * (`streamStoreContract`) runs through `appendEvents`.
 */
export function appendingEvents(store: ProxyStreamStore): ProxyStreamStore {
  const { appendEvents } = store;
  if (!appendEvents) throw new Error('the store has no appendEvents');
  const withoutIds = (frames: Uint8Array): Buffer => Buffer.from(Buffer.from(frames).toString('latin1').replace(/(^|\n)id: \d+\n/g, '$1'), 'latin1');
  return { ...store, append: (id, first, frames, count) => appendEvents.call(store, id, first, withoutIds(frames), count) };
}
