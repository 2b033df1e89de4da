import type { WorkloadFamily } from '../workloads';
import type { Implementation } from './Implementation';

export type { Implementation, StreamConsumer } from './Implementation';

/**
 * The implementations, in table order. Each `load` imports its library lazily, so the child
 * process that measures one loads nothing of the others (clean memory figures).
 */
export const IMPLEMENTATIONS: readonly Implementation[] = [
  {
    id: 'floor',
    description: 'fetch + eventsource-parser + JSON.parse + string accumulation; no Observables, no snapshots',
    snapshotsPerDelta: false,
    load: async () => (await import('./floor')).createFloorConsumer,
  },
  {
    id: 'rx-raw',
    description: 'rx-anthropic client.messages.stream() raw events, accumulated plainly by the subscriber',
    snapshotsPerDelta: false,
    load: async () => (await import('./rxAnthropic')).createRawConsumer,
  },
  {
    id: 'rx-text',
    description: 'rx-anthropic client.messages.stream() + textDeltas() (text workloads only)',
    snapshotsPerDelta: false,
    families: ['text', 'many'],
    load: async () => (await import('./rxAnthropic')).createTextDeltasConsumer,
  },
  {
    id: 'rx-events',
    description: 'rx-anthropic messageStreamEvents(), every event, every snapshot read (input_json.snapshot on every tool delta), then finalMessage()',
    snapshotsPerDelta: true,
    load: async () => (await import('./rxAnthropic')).createEventsConsumer,
  },
  {
    id: 'rx-final',
    description: 'rx-anthropic finalMessage()',
    snapshotsPerDelta: false,
    load: async () => (await import('./rxAnthropic')).createFinalMessageConsumer,
  },
  {
    id: 'sdk-stream',
    description: "@anthropic-ai/sdk messages.stream(), every event, on('inputJson') snapshot on every tool delta, finalMessage()",
    snapshotsPerDelta: true,
    load: async () => (await import('./officialSdk')).createMessageStreamConsumer,
  },
  {
    id: 'sdk-lazy',
    description: '@anthropic-ai/sdk messages.stream(), every event, no inputJson listener (its lazy mode: no partial tool input), finalMessage()',
    snapshotsPerDelta: false,
    load: async () => (await import('./officialSdk')).createLazyMessageStreamConsumer,
  },
  {
    id: 'sdk-create',
    description: '@anthropic-ai/sdk messages.create({stream: true}) raw events, accumulated plainly',
    snapshotsPerDelta: false,
    load: async () => (await import('./officialSdk')).createRawStreamConsumer,
  },
  {
    id: 'vercel',
    description: 'ai + @ai-sdk/anthropic streamText(), every fullStream part consumed (tool input parsed once at the end)',
    snapshotsPerDelta: false,
    load: async () => (await import('./vercelAiSdk')).createStreamTextConsumer,
  },
];

/** Whether `impl` gives the whole result of a workload of `family` (`rx-text` gives only text). */
export function runsOn(impl: Implementation, family: WorkloadFamily): boolean {
  return impl.families === undefined || impl.families.includes(family);
}

/** The implementations `ids` select (empty = all), in table order; throws on an unknown id. */
export function selectImplementations(ids: readonly string[]): Implementation[] {
  const unknown = ids.filter((id) => !IMPLEMENTATIONS.some((impl) => impl.id === id));
  if (unknown.length > 0) throw new Error(`unknown implementation(s) ${unknown.join(', ')}; known: ${IMPLEMENTATIONS.map((i) => i.id).join(', ')}`);
  return ids.length === 0 ? [...IMPLEMENTATIONS] : IMPLEMENTATIONS.filter((impl) => ids.includes(impl.id));
}
