import type { MessageCreateParams } from '../schema';

/** A request's `container`: an id, `{ id?, skills? }`, `null` or absent. */
type ContainerParam = MessageCreateParams['container'];

/**
 * The `container` of the next request of a tool loop, and the id the loop itself put in it.
 *
 * ## Example
 * ```ts
 * const next: NextContainer = { container: { id: 'container_9', skills }, adoptedId: 'container_9' };
 * ```
 */
export interface NextContainer {
  readonly container: ContainerParam;
  /** The id in `container` that came from a response rather than the caller; `undefined` when none did. */
  readonly adoptedId: string | undefined;
}

/**
 * The container to send after a turn whose response named container `returnedId`: container-bound
 * server tools refuse a follow-up request that leaves out the container their turn ran in.
 *
 * The caller's container is kept, never replaced: an id the caller chose stays (as a string, or
 * in `{ id, skills }`); a `{ skills }` without an id gets the returned id merged in, its skills
 * kept; no container (or `null`) becomes the returned id. An id the loop adopted earlier is
 * replaced by a newer one the server reports (the old container has been replaced). A response
 * that names no container changes nothing.
 *
 * ## Example
 * ```ts
 * nextContainer({ skills }, undefined, 'container_9'); // { container: { skills, id: 'container_9' }, adoptedId: 'container_9' }
 * nextContainer('mine', undefined, 'container_9'); // { container: 'mine', adoptedId: undefined }
 * nextContainer('container_9', 'container_9', 'container_10'); // { container: 'container_10', adoptedId: 'container_10' }
 * ```
 *
 * @param sent The container of the request just answered.
 * @param adoptedId The id in `sent` that the loop adopted, if any.
 * @param returnedId The id of the response's `container`, if it had one.
 * @return The container of the next request, and the id the loop adopted in it.
 */
export function nextContainer(sent: ContainerParam, adoptedId: string | undefined, returnedId: string | undefined): NextContainer {
  if (returnedId === undefined) return { container: sent, adoptedId };
  if (sent === undefined || sent === null) return { container: returnedId, adoptedId: returnedId };
  if (typeof sent === 'string') return sent === adoptedId ? { container: returnedId, adoptedId: returnedId } : { container: sent, adoptedId: undefined };
  if (sent.id === undefined || sent.id === null || sent.id === adoptedId) return { container: { ...sent, id: returnedId }, adoptedId: returnedId };
  return { container: sent, adoptedId: undefined };
}
