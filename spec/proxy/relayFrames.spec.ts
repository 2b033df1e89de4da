import { request } from 'node:http';
import { from, type Observable } from 'rxjs';
import { Latin1Frames } from '../../lib/proxy/Latin1Frames';
import { relayFrames } from '../../lib/proxy/relayFrames';
import { useLoopbackServer } from './support/loopbackServer';

type Piece = string | Uint8Array | Latin1Frames;

/** SSE frames holding UTF-8 of one to four bytes a character, `size` bytes or so. */
const frames = (tag: string, size: number): string => `id: 1\ndata: {"text":"${tag} ${'é✓🙂Ω'.repeat(Math.ceil(size / 12))}"}\n\n`;

const bytesOf = (piece: Piece): Buffer => (typeof piece === 'string' ? Buffer.from(piece) : piece instanceof Latin1Frames ? Buffer.from(piece.text, 'latin1') : Buffer.from(piece));

describe('relayFrames', () => {
  const serve = useLoopbackServer();

  /** Serves `pieces$` through relayFrames; the response body, read after `delayMs`. */
  async function relayed(pieces$: Observable<Piece>, delayMs: number): Promise<Buffer> {
    const url = await serve((_request, response) => void relayFrames(pieces$, response, { maxBufferedBytes: 64 * 1024 * 1024 }));
    return new Promise((resolve, reject) => {
      request(url, (response) => {
        response.pause();
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve(Buffer.concat(chunks)));
        response.on('error', reject);
        setTimeout(() => response.resume(), delayMs);
      })
        .on('error', reject)
        .end();
    });
  }

  it('writes Latin-1 frames as the bytes they hold, between the API’s bytes and frames of its own, in order', async () => {
    const utf8 = Buffer.from(frames('a', 100));
    const pieces: Piece[] = [new Latin1Frames(utf8.toString('latin1')), Buffer.from(frames('b', 100)), frames('c', 100), new Latin1Frames(Buffer.from(frames('d', 50)).toString('latin1'))];
    const body = await relayed(from(pieces), 0);
    expect(body.equals(Buffer.concat(pieces.map(bytesOf)))).toBe(true);
  });

  it('holds them for a slow reader and gives the same bytes once it reads (the queue joined into one write)', async () => {
    // 8 MB, more than the socket buffers take at once: most of it waits in relayFrames' queue.
    const pieces: Piece[] = Array.from({ length: 16 }, (_, index) => {
      const bytes = Buffer.from(frames(String(index), 512 * 1024));
      return index % 3 === 0 ? bytes : index % 3 === 1 ? new Latin1Frames(bytes.toString('latin1')) : bytes.toString('utf8');
    });
    const body = await relayed(from(pieces), 200);
    expect(body.equals(Buffer.concat(pieces.map(bytesOf)))).toBe(true);
  });

  it("joins a held stream's waiting frames as Latin-1 text, with no buffer made for each, and gives the same bytes", async () => {
    const pieces = Array.from({ length: 16 }, (_, index) => new Latin1Frames(Buffer.from(frames(String(index), 512 * 1024)).toString('latin1')));
    const toBuffer = jest.spyOn(Latin1Frames.prototype, 'toBuffer');
    try {
      const body = await relayed(from(pieces), 200);
      expect(body.equals(Buffer.concat(pieces.map(bytesOf)))).toBe(true);
      expect(toBuffer).not.toHaveBeenCalled();
    } finally {
      toBuffer.mockRestore();
    }
  });
});
