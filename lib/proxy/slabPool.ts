/**
 * Buffers of one size, handed out and taken back, for {@link memoryStreamStore}'s frames.
 *
 * Written by hand because the store keeps a relay's streams for minutes: kept as the buffers they
 * came in, every stream grows the memory V8 counts as external by its size, and V8 answers that
 * growth with a full collection every few streams (most of the tee's cost on a long stream). Copied
 * into buffers that are reused once their stream is forgotten, the memory kept stays the same
 * size and is allocated once. At most `maxFreeBytes` of given-back buffers wait for reuse; the
 * rest are left to the collector.
 */
export class SlabPool {
  private readonly free: Buffer[] = [];

  /**
   * @param slabBytes The size of every buffer.
   * @param maxFreeBytes The most bytes of given-back buffers kept for reuse.
   */
  constructor(
    readonly slabBytes: number,
    private readonly maxFreeBytes: number,
  ) {}

  /** A buffer of `slabBytes`: one given back before, or a new one. Its bytes are not cleared. */
  take(): Buffer {
    return this.free.pop() ?? Buffer.allocUnsafeSlow(this.slabBytes);
  }

  /** Takes back a buffer from {@link take} that nothing reads any more. */
  give(slab: Buffer): void {
    if ((this.free.length + 1) * this.slabBytes <= this.maxFreeBytes) this.free.push(slab);
  }

  /** How many buffers wait for reuse. */
  get freeCount(): number {
    return this.free.length;
  }
}
