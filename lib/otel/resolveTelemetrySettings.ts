import type { OpenTelemetryOptions, ResolvedTelemetrySettings } from './OpenTelemetryOptions';

const DEFAULT_MAX_CONTENT_BYTES = 750_000;

function environmentVariable(name: string): string | undefined {
  const value = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

/** What the environment asks for, for a call of `openTelemetry()` without options (the official SDK's variables). */
function optionsFromEnvironment(): OpenTelemetryOptions {
  const size = /^\d+$/.exec(environmentVariable('ANTHROPIC_OPEN_TELEMETRY_TRACES_MAX_CONTENT_BYTES') ?? '')?.[0];
  return {
    propagation: environmentVariable('ANTHROPIC_OPEN_TELEMETRY_PROPAGATION')?.toLowerCase() !== 'false',
    traces: {
      enabled: environmentVariable('ANTHROPIC_OPEN_TELEMETRY')?.toLowerCase() !== 'false',
      contentMode: environmentVariable('ANTHROPIC_OPEN_TELEMETRY_TRACES_CONTENT_MODE')?.toLowerCase() === 'content' ? 'content' : 'metadata_only',
      ...(size === undefined ? {} : { maxContentBytes: Number(size) }),
    },
  };
}

/**
 * The settings of `openTelemetry(options)`, as the official SDK settles its `openTelemetry`
 * option: without options, from the environment (`ANTHROPIC_OPEN_TELEMETRY=false` turns spans
 * off, `ANTHROPIC_OPEN_TELEMETRY_PROPAGATION=false` propagation,
 * `ANTHROPIC_OPEN_TELEMETRY_TRACES_CONTENT_MODE=content` records content,
 * `ANTHROPIC_OPEN_TELEMETRY_TRACES_MAX_CONTENT_BYTES` bounds it); with options, from them alone,
 * a field left out taking its default. `false` turns everything off. A content mode or size that
 * is not valid is the default one.
 *
 * ## Example
 * ```ts
 * resolveTelemetrySettings({ traces: { contentMode: 'content' } }); // { enabled: true, propagation: true, content: true, … }
 * ```
 *
 * @param options The options of `openTelemetry`.
 * @return The settled settings.
 */
export function resolveTelemetrySettings(options: OpenTelemetryOptions | false | undefined): ResolvedTelemetrySettings {
  const given = options === false ? { traces: false } : (options ?? optionsFromEnvironment());
  const traces = typeof given.traces === 'boolean' ? { enabled: given.traces } : (given.traces ?? {});
  const size = traces.maxContentBytes;
  return Object.freeze({
    tracerProvider: given.tracerProvider,
    enabled: traces.enabled ?? true,
    propagation: given.propagation ?? true,
    content: traces.contentMode === 'content',
    maxContentBytes: size !== undefined && Number.isInteger(size) && size >= 1 ? size : DEFAULT_MAX_CONTENT_BYTES,
  });
}
