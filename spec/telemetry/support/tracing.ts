import { AsyncLocalStorage } from 'node:async_hooks';
import { context, propagation, ROOT_CONTEXT, trace, type Context, type ContextManager } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { createMockServer, type MockScript, type MockServer } from 'rx-anthropic/testing';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';

/** The context manager a Node.js application registers (as @opentelemetry/context-async-hooks does), on AsyncLocalStorage. */
class AsyncLocalContextManager implements ContextManager {
  private readonly storage = new AsyncLocalStorage<Context>();
  active(): Context {
    return this.storage.getStore() ?? ROOT_CONTEXT;
  }
  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(ctx: Context, fn: F, thisArg?: ThisParameterType<F>, ...args: A): ReturnType<F> {
    return this.storage.run(ctx, () => fn.apply(thisArg, args));
  }
  bind<T>(ctx: Context, target: T): T {
    if (typeof target !== 'function') return target;
    const manager = this;
    return function (this: unknown, ...args: unknown[]) {
      return manager.with(ctx, () => (target as (...a: unknown[]) => unknown).apply(this, args));
    } as T;
  }
  enable(): this {
    return this;
  }
  disable(): this {
    this.storage.disable();
    return this;
  }
}

/**
 * Registers a tracer provider that keeps its spans in memory, a context manager and the W3C
 * propagator, as an instrumented application does; `uninstallTracing` undoes it.
 */
export function installTracing(): InMemorySpanExporter {
  const exporter = new InMemorySpanExporter();
  trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }));
  context.setGlobalContextManager(new AsyncLocalContextManager());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  return exporter;
}

export function uninstallTracing(): void {
  trace.disable();
  context.disable();
  propagation.disable();
}

/** The finished spans, by name. */
export function spansNamed(exporter: InMemorySpanExporter, name: string): ReadableSpan[] {
  return exporter.getFinishedSpans().filter((span) => span.name === name);
}

/** The one finished span of that name; fails when there is not exactly one. */
export function onlySpan(exporter: InMemorySpanExporter, name: string): ReadableSpan {
  const spans = spansNamed(exporter, name);
  if (spans.length !== 1) throw new Error(`expected one span named ${name}, got ${spans.length}: ${exporter.getFinishedSpans().map((span) => span.name).join(', ')}`);
  return spans[0]!;
}

/** The parent span id of a span (`parentSpanContext` in SDK 2, `parentSpanId` before). */
export function parentOf(span: ReadableSpan): string | undefined {
  const readable = span as ReadableSpan & { parentSpanId?: string };
  return readable.parentSpanContext?.spanId ?? readable.parentSpanId;
}

/**
 * For each test of the file that calls it: tracing installed before it and uninstalled after,
 * and the mock servers that `serve` starts closed after it. `exporter` is the current test's.
 */
export function traceEachTest(): { readonly exporter: InMemorySpanExporter; serve(script: MockScript): Promise<MockServer> } {
  let exporter: InMemorySpanExporter | undefined;
  const servers: MockServer[] = [];
  beforeEach(() => {
    exporter = installTracing();
  });
  afterEach(async () => {
    uninstallTracing();
    await Promise.all(servers.splice(0).map((server) => server.close()));
  });
  return {
    get exporter() {
      if (exporter === undefined) throw new Error('traceEachTest(): the exporter exists only while a test runs');
      return exporter;
    },
    async serve(script) {
      const server = await createMockServer(script);
      servers.push(server);
      return server;
    },
  };
}
