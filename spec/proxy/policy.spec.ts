import { ProxyRefusalError, DEFAULT_ALLOWED_PARAMS, type ProxyParams } from 'rx-anthropic/proxy';
import { textReply } from 'rx-anthropic/testing';
import { HOSTS, params, post, refusalOf, useProxy } from './support/proxyHarness';

const customTool = { name: 'get_weather', description: 'Weather of a city', input_schema: { type: 'object', properties: { city: { type: 'string' } } } };
const webSearch = { type: 'web_search_20250305', name: 'web_search', max_uses: 3 };

/** What a browser may ask of the proxy: each option refuses with the API's error shape, or rewrites. */
describe.each(HOSTS)('the proxy options on %s', (host) => {
  const { start } = useProxy(host);

  describe('allowedModels', () => {
    it('refuses another model with 403 permission_error naming it, and sends nothing upstream', async () => {
      const { proxy, mock } = await start([textReply('never')], { allowedModels: ['claude-haiku-4-5', 'claude-sonnet-4-6'] });
      const { status, body } = await refusalOf(await post(proxy, '/api/messages', { ...params, model: 'claude-opus-4-1' }));
      expect(status).toBe(403);
      expect(body).toEqual({
        type: 'error',
        error: { type: 'permission_error', message: 'The model "claude-opus-4-1" is not allowed by this proxy; allowed: claude-haiku-4-5, claude-sonnet-4-6.' },
      });
      expect(mock.requests).toHaveLength(0);
    });

    it('lets a listed model through, on every route', async () => {
      const { proxy, mock } = await start([textReply('one'), textReply('two')], { allowedModels: ['claude-sonnet-4-6'] });
      expect((await post(proxy, '/api/messages', params)).status).toBe(200);
      expect((await post(proxy, '/api/v1/messages', params)).status).toBe(200);
      expect((await post(proxy, '/api/v1/messages/count_tokens', { model: params.model, messages: params.messages })).status).toBe(200);
      expect((await post(proxy, '/api/v1/messages/count_tokens', { model: 'claude-opus-4-1', messages: params.messages })).status).toBe(403);
      expect(mock.requests).toHaveLength(3);
    });

    it('refuses a request without a model with 400', async () => {
      const { proxy } = await start([], { allowedModels: ['claude-sonnet-4-6'] });
      const { status, body } = await refusalOf(await post(proxy, '/api/messages', { max_tokens: 64, messages: params.messages }));
      expect(status).toBe(400);
      expect(body.error).toEqual({ type: 'invalid_request_error', message: 'The request has no model: `model` must be a string.' });
    });

    it('lets every model through by default', async () => {
      const { proxy } = await start([textReply('ok')]);
      expect((await post(proxy, '/api/v1/messages', { ...params, model: 'any-model' })).status).toBe(200);
    });
  });

  describe('maxTokens', () => {
    it('refuses max_tokens over the cap with 400 invalid_request_error naming the cap (the default)', async () => {
      const { proxy, mock } = await start([textReply('ok')], { maxTokens: 1024 });
      const { status, body } = await refusalOf(await post(proxy, '/api/messages', { ...params, max_tokens: 1025 }));
      expect(status).toBe(400);
      expect(body.error).toEqual({ type: 'invalid_request_error', message: "max_tokens 1025 is over this proxy's cap of 1024: ask for at most 1024." });
      expect(mock.requests).toHaveLength(0);
      expect((await post(proxy, '/api/v1/messages', { ...params, max_tokens: 1024 })).status).toBe(200);
      expect(mock.requests[0]?.body).toMatchObject({ max_tokens: 1024 });
    });

    it("lowers max_tokens to the cap with overMaxTokens: 'clamp'", async () => {
      const { proxy, mock } = await start([textReply('ok'), textReply('ok')], { maxTokens: 100, overMaxTokens: 'clamp' });
      expect((await post(proxy, '/api/v1/messages', { ...params, max_tokens: 4096 })).status).toBe(200);
      expect((await post(proxy, '/api/v1/messages', { ...params, max_tokens: 50 })).status).toBe(200);
      expect(mock.requests.map((request) => (request.body as { max_tokens: number }).max_tokens)).toEqual([100, 50]);
    });

    it('refuses a max_tokens that is not a whole positive number', async () => {
      const { proxy } = await start([], { maxTokens: 100, overMaxTokens: 'clamp' });
      for (const maxTokens of ['50', 0, 1.5, null]) {
        const { status, body } = await refusalOf(await post(proxy, '/api/messages', { ...params, max_tokens: maxTokens }));
        expect(status).toBe(400);
        expect(body.error.message).toBe(`max_tokens must be a whole number of at least 1; got ${JSON.stringify(maxTokens)}.`);
      }
    });
  });

  describe('allowedParams', () => {
    it.each(['mcp_servers', 'container', 'metadata', 'service_tier', 'speed', 'inference_geo', 'context_management', 'unknown_param'])(
      'refuses %s by default with 403 naming it',
      async (name) => {
        const { proxy, mock } = await start([textReply('never')]);
        const { status, body } = await refusalOf(await post(proxy, '/api/messages', { ...params, [name]: null }));
        expect(status).toBe(403);
        expect(body.error.type).toBe('permission_error');
        expect(body.error.message).toBe(`This proxy does not pass the param "${name}"; allowed: ${DEFAULT_ALLOWED_PARAMS.join(', ')}.`);
        expect(mock.requests).toHaveLength(0);
      },
    );

    it('names every refused param at once', async () => {
      const { proxy } = await start([]);
      const { body } = await refusalOf(await post(proxy, '/api/messages', { ...params, metadata: { user_id: 'x' }, container: 'c_1' }));
      expect(body.error.message).toMatch(/^This proxy does not pass the params "metadata", "container"; allowed: /);
    });

    it('passes the default params upstream unchanged', async () => {
      const { proxy, mock } = await start([textReply('ok')]);
      const full = {
        ...params,
        system: 'Be brief.',
        temperature: 0.5,
        top_p: 0.9,
        top_k: 40,
        stop_sequences: ['END'],
        tools: [customTool],
        tool_choice: { type: 'auto' },
        thinking: { type: 'disabled' },
        output_config: { effort: 'low' },
        cache_control: { type: 'ephemeral' },
      };
      expect((await post(proxy, '/api/v1/messages', full)).status).toBe(200);
      expect(mock.requests[0]?.body).toEqual({ ...full, stream: false });
    });

    it('passes what a custom list allows, and refuses what it leaves out', async () => {
      const { proxy, mock } = await start([textReply('ok')], { allowedParams: ['model', 'max_tokens', 'messages', 'metadata'] });
      expect((await post(proxy, '/api/v1/messages', { ...params, metadata: { user_id: 'u1' } })).status).toBe(200);
      expect(mock.requests[0]?.body).toMatchObject({ metadata: { user_id: 'u1' } });
      const { status, body } = await refusalOf(await post(proxy, '/api/v1/messages', { ...params, system: 'x' }));
      expect(status).toBe(403);
      expect(body.error.message).toBe('This proxy does not pass the param "system"; allowed: model, max_tokens, messages, metadata.');
    });
  });

  describe('allowedToolTypes', () => {
    it('passes custom tools, with or without type: custom', async () => {
      const { proxy, mock } = await start([textReply('ok')]);
      const tools = [customTool, { ...customTool, name: 'other', type: 'custom' }];
      expect((await post(proxy, '/api/v1/messages', { ...params, tools })).status).toBe(200);
      expect(mock.requests[0]?.body).toMatchObject({ tools });
    });

    it('refuses a server tool by default with 403 naming it', async () => {
      const { proxy, mock } = await start([textReply('never')]);
      const { status, body } = await refusalOf(await post(proxy, '/api/messages', { ...params, tools: [customTool, webSearch] }));
      expect(status).toBe(403);
      expect(body.error).toEqual({
        type: 'permission_error',
        message: 'The tool "web_search" of type "web_search_20250305" is not allowed by this proxy; allowed tool types: custom.',
      });
      expect(mock.requests).toHaveLength(0);
    });

    it('passes a server tool the list names', async () => {
      const { proxy } = await start([textReply('ok')], { allowedToolTypes: ['custom', 'web_search_20250305'] });
      expect((await post(proxy, '/api/v1/messages', { ...params, tools: [customTool, webSearch] })).status).toBe(200);
    });
  });

  describe('allowedBetas', () => {
    it('refuses an anthropic-beta header by default with 403 naming the betas', async () => {
      const { proxy, mock } = await start([textReply('never')]);
      const response = await post(proxy, '/api/messages', params, { 'anthropic-beta': 'mcp-client-2025-04-04, files-api-2025-04-14' });
      const { status, body } = await refusalOf(response);
      expect(status).toBe(403);
      expect(body.error).toEqual({
        type: 'permission_error',
        message: 'This proxy does not pass the betas "mcp-client-2025-04-04", "files-api-2025-04-14" (anthropic-beta header; allowed: none).',
      });
      expect(mock.requests).toHaveLength(0);
    });

    it('passes the allowed betas upstream', async () => {
      const { proxy, mock } = await start([textReply('ok')], { allowedBetas: ['files-api-2025-04-14'] });
      expect((await post(proxy, '/api/v1/messages', params, { 'anthropic-beta': 'files-api-2025-04-14' })).status).toBe(200);
      expect(mock.requests[0]?.headers['anthropic-beta']).toBe('files-api-2025-04-14');
    });
  });

  describe('prepare', () => {
    it('rewrites the checked params: what it adds is not checked again', async () => {
      const { proxy, mock } = await start([textReply('ok')], {
        allowedModels: ['claude-sonnet-4-6'],
        prepare: (checked, { request, route }) => ({
          ...checked,
          system: `route ${route}`,
          metadata: { user_id: String(request.headers['x-user']) },
        }),
      });
      expect((await post(proxy, '/api/v1/messages', params, { 'x-user': 'user-42' })).status).toBe(200);
      expect(mock.requests[0]?.body).toEqual({ ...params, system: 'route create', metadata: { user_id: 'user-42' }, stream: false });
    });

    it('sees the route and never the browser’s stream flag', async () => {
      const seen: [string, ProxyParams][] = [];
      const { proxy } = await start([textReply('a'), textReply('b')], {
        prepare: async (checked, { route }) => {
          seen.push([route, checked]);
          return checked;
        },
      });
      await (await post(proxy, '/api/messages', params)).text();
      await (await post(proxy, '/api/v1/messages', { ...params, stream: true })).text();
      await (await post(proxy, '/api/v1/messages/count_tokens', { model: params.model, messages: params.messages })).text();
      expect(seen).toEqual([
        ['stream', params],
        ['stream', params],
        ['countTokens', { model: params.model, messages: params.messages }],
      ]);
    });

    it('refuses with the status of the ProxyRefusalError it throws', async () => {
      const { proxy, mock } = await start([textReply('never')], {
        prepare: () => {
          throw new ProxyRefusalError(429, 'You have used your 20 messages for today.');
        },
      });
      const { status, body } = await refusalOf(await post(proxy, '/api/messages', params));
      expect(status).toBe(429);
      expect(body).toEqual({ type: 'error', error: { type: 'rate_limit_error', message: 'You have used your 20 messages for today.' } });
      expect(mock.requests).toHaveLength(0);
    });

    it('answers 500 without details when it throws anything else, and reports the error', async () => {
      const reported: unknown[] = [];
      const { proxy, mock } = await start([textReply('never')], {
        prepare: () => {
          throw new Error('database password is hunter2');
        },
        onError: (error) => reported.push(error),
      });
      const response = await post(proxy, '/api/messages', params);
      expect(response.status).toBe(500);
      const text = await response.text();
      expect(text).not.toContain('hunter2');
      expect(JSON.parse(text)).toEqual({ type: 'error', error: { type: 'api_error', message: 'The proxy failed to handle the request: an error on the server.' } });
      expect(reported).toEqual([new Error('database password is hunter2')]);
      expect(mock.requests).toHaveLength(0);
    });
  });
});
