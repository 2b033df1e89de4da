import type { WorkloadFamily } from '../workloads';
import type { StreamResult } from '../workloads/StreamResult';

/** Reads one whole stream from the benchmark server and returns what it made of it. */
export type StreamConsumer = () => Promise<StreamResult>;

/**
 * How a browser-like client reaches the relay (`relay.ts`): no API key, a bearer token the
 * relay's `authorize` knows, and the `Origin` of the page it would run in.
 */
export interface RelayAccess {
  token: string;
  origin: string;
}

/** One way of consuming a Messages stream, measured against the others. */
export interface Implementation {
  /** The name `--impls` takes and the table shows. */
  id: string;
  /** What is measured, in a few words. */
  description: string;
  /** Whether it computes the tool input's partial snapshot on every `input_json_delta`, or the structured output's partial object on every text delta (what a live UI reads). */
  snapshotsPerDelta: boolean;
  /**
   * The workload families it can give the whole result of (default: all). `textDeltas()` gives
   * only text, so it runs where text is all there is.
   */
  families?: readonly WorkloadFamily[];
  /**
   * Loads the library (in the child process only) and returns a factory of consumers for a
   * workload's base URL (`http://127.0.0.1:<port>/w/<workload>`). Building the client is not timed.
   * With `relay`, the URL is the relay's base path and the client reaches it as a browser would
   * (only the rx-anthropic implementations take it; the relay comparison uses `rx-events`).
   */
  load(): Promise<(workloadURL: string, relay?: RelayAccess) => StreamConsumer>;
}
