import { request as httpRequest } from 'node:http';
import express from 'express';
import { createClient } from 'rx-anthropic';
import { createProxyHandler } from 'rx-anthropic/proxy';
import { createMockServer, textReply, type MockServer } from 'rx-anthropic/testing';
import { useLoopbackServer } from './support/loopbackServer';
import { HOSTS, params, post, refusalOf, SERVER_KEY, useProxy } from './support/proxyHarness';

/** POSTs `pieces` with chunked transfer encoding (no content-length); resolves with the status and body. */
function chunkedPost(url: string, pieces: readonly string[]): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, { method: 'POST', headers: { 'content-type': 'application/json' } }, (response) => {
      let body = '';
      response.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    });
    request.on('error', reject);
    for (const piece of pieces) request.write(piece);
    request.end();
  });
}

describe.each(HOSTS)('the request body on %s', (host) => {
  const { start } = useProxy(host);

  it('answers malformed JSON with 400 invalid_request_error, without calling upstream', async () => {
    const { proxy, mock } = await start([textReply('never')]);
    const { status, body } = await refusalOf(await post(proxy, '/api/messages', '{nope'));
    expect(status).toBe(400);
    expect(body.type).toBe('error');
    expect(body.error.type).toBe('invalid_request_error');
    expect(body.error.message).toMatch(/^The request body is not valid JSON \(.+\)\.$/);
    expect(mock.requests).toHaveLength(0);
  });

  it('answers an empty body with 400', async () => {
    const { proxy } = await start([]);
    const { status, body } = await refusalOf(await post(proxy, '/api/v1/messages', ''));
    expect(status).toBe(400);
    expect(body.error).toEqual({ type: 'invalid_request_error', message: 'The request body is empty: send the Messages API params as a JSON object.' });
  });

  it.each([
    ['[]', 'an array'],
    ['"text"', 'a string'],
    ['42', 'a number'],
    ['null', 'null'],
  ])('answers the JSON %s (not an object) with 400', async (json, got) => {
    const { proxy, mock } = await start([]);
    const { status, body } = await refusalOf(await post(proxy, '/api/v1/messages', json));
    expect(status).toBe(400);
    expect(body.error).toEqual({ type: 'invalid_request_error', message: `The request body must be a JSON object, the Messages API params; got ${got}.` });
    expect(mock.requests).toHaveLength(0);
  });

  it('answers a body over maxBodyBytes with 413 request_too_large', async () => {
    const { proxy, mock } = await start([textReply('never')], { maxBodyBytes: 1000 });
    const big = { ...params, messages: [{ role: 'user', content: 'x'.repeat(5000) }] };
    const { status, body } = await refusalOf(await post(proxy, '/api/messages', big));
    expect(status).toBe(413);
    expect(body).toEqual({ type: 'error', error: { type: 'request_too_large', message: 'The request body is larger than this proxy accepts (1000 bytes).' } });
    expect(mock.requests).toHaveLength(0);
  });

  it('answers a chunked body that grows past maxBodyBytes with 413, as soon as it does', async () => {
    const { proxy, mock } = await start([textReply('never')], { maxBodyBytes: 1000 });
    const json = JSON.stringify({ ...params, messages: [{ role: 'user', content: 'y'.repeat(200_000) }] });
    const pieces = Array.from({ length: Math.ceil(json.length / 700) }, (_, index) => json.slice(index * 700, index * 700 + 700));
    const { status, body } = await chunkedPost(`${proxy.url}/api/messages`, pieces);
    expect(status).toBe(413);
    expect(JSON.parse(body)).toMatchObject({ type: 'error', error: { type: 'request_too_large' } });
    expect(mock.requests).toHaveLength(0);
  });

  it('takes a body up to maxBodyBytes', async () => {
    const json = JSON.stringify(params);
    const { proxy } = await start([textReply('ok')], { maxBodyBytes: Buffer.byteLength(json) });
    expect((await post(proxy, '/api/v1/messages', json)).status).toBe(200);
  });
});

describe('a body Express has already parsed', () => {
  let mock: MockServer | undefined;
  const serve = useLoopbackServer();
  afterEach(async () => {
    await mock?.close();
  });

  async function startBehind(parser: express.RequestHandler): Promise<string> {
    mock = await createMockServer([textReply('parsed first')]);
    const app = express();
    app.use(parser);
    app.use(createProxyHandler({ client: createClient({ apiKey: SERVER_KEY, baseURL: mock.baseURL, maxRetries: 0 }), authorize: 'anyone', maxBodyBytes: 2000 }));
    return serve(app);
  }

  it('uses the object express.json() left in request.body', async () => {
    const url = await startBehind(express.json());
    const response = await fetch(`${url}/api/v1/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(params) });
    expect(response.status).toBe(200);
    expect(mock?.requests[0]?.body).toEqual({ ...params, stream: false });
  });

  it('parses the text express.text() left, with the same checks', async () => {
    const url = await startBehind(express.text({ type: () => true }));
    const json = { 'content-type': 'application/json' };
    const ok = await fetch(`${url}/api/v1/messages`, { method: 'POST', headers: json, body: JSON.stringify(params) });
    expect(ok.status).toBe(200);
    const bad = await fetch(`${url}/api/v1/messages`, { method: 'POST', headers: json, body: '{nope' });
    expect(bad.status).toBe(400);
    const big = await fetch(`${url}/api/v1/messages`, { method: 'POST', headers: json, body: JSON.stringify({ ...params, system: 'z'.repeat(3000) }) });
    expect(big.status).toBe(413);
    // A parser that took any body does not make a text/plain one JSON.
    const plain = await fetch(`${url}/api/v1/messages`, { method: 'POST', body: JSON.stringify(params) });
    expect(plain.status).toBe(415);
  });
});
