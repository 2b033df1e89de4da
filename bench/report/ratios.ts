import { ratio, ratioAfterCollection } from '../evaluate';
import { floorOf } from '../implementations';
import type { WorkloadFamily } from '../workloads';
import type { PairResult } from './BenchReport';

/**
 * Sets each result's ratios to the references on the same workload: the floor of the workload's
 * family (`structured-floor` on the structured outputs, `floor` elsewhere, so that "× floor"
 * always divides by the floor that does that workload's job), the same for the runs after a full
 * collection, and the official SDK's
 * `sdk-stream`, `sdk-lazy` and `sdk-create`. A reference that did not run on the workload leaves
 * its ratio out; one that did not finish within `budgetMs` gives a bound.
 *
 * @param results Every result of the run; changed in place.
 * @param workloads The run's workloads, for the family of each result's workload.
 * @param budgetMs The budget of one (implementation, workload), the bound's other side.
 */
export function addRatios(results: readonly PairResult[], workloads: ReadonlyArray<{ id: string; family: WorkloadFamily }>, budgetMs: number): void {
  for (const r of results) {
    const family = workloads.find((w) => w.id === r.workload)?.family;
    const reference = (id: string): PairResult | undefined => results.find((x) => x.workload === r.workload && x.impl === id);
    const floor = family === undefined ? undefined : ratio(r, reference(floorOf(family)), budgetMs);
    const sdkStream = ratio(r, reference('sdk-stream'), budgetMs);
    const sdkLazy = ratio(r, reference('sdk-lazy'), budgetMs);
    const sdkCreate = ratio(r, reference('sdk-create'), budgetMs);
    if (floor) r.ratioToFloor = floor;
    const afterCollection = family === undefined ? undefined : ratioAfterCollection(r, reference(floorOf(family)));
    if (afterCollection) r.ratioToFloorAfterCollection = afterCollection;
    if (sdkStream) r.ratioToSdkStream = sdkStream;
    if (sdkLazy) r.ratioToSdkLazy = sdkLazy;
    if (sdkCreate) r.ratioToSdkCreate = sdkCreate;
  }
}
