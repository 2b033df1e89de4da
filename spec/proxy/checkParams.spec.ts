import { DEFAULT_ALLOWED_PARAMS, DEFAULT_ALLOWED_TOOL_TYPES, ProxyRefusalError } from 'rx-anthropic/proxy';
import { checkParams, type ParamsPolicy } from '../../lib/proxy/checkParams';

const policy: ParamsPolicy = {
  allowedParams: DEFAULT_ALLOWED_PARAMS,
  allowedModels: ['claude-sonnet-4-5'],
  maxTokens: 100,
  overMaxTokens: 'refuse',
  allowedToolTypes: DEFAULT_ALLOWED_TOOL_TYPES,
};
const params = { model: 'claude-sonnet-4-5', max_tokens: 64, messages: [{ role: 'user', content: 'Hi' }] };

/** The refusal `checkParams` throws, or `undefined`. */
function refusalOf(run: () => unknown): ProxyRefusalError | undefined {
  try {
    run();
    return undefined;
  } catch (error) {
    if (error instanceof ProxyRefusalError) return error;
    throw error;
  }
}

describe('checkParams', () => {
  it('gives the params back without stream, as a new object', () => {
    const body = { ...params, stream: true };
    const checked = checkParams(body, 'stream', policy);
    expect(checked).toEqual(params);
    expect(checked).not.toBe(body);
    expect(body.stream).toBe(true);
  });

  it('checks the params before the model: a refused param wins', () => {
    expect(refusalOf(() => checkParams({ ...params, model: 'other', container: 'c' }, 'stream', policy))?.message).toMatch(/param "container"/);
  });

  it('skips the max_tokens cap on the token-count route', () => {
    expect(checkParams({ model: 'claude-sonnet-4-5', messages: [], max_tokens: 500 }, 'countTokens', policy)).toMatchObject({ max_tokens: 500 });
    expect(refusalOf(() => checkParams({ ...params, max_tokens: 500 }, 'create', policy))?.status).toBe(400);
  });

  it('leaves a missing max_tokens for the API to refuse', () => {
    expect(checkParams({ model: 'claude-sonnet-4-5', messages: [] }, 'create', policy)).toEqual({ model: 'claude-sonnet-4-5', messages: [] });
  });

  it('clamps into the copy, never the browser’s object', () => {
    const body = { ...params, max_tokens: 1000 };
    expect(checkParams(body, 'create', { ...policy, overMaxTokens: 'clamp' })).toMatchObject({ max_tokens: 100 });
    expect(body.max_tokens).toBe(1000);
  });

  it('names a tool without a name by its position, and refuses a tool whose type is not a string', () => {
    expect(refusalOf(() => checkParams({ ...params, tools: [{ name: 'ok', input_schema: {} }, { type: 'bash_20250124' }] }, 'create', policy))?.message).toBe(
      'The tool at tools.1 of type "bash_20250124" is not allowed by this proxy; allowed tool types: custom.',
    );
    expect(refusalOf(() => checkParams({ ...params, tools: [{ name: 'x', type: null }] }, 'create', policy))?.status).toBe(403);
  });
});
