import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { lastValueFrom, toArray } from 'rxjs';
import { createClient } from 'rx-anthropic';
import { createMockServer, textReply, type MockServer } from 'rx-anthropic/testing';
import { eventSwitch } from '../../examples/eventSwitch';
import { hello } from '../../examples/hello';
import { weather, weatherScript } from '../../examples/weather';

let server: MockServer;
afterEach(async () => server?.close());

describe('examples', () => {
  it('hello streams the reply as text fragments', async () => {
    server = await createMockServer([textReply('Hello there!', { chunkSize: 4 })]);
    const parts = await lastValueFrom(hello(createClient({ baseURL: server.baseURL, apiKey: 'k' })).pipe(toArray()));
    expect(parts).toEqual(['Hell', 'o th', 'ere!']);
    expect(server.requests[0]?.body).toMatchObject({ messages: [{ role: 'user', content: 'Say hello there!' }], stream: true });
  });

  it('eventSwitch prints text, each finished block and the final message', async () => {
    server = await createMockServer([textReply('Blue, grey, orange.', { chunkSize: 10, id: 'msg_1', model: 'claude-test' })]);
    const lines = await lastValueFrom(eventSwitch(createClient({ baseURL: server.baseURL, apiKey: 'k' })).pipe(toArray()));
    const printed = lines.join('');
    expect(printed).toContain('Blue, grey, orange.\n[content_block_stop: text]\nfinal message: {"id":"msg_1"');
    const json = printed.slice(printed.indexOf('final message: ') + 'final message: '.length);
    expect(JSON.parse(json)).toMatchObject({ id: 'msg_1', content: [{ type: 'text', text: 'Blue, grey, orange.' }], stop_reason: 'end_turn' });
  });

  it('weather runs the tool loop: text, the tool result, the answer, the end', async () => {
    server = await createMockServer(weatherScript);
    const printed = (await lastValueFrom(weather(createClient({ baseURL: server.baseURL, apiKey: 'k' })).pipe(toArray()))).join('');
    expect(printed).toBe(
      'Let me check the weather. \n[tool_result get_weather: "Paris: 18°C, sunny"]\nIt is 18°C and sunny in Paris.\n[tool_loop_end: end_turn after 2 requests, 4 messages]\n',
    );
    const sentTools = (server.requests[0]?.body as { tools: unknown[] }).tools;
    expect(sentTools).toEqual([
      {
        name: 'get_weather',
        description: 'The current weather in a city',
        input_schema: {
          type: 'object',
          properties: {
            city: { type: 'string', description: 'The city, e.g. Paris' },
            units: { type: 'string', enum: ['celsius', 'fahrenheit'], description: 'Temperature units' },
          },
          required: ['city', 'units'],
        },
      },
    ]);
  });

  it('npm start runs offline against the mock server when no API key is set', () => {
    const env = { ...process.env };
    delete env['ANTHROPIC_API_KEY'];
    const root = resolve(__dirname, '../..');
    const output = execFileSync(process.execPath, [resolve(root, 'node_modules/tsx/dist/cli.mjs'), 'examples/demo.ts'], { cwd: root, env, encoding: 'utf8', timeout: 30_000 });
    expect(output).toContain('offline: ANTHROPIC_API_KEY is not set');
    expect(output).toContain('== hello: textDeltas()');
    expect(output).toContain('Say hello there!');
    expect(output).toContain('[content_block_stop: text]');
    expect(output).toMatch(/final message: \{"id":"msg_mock_\d+"/);
    expect(output).toContain('[tool_result get_weather: "Paris: 18°C, sunny"]');
  });
});
