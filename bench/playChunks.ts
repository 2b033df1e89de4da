import type { ServerResponse } from 'node:http';

/**
 * Writes `chunks` to `response` as fast as the socket takes them (waiting for `drain` when it is
 * full), then ends it; a response closed meanwhile is left alone. The bench's servers play
 * pre-rendered bytes with it.
 */
export async function playChunks(response: ServerResponse, chunks: readonly Buffer[]): Promise<void> {
  for (const chunk of chunks) {
    if (response.destroyed) return;
    if (!response.write(chunk)) await drained(response);
  }
  response.end();
}

/** Resolves at the response's next `drain`, or when it closes. */
function drained(response: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      response.off('drain', done);
      response.off('close', done);
      resolve();
    };
    response.on('drain', done);
    response.on('close', done);
  });
}
