import * as t from 'io-ts';
import { firstValueFrom, lastValueFrom, materialize, toArray } from 'rxjs';

import {
  createClient,
  InvalidArgumentError,
  OutputParseError,
  OutputValidationError,
  outputFormat,
  type MessageCreateParams,
  type ParsedMessage,
  type ParsedTextBlock,
} from 'rx-anthropic';
import { createMockServer, textReply, toolUseReply, type MockServer } from 'rx-anthropic/testing';

const Order = t.type({ order_ids: t.array(t.number), urgent: t.boolean });
const format = outputFormat(Order);
const base: MessageCreateParams = { model: 'claude-sonnet-4-6', max_tokens: 256, messages: [{ role: 'user', content: 'Extract the orders' }] };
const request = { ...base, output_config: { format } };

let server: MockServer;
afterEach(async () => server?.close());
const clientFor = (s: MockServer) => createClient({ baseURL: s.baseURL, apiKey: 'k', maxRetries: 0 });

describe('client.messages.parse()', () => {
  it('sends the format as { type, schema } (accepted by the mock\'s request checks) and emits the message with parsed_output, typed by the codec', async () => {
    server = await createMockServer([textReply('{"order_ids": [12345, 67890], "urgent": false}')]);
    const message = await firstValueFrom(clientFor(server).messages.parse(request));
    const typed: ParsedMessage<{ order_ids: number[]; urgent: boolean }> = message;
    expect(typed.parsed_output).toEqual({ order_ids: [12345, 67890], urgent: false });
    expect(server.requests[0]?.refusal).toBeUndefined();
    expect(server.requests[0]?.body).toEqual({ ...base, output_config: { format: { type: 'json_schema', schema: format.schema } } });
    expect((server.requests[0]?.body as { stream?: unknown }).stream).toBeUndefined();
  });

  it('puts parsed_output on the text block too, not enumerable, so the content can be sent back as it is', async () => {
    server = await createMockServer([textReply('{"order_ids": [], "urgent": true}')]);
    const message = await firstValueFrom(clientFor(server).messages.parse(request));
    const block = message.content[0] as ParsedTextBlock<t.TypeOf<typeof Order>>;
    expect(block.parsed_output).toEqual({ order_ids: [], urgent: true });
    expect(Object.keys(block)).toEqual(['type', 'text']);
    expect(JSON.parse(JSON.stringify(message.content))).toEqual([{ type: 'text', text: '{"order_ids": [], "urgent": true}' }]);
  });

  it('is cold: nothing is sent before subscribe, and each subscription sends its own request', async () => {
    server = await createMockServer([textReply('{"order_ids": [1], "urgent": true}'), textReply('{"order_ids": [2], "urgent": true}')]);
    const parsed$ = clientFor(server).messages.parse(request);
    expect(server.requests).toHaveLength(0);
    expect((await firstValueFrom(parsed$)).parsed_output?.order_ids).toEqual([1]);
    expect((await firstValueFrom(parsed$)).parsed_output?.order_ids).toEqual([2]);
  });

  it('fails with OutputValidationError or OutputParseError when a finished answer is not what the codec accepts', async () => {
    server = await createMockServer([textReply('{"order_ids": ["1"], "urgent": true}'), textReply('Sorry, no JSON here')]);
    const client = clientFor(server);
    const invalid = await lastValueFrom(client.messages.parse(request).pipe(materialize(), toArray()));
    expect(invalid[0]?.error).toBeInstanceOf(OutputValidationError);
    expect((invalid[0]?.error as OutputValidationError).paths).toEqual(['order_ids.0']);
    const notJson = await lastValueFrom(client.messages.parse(request).pipe(materialize(), toArray()));
    expect(notJson[0]?.error).toBeInstanceOf(OutputParseError);
    expect((notJson[0]?.error as OutputParseError).raw).toBe('Sorry, no JSON here');
  });

  it('gives parsed_output null, with the stop_reason saying why, for a refusal, a max_tokens cut and a tool-use turn', async () => {
    server = await createMockServer([
      textReply('{"order_ids": [1', { stopReason: 'max_tokens' }),
      textReply('', { stopReason: 'refusal' }),
      toolUseReply([{ name: 'lookup', input: { q: 'orders' } }]),
    ]);
    const client = clientFor(server);
    const cut = await firstValueFrom(client.messages.parse(request));
    expect([cut.stop_reason, cut.parsed_output]).toEqual(['max_tokens', null]);
    const refused = await firstValueFrom(client.messages.parse(request));
    expect([refused.stop_reason, refused.parsed_output]).toEqual(['refusal', null]);
    const tool = await firstValueFrom(client.messages.parse(request));
    expect([tool.stop_reason, tool.parsed_output]).toEqual(['tool_use', null]);
  });

  it('only JSON-parses the answer for a plain JSON Schema format, and gives null without a format', async () => {
    server = await createMockServer([textReply('[12345,67890]'), textReply('plain text')]);
    const client = clientFor(server);
    const plain = await firstValueFrom(client.messages.parse({ ...base, output_config: { format: { type: 'json_schema', schema: { type: 'array', items: { type: 'integer' } } } } }));
    const value: unknown = plain.parsed_output;
    expect(value).toEqual([12345, 67890]);
    const none = await firstValueFrom(client.messages.parse({ model: 'claude-sonnet-4-6', max_tokens: 256, messages: [{ role: 'user', content: 'Hi' }] }));
    const nothing: null = none.parsed_output;
    expect(nothing).toBeNull();
  });

  it('refuses params with stream: true at subscribe, sending nothing', async () => {
    server = await createMockServer([]);
    const notifications = await lastValueFrom(clientFor(server).messages.parse({ ...request, stream: true } as never).pipe(materialize(), toArray()));
    expect(notifications[0]?.error).toBeInstanceOf(InvalidArgumentError);
    expect((notifications[0]?.error as Error).message).toMatch(/^client\.messages\.parse\(\) does not stream/);
    expect(server.requests).toHaveLength(0);
  });
});
