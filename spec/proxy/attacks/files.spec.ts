import type { ProxyIdentity } from 'rx-anthropic/proxy';
import { textReply } from 'rx-anthropic/testing';
import { ATTACK_HOSTS, expectRefusal, params, send, useRelay, type RelayOptions } from '../support/attackHarness';

/** The files beta allowed, as the docs' example does: a browser that names a `file_id` would read any file on the account. */
const FILES_BETA = 'files-api-2025-04-14';
const beta = { 'anthropic-beta': FILES_BETA };

const withContent = (...content: unknown[]) => ({ ...params, messages: [{ role: 'user', content }] });
const documentOf = (fileId: string) => withContent({ type: 'document', source: { type: 'file', file_id: fileId } }, { type: 'text', text: 'Summarise it.' });

/** Where a `file_id` can stand in a request. */
const FILE_REFERENCES: readonly (readonly [string, unknown])[] = [
  ['a document block’s source', documentOf('file_abc')],
  ['an image block’s source', withContent({ type: 'image', source: { type: 'file', file_id: 'file_abc' } })],
  [
    'an image nested in a tool_result',
    {
      ...params,
      messages: [
        { role: 'user', content: 'Look.' },
        { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'fetch', input: {} }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: [{ type: 'image', source: { type: 'file', file_id: 'file_abc' } }] }] },
      ],
    },
  ],
  ['an odd field of a text block', withContent({ type: 'text', text: 'Hi', file_id: 'file_abc' })],
];

describe.each(ATTACK_HOSTS)('file_id on %s', (host) => {
  const { start } = useRelay(host);
  const base: RelayOptions = { authorize: () => ({ user: 'u1' }), allowedBetas: [FILES_BETA] };

  it.each(FILE_REFERENCES)('refuses a file_id in %s without authorizeFile: 403 permission_error, nothing upstream', async (_where, body) => {
    const { port, mock } = await start([textReply('never')], base);
    expectRefusal(await send(port, { body, headers: beta }), 403, 'permission_error');
    expectRefusal(await send(port, { path: '/api/v1/messages', body, headers: beta }), 403, 'permission_error');
    expect(mock.requests).toHaveLength(0);
  });

  it.each<readonly [string, unknown]>([
    ['false', false],
    ['"true"', 'true'],
    ['1', 1],
    ['undefined', undefined],
    ['{}', {}],
    ['a Promise of "true"', Promise.resolve('true')],
  ])('refuses when authorizeFile answers %s (not exactly true)', async (_name, value) => {
    const { port, mock } = await start([textReply('never')], { ...base, authorizeFile: (() => value) as unknown as RelayOptions['authorizeFile'] });
    expectRefusal(await send(port, { body: documentOf('file_abc'), headers: beta }), 403, 'permission_error');
    expect(mock.requests).toHaveLength(0);
  });

  it('refuses another user’s file, lets the user’s own one through, asking authorizeFile with the identity authorize answered', async () => {
    const owners: Record<string, string> = { file_mine: 'u1', file_theirs: 'u2' };
    const asked: [string, ProxyIdentity | undefined][] = [];
    const { port, mock } = await start([textReply('ok')], {
      authorize: () => ({ user: 'u1', plan: 'pro' }),
      allowedBetas: [FILES_BETA],
      authorizeFile: (fileId, identity) => {
        asked.push([fileId, identity]);
        return owners[fileId] === identity?.user;
      },
    }, { mock: { validateRequests: false } });
    expectRefusal(await send(port, { body: documentOf('file_theirs'), headers: beta }), 403, 'permission_error');
    expect(mock.requests).toHaveLength(0);
    expect((await send(port, { body: documentOf('file_mine'), headers: beta })).status).toBe(200);
    expect(mock.requests).toHaveLength(1);
    expect(asked).toEqual([
      ['file_theirs', { user: 'u1', plan: 'pro' }],
      ['file_mine', { user: 'u1', plan: 'pro' }],
    ]);
  });
});
