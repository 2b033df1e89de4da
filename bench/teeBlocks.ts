/**
 * The tee's runs in blocks (`--tee-blocks`): each block starts relays and clients of its own,
 * because a process's collector settles early into a state that then holds for its life, and one
 * relay process's state moved the tee's share from run to run by more than the bound it is judged
 * against (bench/NOTES.md, the stores). These share the runs among the blocks and put the blocks'
 * outcomes back together.
 */
import type { ChildOutcome } from './measure';

/** `total` shared among `blocks` as evenly as whole numbers allow: the share of block `index` (the first blocks take the remainder). */
export function shareOf(total: number, blocks: number, index: number): number {
  return Math.floor(total / blocks) + (index < total % blocks ? 1 : 0);
}

/** The outcomes of one client's blocks as one: their runs in order, the first block's base heap, the first error. */
export function mergeOutcomes(outcomes: readonly ChildOutcome[]): ChildOutcome {
  const first = outcomes[0];
  return {
    baseHeapMB: first?.baseHeapMB,
    baseRssMB: first?.baseRssMB,
    runs: outcomes.flatMap((outcome) => outcome.runs),
    error: outcomes.find((outcome) => outcome.error !== undefined)?.error,
    killedAtBudget: outcomes.some((outcome) => outcome.killedAtBudget),
  };
}
