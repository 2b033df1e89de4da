import { renderTurn, splitSSEFrames } from '../../lib/testing/renderTurn';
import { textReply } from '../../lib/testing/textReply';
import type { MockTurn } from '../../lib/testing/types';

const context = { stream: true, requestNumber: 3, requestId: 'req_mock_3', body: { model: 'm', messages: [] } };
const decode = (bytes: Uint8Array): string => Buffer.from(bytes).toString('utf8');

describe('splitSSEFrames', () => {
  it('cuts after each blank line, whatever the line ends, without losing a byte', () => {
    const sse = 'data: 1\n\ndata: 2\r\n\r\ndata: 3\r\rtrailing';
    const frames = splitSSEFrames(Buffer.from(sse)).map(decode);
    expect(frames).toEqual(['data: 1\n\n', 'data: 2\r\n\r\n', 'data: 3\r\r', 'trailing']);
  });
});

describe('renderTurn', () => {
  it('renders a streamed message as one chunk per SSE frame', () => {
    const rendered = renderTurn(textReply('hey'), context);
    expect(rendered.status).toBe(200);
    expect(rendered.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(rendered.chunks.map(decode).every((frame) => /^event: \w+\ndata: .+\n\n$/.test(frame))).toBe(true);
  });

  it('sets content-length on JSON answers', () => {
    const rendered = renderTurn(textReply('hey'), { ...context, stream: false });
    expect(rendered.headers['content-length']).toBe(String(rendered.chunks[0]?.byteLength));
    expect(JSON.parse(decode(rendered.chunks[0] ?? new Uint8Array()))).toMatchObject({ id: 'msg_mock_3', model: 'm' });
  });

  it('refuses a turn of unknown kind with a hint', () => {
    expect(() => renderTurn({ kind: 'text', text: 'x' } as unknown as MockTurn, context)).toThrow(/Unknown mock turn kind "text"/);
  });
});
