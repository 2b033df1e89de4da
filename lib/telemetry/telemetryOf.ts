import type { Telemetry } from './Telemetry';

/** Keyed by a client's `messages`, which a copy of the client made by spreading it keeps. */
const telemetryByMessages = new WeakMap<object, Telemetry>();

/**
 * Notes the telemetry of a client (its `telemetry` option), for the tool loops run with it.
 *
 * ## Example
 * ```ts
 * registerTelemetry(client, options.telemetry);
 * ```
 *
 * @param client The client.
 * @param telemetry Its telemetry; `undefined` notes nothing.
 */
export function registerTelemetry(client: { readonly messages: object }, telemetry: Telemetry | undefined): void {
  if (telemetry !== undefined) telemetryByMessages.set(client.messages, telemetry);
}

/**
 * The telemetry of a client made by `createClient` with a `telemetry` option, or `undefined`.
 *
 * ## Example
 * ```ts
 * const loop = telemetryOf(client)?.startToolLoop(params);
 * ```
 *
 * @param client The client.
 * @return Its telemetry, or `undefined`.
 */
export function telemetryOf(client: { readonly messages: object }): Telemetry | undefined {
  return telemetryByMessages.get(client.messages);
}
