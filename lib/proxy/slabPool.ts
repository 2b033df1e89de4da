/** The largest piece of memory a {@link SlabPool} asks for at once (a store whose bound is larger asks again when it is full). */
export const MAX_ARENA_BYTES = 256 * 1024 * 1024;

/**
 * Buffers of one size, handed out and taken back, for {@link memoryStreamStore}'s frames.
 *
 * Written by hand because the store keeps a relay's streams for minutes: kept as the buffers they
 * came in, every stream grows the memory V8 counts as external by its size, and V8 answers that
 * growth with a full collection every few streams (most of the tee's cost on a long stream).
 * Copied into buffers that are reused once their stream is forgotten, the memory kept stays the
 * same size. The buffers are cut from one piece of memory (`arenaBytes`, the store's bound),
 * asked for when the first is needed: allocated a slab at a time, the store's growth to its bound
 * cost as many full collections (28 against 1 on the bench's text stream, bench/NOTES.md). The
 * piece is address space until frames are written into it, and stays with the pool.
 */
export class SlabPool {
  private readonly free: Buffer[] = [];
  private arena: Buffer | undefined;
  private arenaUsed = 0;
  private reserved = 0;
  /** The size of each piece of memory the slabs are cut from. */
  readonly arenaBytes: number;

  /**
   * @param slabBytes The size of every buffer.
   * @param arenaBytes How much memory is asked for at once: rounded up to whole slabs, at least
   *   one, at most {@link MAX_ARENA_BYTES} (or one slab, if that is larger).
   */
  constructor(
    readonly slabBytes: number,
    arenaBytes: number,
  ) {
    const most = Math.max(1, Math.floor(MAX_ARENA_BYTES / slabBytes));
    this.arenaBytes = Math.min(most, Math.max(1, Math.ceil(arenaBytes / slabBytes))) * slabBytes;
  }

  /** A buffer of `slabBytes`: one given back before, or the next of the current piece (a new piece when it is used up). Its bytes are not cleared. */
  take(): Buffer {
    const given = this.free.pop();
    if (given) return given;
    if (!this.arena || this.arenaUsed + this.slabBytes > this.arena.length) {
      this.arena = Buffer.allocUnsafeSlow(this.arenaBytes);
      this.arenaUsed = 0;
      this.reserved += this.arenaBytes;
    }
    const slab = this.arena.subarray(this.arenaUsed, this.arenaUsed + this.slabBytes);
    this.arenaUsed += this.slabBytes;
    return slab;
  }

  /** Takes back a buffer from {@link take} that nothing reads any more: the next {@link take} gives it again. */
  give(slab: Buffer): void {
    this.free.push(slab);
  }

  /** How many buffers wait for reuse. */
  get freeCount(): number {
    return this.free.length;
  }

  /** The memory asked for so far, in bytes. */
  get reservedBytes(): number {
    return this.reserved;
  }
}
