import { textReply } from 'rx-anthropic/testing';
import { ATTACK_HOSTS, expectRefusal, params, send, useRelay } from '../support/attackHarness';

const json = JSON.stringify(params);

/**
 * Bodies another page can post without a preflight: a `no-cors` `fetch` (text/plain), HTML forms
 * (urlencoded, text/plain, multipart). Only `application/json` is read (415 otherwise), and none
 * of those can send it.
 */
const CROSS_SITE_BODIES: readonly (readonly [string, string | null, string])[] = [
  ['a no-cors fetch (text/plain;charset=UTF-8)', 'text/plain;charset=UTF-8', json],
  ['a no-cors fetch with a JSON-looking parameter (text/plain; application/json)', 'text/plain; application/json', json],
  // <form enctype="text/plain"><input name='{"model":…,"x":"' value='"}'></form> posts valid JSON.
  ['an HTML form enctype="text/plain" whose body is JSON', 'text/plain', `${json.slice(0, -1)},"x":"="}`],
  ['an HTML form (application/x-www-form-urlencoded)', 'application/x-www-form-urlencoded', `${encodeURIComponent(json)}=`],
  ['a multipart form', 'multipart/form-data; boundary=xyz', `--xyz\r\ncontent-disposition: form-data; name="q"\r\n\r\n${json}\r\n--xyz--\r\n`],
  ['no content-type at all', null, json],
];

describe.each(ATTACK_HOSTS)('the content type on %s', (host) => {
  const { start } = useRelay(host);

  it.each(CROSS_SITE_BODIES)('refuses %s with 415 invalid_request_error, nothing upstream', async (_name, contentType, body) => {
    const { port, mock } = await start([textReply('never')], { authorize: 'anyone' });
    expectRefusal(await send(port, { contentType, body }), 415, 'invalid_request_error');
    expect(mock.requests).toHaveLength(0);
  });

  it('refuses a text/plain body on every route', async () => {
    const { port, mock } = await start([textReply('never')], { authorize: 'anyone' });
    for (const path of ['/api/messages', '/api/v1/messages', '/api/v1/messages/count_tokens']) {
      expectRefusal(await send(port, { path, contentType: 'text/plain', body: json }), 415, 'invalid_request_error');
    }
    expect(mock.requests).toHaveLength(0);
  });

  it('takes application/json with a charset (the control)', async () => {
    const { port, mock } = await start([textReply('ok')], { authorize: 'anyone' });
    expect((await send(port, { contentType: 'application/json; charset=utf-8' })).status).toBe(200);
    expect(mock.requests).toHaveLength(1);
  });
});
