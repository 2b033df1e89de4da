import type { WorkloadFamily } from '../workloads';
import type { Implementation } from './Implementation';

export type { Implementation, RelayAccess, StreamConsumer } from './Implementation';

/**
 * The families whose result is the message itself (its text, thinking and tool inputs): where
 * the message consumers run. On `structured` the result is the parsed output; a message consumer
 * would pass the text check there without ever parsing it, so it runs only where it does the
 * workload's whole job.
 */
const MESSAGE_FAMILIES: readonly WorkloadFamily[] = ['text', 'tool', 'nested', 'thinking', 'mixed', 'many'];

/**
 * The implementations, in table order. Each `load` imports its library lazily, so the child
 * process that measures one loads nothing of the others (clean memory figures).
 */
export const IMPLEMENTATIONS: readonly Implementation[] = [
  {
    id: 'floor',
    description: 'fetch + eventsource-parser + JSON.parse + string accumulation; no Observables, no snapshots',
    snapshotsPerDelta: false,
    families: MESSAGE_FAMILIES,
    load: async () => (await import('./floor')).createFloorConsumer,
  },
  {
    id: 'rx-raw',
    description: 'rx-anthropic client.messages.stream() raw events, accumulated plainly by the subscriber',
    snapshotsPerDelta: false,
    families: MESSAGE_FAMILIES,
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
    families: MESSAGE_FAMILIES,
    load: async () => (await import('./rxAnthropic')).createEventsConsumer,
  },
  {
    id: 'rx-events-recovery',
    description: 'rx-events with every recovery option on (continueOnDrop: 3, a fallback model, a hedge after 60 s, timeouts by phase) and no fault: what a stream pays for them when nothing goes wrong',
    snapshotsPerDelta: true,
    families: MESSAGE_FAMILIES,
    load: async () => (await import('./rxAnthropic')).createRecoveryEventsConsumer,
  },
  {
    id: 'rx-final',
    description: 'rx-anthropic finalMessage()',
    snapshotsPerDelta: false,
    families: MESSAGE_FAMILIES,
    load: async () => (await import('./rxAnthropic')).createFinalMessageConsumer,
  },
  {
    id: 'sdk-stream',
    description: "@anthropic-ai/sdk messages.stream(), every event, on('inputJson') snapshot on every tool delta, finalMessage()",
    snapshotsPerDelta: true,
    families: MESSAGE_FAMILIES,
    load: async () => (await import('./officialSdk')).createMessageStreamConsumer,
  },
  {
    id: 'sdk-lazy',
    description: '@anthropic-ai/sdk messages.stream(), every event, no inputJson listener (its lazy mode: no partial tool input), finalMessage()',
    snapshotsPerDelta: false,
    families: MESSAGE_FAMILIES,
    load: async () => (await import('./officialSdk')).createLazyMessageStreamConsumer,
  },
  {
    id: 'sdk-create',
    description: '@anthropic-ai/sdk messages.create({stream: true}) raw events, accumulated plainly',
    snapshotsPerDelta: false,
    families: MESSAGE_FAMILIES,
    load: async () => (await import('./officialSdk')).createRawStreamConsumer,
  },
  {
    id: 'vercel',
    description: 'ai + @ai-sdk/anthropic streamText(), every fullStream part consumed (tool input parsed once at the end)',
    snapshotsPerDelta: false,
    families: MESSAGE_FAMILIES,
    load: async () => (await import('./vercelAiSdk')).createStreamTextConsumer,
  },
  {
    id: 'structured-floor',
    description: 'the floor of the structured outputs: fetch + eventsource-parser + JSON.parse of each event, the text concatenated and JSON.parse of it once at the end; no Observables, no partial objects, no validation',
    snapshotsPerDelta: false,
    families: ['structured'],
    load: async () => (await import('./structuredOutput')).createStructuredFloorConsumer,
  },
  {
    id: 'rx-partial',
    description: 'rx-anthropic client.messages.stream() with outputFormat(io-ts codec) + partialOutput(): a partial object after every text delta that changes it, each one read; the codec decodes the whole output at the end',
    snapshotsPerDelta: true,
    families: ['structured'],
    load: async () => (await import('./structuredOutput')).createPartialOutputConsumer,
  },
  {
    id: 'rx-final-output',
    description: 'rx-anthropic client.messages.stream() with outputFormat(io-ts codec) + finalOutput(): the text through the same incremental parser without partial objects, one decoded value at the end',
    snapshotsPerDelta: false,
    families: ['structured'],
    load: async () => (await import('./structuredOutput')).createFinalOutputConsumer,
  },
  {
    id: 'sdk-format',
    description: "@anthropic-ai/sdk messages.stream() with output_config.format = jsonSchemaOutputFormat(), every event, finalMessage().parsed_output (the SDK's JSON.parse of the text at message_stop, no schema check); no partial objects",
    snapshotsPerDelta: false,
    families: ['structured'],
    load: async () => (await import('./structuredOutput')).createSdkFormatStreamConsumer,
  },
  {
    id: 'sdk-partial',
    description: "sdk-format plus a partial object on every text delta the way an SDK user gets one: the SDK's partial-JSON parser (partialParse) on the 'text' event's snapshot, the whole text so far each time",
    snapshotsPerDelta: true,
    families: ['structured'],
    load: async () => (await import('./structuredOutput')).createSdkPartialConsumer,
  },
  {
    id: 'rx-batch-results',
    description: 'rx-anthropic client.messages.batches.results(id): the results file decoded and checked line by line as it downloads, every result read',
    snapshotsPerDelta: false,
    families: ['batches'],
    load: async () => (await import('./batchResults')).createRxBatchResultsConsumer,
  },
  {
    id: 'sdk-batch-results',
    description: "@anthropic-ai/sdk client.messages.batches.results(id): every result with for await (the SDK's JSON.parse of each line, no check)",
    snapshotsPerDelta: false,
    families: ['batches'],
    load: async () => (await import('./batchResults')).createSdkBatchResultsConsumer,
  },
];

/** Whether `impl` gives the whole result of a workload of `family` (`rx-text` gives only text; the message consumers parse no structured output). */
export function runsOn(impl: Implementation, family: WorkloadFamily): boolean {
  return impl.families === undefined || impl.families.includes(family);
}

/**
 * The id of the implementation a workload of `family` is measured against ("× floor"): the
 * structured outputs have a floor of their own, which parses the text once at the end.
 */
export function floorOf(family: WorkloadFamily): string {
  return family === 'structured' ? 'structured-floor' : 'floor';
}

/** The implementations `ids` select (empty = all), in table order; throws on an unknown id. */
export function selectImplementations(ids: readonly string[]): Implementation[] {
  const unknown = ids.filter((id) => !IMPLEMENTATIONS.some((impl) => impl.id === id));
  if (unknown.length > 0) throw new Error(`unknown implementation(s) ${unknown.join(', ')}; known: ${IMPLEMENTATIONS.map((i) => i.id).join(', ')}`);
  return ids.length === 0 ? [...IMPLEMENTATIONS] : IMPLEMENTATIONS.filter((impl) => ids.includes(impl.id));
}
