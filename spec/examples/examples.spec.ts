import { resolve } from 'node:path';
import { lastValueFrom, toArray } from 'rxjs';
import { createClient } from 'rx-anthropic';
import { createMockServer, textReply, type MockServer } from 'rx-anthropic/testing';
import { eventSwitch } from '../../examples/eventSwitch';
import { hello } from '../../examples/hello';
import { weather, weatherScript } from '../../examples/weather';
import { approval, approvalScript, pretendUser } from '../../examples/approval';
import { steering, steeringScript } from '../../examples/steering';
import { pauseTurn, pauseTurnScript } from '../../examples/pauseTurn';
import { contactFormat, structuredOutput, structuredOutputScript } from '../../examples/structuredOutput';
import { outputOf, runCommandSync } from '../support/runCommand';

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

  it('approval asks before each deletion, runs the allowed one, and tells the model why the other was not run', async () => {
    server = await createMockServer(approvalScript);
    const printed = (await lastValueFrom(approval(createClient({ baseURL: server.baseURL, apiKey: 'k' }), pretendUser).pipe(toArray()))).join('');
    expect(printed).toBe(
      [
        'Let me look at the workspace. ',
        '[tool_result list_files: "[\\"draft.md\\",\\"notes.md\\",\\"todo.txt\\"]"]',
        'I will delete the two drafts. ',
        '[Allow / Deny? delete_file {"path":"draft.md"}]',
        '[Allow / Deny? delete_file {"path":"notes.md"}]',
        '[tool_result delete_file (is_error): "Error: Tool \'delete_file\' was not approved: The user wants to keep this file."]',
        '[tool_result delete_file: "deleted draft.md"]',
        'I deleted draft.md and kept notes.md, as you asked.',
        '[tool_loop_end: end_turn after 3 requests]',
        '',
      ].join('\n'),
    );
    expect((server.requests[2]?.body as { messages: unknown[] }).messages.at(-1)).toEqual({
      role: 'user',
      content: [
        { type: 'tool_result', tool_use_id: 'toolu_draft', content: 'deleted draft.md' },
        { type: 'tool_result', tool_use_id: 'toolu_notes', content: "Error: Tool 'delete_file' was not approved: The user wants to keep this file.", is_error: true },
      ],
    });
  });

  it('steering switches model and withdraws a tool after two turns, and stops once final_answer has run', async () => {
    server = await createMockServer(steeringScript);
    const printed = (await lastValueFrom(steering(createClient({ baseURL: server.baseURL, apiKey: 'k' })).pipe(toArray()))).join('');
    expect(printed).toBe(
      [
        'turn 1 · claude-sonnet-4-6 · tool_use: search_notes {"query":"rxjs"}',
        '  search_notes → "RxJS: cold Observables start work on subscribe."',
        'turn 2 · claude-sonnet-4-6 · tool_use: search_notes {"query":"operators"}',
        '  search_notes → "Operators are functions from Observable to Observable."',
        'turn 3 · claude-haiku-4-5 · tool_use: final_answer {"answer":"Observables are lazy; operators transform them."}',
        '  final_answer → "Observables are lazy; operators transform them."',
        'end: stop_when after 3 requests, 374 tokens in, 30 out; 8 messages',
        '',
      ].join('\n'),
    );
    const bodies = server.requests.map((request) => request.body as { model: string; max_tokens: number; messages: { role: string; content: unknown }[] });
    expect(bodies.map((body) => [body.model, body.max_tokens])).toEqual([
      ['claude-sonnet-4-6', 1024],
      ['claude-sonnet-4-6', 1024],
      ['claude-haiku-4-5', 256],
    ]);
    expect(bodies[2]?.messages.at(-1)).toEqual({ role: 'system', content: [{ type: 'tool_removal', tool: { type: 'tool_reference', name: 'search_notes' } }] });
  });

  it('pauseTurn sends the paused web-search turn back and prints the finished answer', async () => {
    server = await createMockServer(pauseTurnScript);
    const printed = (await lastValueFrom(pauseTurn(createClient({ baseURL: server.baseURL, apiKey: 'k' })).pipe(toArray()))).join('');
    expect(printed).toBe(
      [
        "Let me search for today's weather in Lisbon.",
        '[pause_turn: text, server_tool_use, web_search_tool_result]',
        'It is sunny in Lisbon today, with a high of 24°C.',
        '[end_turn: text]',
        '[tool_loop_end: end_turn after 2 requests]',
        '',
      ].join('\n'),
    );
    expect((server.requests[1]?.body as { messages: { role: string }[] }).messages.map((message) => message.role)).toEqual(['user', 'assistant']);
  });

  it('structuredOutput prints the contact as it fills in, then the value the codec checked, from one request', async () => {
    server = await createMockServer(structuredOutputScript);
    const printed = (await lastValueFrom(structuredOutput(createClient({ baseURL: server.baseURL, apiKey: 'k' })).pipe(toArray()))).join('');
    const lines = printed.trimEnd().split('\n');
    expect(lines[0]).toBe('partial  {"name":"Ada Byron"}');
    expect(lines.at(-2)).toBe(
      'partial  {"name":"Ada Byron","company":"Analytical Engines Ltd","email":"ada@engines.example","phone":"+44 20 7946 0018","topics":["punch-card pricing","support plan"]}',
    );
    expect(lines.at(-1)).toBe('final    Ada Byron <ada@engines.example>, 2 topics');
    expect(lines.filter((line) => line.startsWith('partial'))).toHaveLength(7);
    expect(server.requests).toHaveLength(1);
    expect((server.requests[0]?.body as { output_config: unknown }).output_config).toEqual({ format: { type: 'json_schema', schema: contactFormat.schema } });
  });

  it('npm start runs offline against the mock server when no API key is set', () => {
    const env = { ...process.env };
    delete env['ANTHROPIC_API_KEY'];
    const root = resolve(__dirname, '../..');
    const output = outputOf(runCommandSync(process.execPath, [resolve(root, 'node_modules/tsx/dist/cli.mjs'), 'examples/demo.ts'], { cwd: root, env, timeoutMs: 30_000 }));
    expect(output).toContain('offline: ANTHROPIC_API_KEY is not set');
    expect(output).toContain('== hello: textDeltas()');
    expect(output).toContain('Say hello there!');
    expect(output).toContain('[content_block_stop: text]');
    expect(output).toMatch(/final message: \{"id":"msg_mock_\d+"/);
    expect(output).toContain('[tool_result get_weather: "Paris: 18°C, sunny"]');
    expect(output).toContain('== structured output: partialOutput() and finalOutput()');
    expect(output).toContain('final    Ada Byron <ada@engines.example>, 2 topics');
  });
});
