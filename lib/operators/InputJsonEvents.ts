import { defineLazyInput, isLazyInputRead } from '../accumulate/defineLazyInput';
import { freezeValue } from '../accumulate/freezeValue';
import type { ToolInputBuffer } from '../accumulate/ToolInputBuffer';
import type { InputJsonEvent } from './MessageStreamEvent';

/** Eager events in a row before a lazy one checks again that the snapshots are still read. */
const EAGER_RUN = 32;

/** One tool-use block's reading: its last lazy event, to see whether it was read, and the eager events left. */
interface BlockReading {
  probe: InputJsonEvent | undefined;
  eagerLeft: number;
}

/**
 * Makes the `input_json` events of one subscription of `messageStreamEvents()`, their `snapshot`
 * computed when read or when made, whichever the consumer's reading makes cheaper.
 *
 * A lazy `snapshot` (an own accessor, computed on first read) costs nothing to a consumer that
 * never reads it, but defining it costs more per event than the snapshot itself costs to build
 * on a narrow input; a consumer that reads every snapshot (a live view) pays both. So each block
 * starts lazy, and once a lazy event was read by the time the next delta arrives, the next
 * {@link EAGER_RUN} events carry their snapshot as a plain property, built when made; then one
 * lazy event checks again. A consumer that stops reading, or keeps events to read them later
 * (`toArray()`), goes back to lazy events after at most that many. Either way the value is the
 * input as it stood after that event's delta, and the property is an own enumerable one, so the
 * two kinds of event cannot be told apart but by their property descriptor. Both are frozen, and
 * so is the snapshot (the partial-JSON parser freezes each object and array it makes).
 *
 * ## Example
 *
 * ```ts
 * const events = new InputJsonEvents();
 * const buffer = new ToolInputBuffer({});
 * buffer.push('{"city": "Pa');
 * const first = events.create(0, '{"city": "Pa', buffer); // lazy
 * first.snapshot; // { city: 'Pa' }: read, so the next ones are built eagerly
 * buffer.push('ris"}');
 * events.create(0, 'ris"}', buffer).snapshot; // { city: 'Paris' }, a plain property
 * ```
 */
export class InputJsonEvents {
  private blocks: (BlockReading | undefined)[] = [];

  /** Forgets every block: a new message (`message_start`) starts lazy again. */
  reset(): void {
    this.blocks = [];
  }

  /**
   * The `input_json` event of a delta just pushed into `buffer`.
   *
   * @param index The block's index.
   * @param partialJson The delta's `partial_json`.
   * @param buffer The block's input, the delta already in it.
   * @return The event, its `snapshot` the input as it stands now.
   */
  create(index: number, partialJson: string, buffer: ToolInputBuffer): InputJsonEvent {
    const reading = (this.blocks[index] ??= { probe: undefined, eagerLeft: 0 });
    if (reading.eagerLeft === 0 && reading.probe !== undefined && isLazyInputRead(reading.probe)) reading.eagerLeft = EAGER_RUN;
    if (reading.eagerLeft > 0) {
      reading.eagerLeft -= 1;
      reading.probe = undefined;
      return freezeValue({ type: 'input_json', index, partial_json: partialJson, snapshot: buffer.snapshotAt(buffer.length) });
    }
    // Computed when read, from the input as it stands now, however late the read.
    const event = freezeValue(defineLazyInput({ type: 'input_json' as const, index, partial_json: partialJson }, 'snapshot', buffer) as InputJsonEvent);
    reading.probe = event;
    return event;
  }
}
