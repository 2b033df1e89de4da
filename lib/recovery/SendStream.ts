import type { Observable } from 'rxjs';
import type { MessageCreateParams, RawMessageStreamEvent } from '../schema';

/**
 * Sends one streamed request and gives its decoded events: the unit each recovery (continuation,
 * fallback, hedge, phase timeouts) wraps, and may call again with changed params.
 *
 * ## Example
 * ```ts
 * const send: SendStream = (params) => client.messages.stream(params);
 * ```
 */
export type SendStream = (params: MessageCreateParams) => Observable<RawMessageStreamEvent>;
