import { isAnthropicAPI } from '../../lib/client/isAnthropicAPI';

describe('isAnthropicAPI', () => {
  it.each([['https://api.anthropic.com'], ['https://api.anthropic.com/'], ['HTTPS://API.ANTHROPIC.COM'], ['https://api.anthropic.com:443/v1'], ['http://api.anthropic.com'], ['https://api.anthropic.com./']])(
    '%s is the API',
    (baseURL) => expect(isAnthropicAPI(baseURL)).toBe(true),
  );

  it.each([['http://127.0.0.1:4010'], ['https://relay.example.com/anthropic'], ['https://api.anthropic.com.example.com'], ['https://example.com/api.anthropic.com'], ['not a url']])(
    '%s is not',
    (baseURL) => expect(isAnthropicAPI(baseURL)).toBe(false),
  );
});
