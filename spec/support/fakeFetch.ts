/** A scripted `fetch` for transport tests: each call takes the next answer and is recorded. */
export type FakeAnswer =
  | { status: number; body?: string | Uint8Array[]; headers?: Record<string, string> }
  | { reject: Error }
  | { hang: true };

export interface FakeCall {
  url: string;
  init: RequestInit;
}

export function fakeFetch(answers: FakeAnswer[]): { fetch: typeof fetch; calls: FakeCall[] } {
  const calls: FakeCall[] = [];
  const fetchImpl = (async (input: string | URL | Request, init: RequestInit = {}) => {
    calls.push({ url: String(input), init });
    const answer = answers.shift();
    if (!answer) throw new Error('fakeFetch: no answer left');
    if ('reject' in answer) throw answer.reject;
    if ('hang' in answer) {
      return new Promise<Response>((_, reject) => {
        init.signal?.addEventListener('abort', () => reject(new DOMException('This operation was aborted', 'AbortError')));
      });
    }
    const body = answer.body;
    const stream =
      body === undefined
        ? null
        : new ReadableStream<Uint8Array>({
            start(controller) {
              const chunks = typeof body === 'string' ? [new TextEncoder().encode(body)] : body;
              for (const chunk of chunks) controller.enqueue(chunk);
              controller.close();
            },
          });
    return new Response(stream, { status: answer.status, headers: answer.headers ?? {} });
  }) as typeof fetch;
  return { fetch: fetchImpl, calls };
}

/** Lets pending promises and I/O settle. */
export const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
