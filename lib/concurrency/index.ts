/**
 * Helpers for several streams at once: run them with bounded concurrency (`streamAll`,
 * `streamEach`), combine their live snapshots (`combineSnapshots`), total their usage
 * (`aggregateUsage`), watch their speed (`streamMetrics`), and queue requests under a limit
 * (a `RequestLimiter`: `LocalRequestLimiter`, behind `createClient({ maxConcurrentRequests, rateLimit })`,
 * or any other given as `createClient({ limiter })`).
 */
export { streamAll } from './streamAll';
export { streamEach, type StreamEachOptions } from './streamEach';
export type { StreamingClient, TaggedEvent } from './TaggedEvent';
export { combineSnapshots, type CombineSnapshotsOptions, type SnapshotRecord } from './combineSnapshots';
export { aggregateUsage, type AggregateUsageOptions, type TokenPrices, type UsageFigures, type UsageTotals } from './aggregateUsage';
export { streamMetrics, type StreamMetrics, type StreamMetricsOptions } from './streamMetrics';
export { RequestLimiter } from './RequestLimiter';
export { LocalRequestLimiter, type ReleasePlace, type RequestLimiterOptions } from './LocalRequestLimiter';
export type { RequestGate } from '../transport/HttpRequest';
export { rateLimitPauseMs, type RateLimitSignal } from './rateLimitPauseMs';
