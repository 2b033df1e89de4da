import * as t from 'io-ts';
import { lastValueFrom, of, toArray } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { createClient, defineTool, finalMessage, toolLoop, turnMessages, type MessageCreateParams } from 'rx-anthropic';
import { createMockServer, fromSSEText, textReply, toolUseReply, type MockServer } from 'rx-anthropic/testing';

const params: MessageCreateParams = { model: 'claude-test', max_tokens: 256, messages: [{ role: 'user', content: 'Weather in Lima?' }] };
const getWeather = defineTool({ name: 'get_weather', description: 'Weather', input: t.type({ city: t.string }), run: ({ city }) => `Sunny in ${city}` });

let server: MockServer;
afterEach(async () => server?.close());

describe('turnMessages', () => {
  it('gives one finished assistant message per turn of a tool loop, as iterating the official runner does', async () => {
    server = await createMockServer([toolUseReply([{ id: 'toolu_1', name: 'get_weather', input: { city: 'Lima' } }], { text: 'Checking. ' }), textReply('Sunny in Lima.')]);
    const events = await lastValueFrom(of(params).pipe(toolLoop(createClient({ baseURL: server.baseURL, apiKey: 'k' }), { tools: [getWeather] }), toArray()));
    const messages = await lastValueFrom(of(...events).pipe(turnMessages(), toArray()));
    expect(messages.map((message) => [message.stop_reason, message.content])).toEqual([
      ['tool_use', [{ type: 'text', text: 'Checking. ' }, { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Lima' } }]],
      ['end_turn', [{ type: 'text', text: 'Sunny in Lima.' }]],
    ]);
    // The last one is the loop's final message.
    expect(messages[1]).toEqual(await lastValueFrom(of(...events).pipe(finalMessage())));
  });

  it('emits each message at its message_stop, before the turn\'s tools run', () => {
    const sse = (id: string, text: string) =>
      [
        `event: message_start\ndata: {"type":"message_start","message":{"id":"${id}","type":"message","role":"assistant","model":"m","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":1,"output_tokens":1}}}\n\n`,
        `event: content_block_start\ndata: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}\n\n`,
        `event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"${text}"}}\n\n`,
        'event: content_block_stop\ndata: {"type":"content_block_stop","index":0}\n\n',
        'event: message_delta\ndata: {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":2}}\n\n',
        'event: message_stop\ndata: {"type":"message_stop"}\n\n',
      ].join('');
    const scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
    scheduler.run(({ expectObservable }) => {
      // One event per frame: the first message stops at frame 5, the second at frame 11.
      const events$ = fromSSEText(sse('msg_1', 'one') + sse('msg_2', 'two'), scheduler);
      expectObservable(events$.pipe(turnMessages())).toBe('-----a-----(b|)', {
        a: expect.objectContaining({ id: 'msg_1', content: [{ type: 'text', text: 'one' }] }),
        b: expect.objectContaining({ id: 'msg_2', content: [{ type: 'text', text: 'two' }] }),
      });
    });
  });
});
