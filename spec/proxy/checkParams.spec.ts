import { DEFAULT_ALLOWED_CONTENT_TYPES, DEFAULT_ALLOWED_PARAMS, DEFAULT_ALLOWED_TOOL_TYPES } from 'rx-anthropic/proxy';
import { checkParams, type ParamsPolicy } from '../../lib/proxy/checkParams';
import { thrownRefusal } from './support/thrownRefusal';

const policy: ParamsPolicy = {
  allowedParams: DEFAULT_ALLOWED_PARAMS,
  allowedModels: ['claude-sonnet-4-6'],
  maxTokens: 100,
  overMaxTokens: 'refuse',
  allowedToolTypes: DEFAULT_ALLOWED_TOOL_TYPES,
  allowedContentTypes: DEFAULT_ALLOWED_CONTENT_TYPES,
};
const params = { model: 'claude-sonnet-4-6', max_tokens: 64, messages: [{ role: 'user', content: 'Hi' }] };


describe('checkParams', () => {
  it('gives the params back without stream, as a new object, with the files they name', () => {
    const body = { ...params, stream: true };
    const checked = checkParams(body, 'stream', policy);
    expect(checked).toEqual({ params, fileIds: [] });
    expect(checked.params).not.toBe(body);
    expect(body.stream).toBe(true);
    const withFile = { ...params, messages: [{ role: 'user', content: [{ type: 'document', source: { type: 'file', file_id: 'file_1' } }] }] };
    expect(checkParams(withFile, 'stream', policy).fileIds).toEqual(['file_1']);
  });

  it('checks the params before the model: a refused param wins', () => {
    expect(thrownRefusal(() => checkParams({ ...params, model: 'other', container: 'c' }, 'stream', policy))?.message).toMatch(/param "container"/);
  });

  it('skips the max_tokens cap on the token-count route', () => {
    expect(checkParams({ model: 'claude-sonnet-4-6', messages: [], max_tokens: 500 }, 'countTokens', policy).params).toMatchObject({ max_tokens: 500 });
    expect(thrownRefusal(() => checkParams({ ...params, max_tokens: 500 }, 'create', policy))?.status).toBe(400);
  });

  it('refuses a missing max_tokens itself, rather than forward it for the API to judge; the token count needs none', () => {
    expect(thrownRefusal(() => checkParams({ model: 'claude-sonnet-4-6', messages: [] }, 'create', policy))?.message).toBe(
      'max_tokens must be a whole number of at least 1; got nothing.',
    );
    expect(checkParams({ model: 'claude-sonnet-4-6', messages: [] }, 'countTokens', policy).params).toEqual({ model: 'claude-sonnet-4-6', messages: [] });
  });

  it('clamps into the copy, never the browser’s object', () => {
    const body = { ...params, max_tokens: 1000 };
    expect(checkParams(body, 'create', { ...policy, overMaxTokens: 'clamp' }).params).toMatchObject({ max_tokens: 100 });
    expect(body.max_tokens).toBe(1000);
  });

  it('names a tool without a name by its position, and refuses a tool whose type is not a string', () => {
    expect(thrownRefusal(() => checkParams({ ...params, tools: [{ name: 'ok', input_schema: {} }, { type: 'bash_20250124' }] }, 'create', policy))?.message).toBe(
      'The tool at tools.1 of type "bash_20250124" is not allowed by this proxy; allowed tool types: custom.',
    );
    expect(thrownRefusal(() => checkParams({ ...params, tools: [{ name: 'x', type: null }] }, 'create', policy))?.status).toBe(403);
  });
});
