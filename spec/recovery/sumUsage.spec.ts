import { sumUsage } from '../../lib/recovery/sumUsage';

describe('sumUsage', () => {
  it('adds numbers, keeps a number beside null or nothing, sums objects of counts, joins lists, takes the later of anything else', () => {
    const first = { input_tokens: 10, output_tokens: 1, cache_read_input_tokens: null, cache_creation: { ephemeral_5m_input_tokens: 2 }, iterations: [{ n: 1 }], service_tier: 'standard' };
    const second = { input_tokens: 12, output_tokens: 30, cache_read_input_tokens: 4, cache_creation: { ephemeral_5m_input_tokens: 3, ephemeral_1h_input_tokens: 1 }, iterations: [{ n: 2 }], service_tier: 'priority', speed: null };
    expect(sumUsage(first, second)).toEqual({
      input_tokens: 22,
      output_tokens: 31,
      cache_read_input_tokens: 4,
      cache_creation: { ephemeral_5m_input_tokens: 5, ephemeral_1h_input_tokens: 1 },
      iterations: [{ n: 1 }, { n: 2 }],
      service_tier: 'priority',
      speed: null,
    });
  });

  it('changes neither argument', () => {
    const first = Object.freeze({ input_tokens: 1, server_tool_use: Object.freeze({ web_search_requests: 1 }) });
    const second = Object.freeze({ input_tokens: 2, server_tool_use: Object.freeze({ web_search_requests: 2 }) });
    expect(sumUsage(first, second)).toEqual({ input_tokens: 3, server_tool_use: { web_search_requests: 3 } });
    expect(first).toEqual({ input_tokens: 1, server_tool_use: { web_search_requests: 1 } });
  });
});
