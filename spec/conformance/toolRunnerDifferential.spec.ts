import Anthropic from '@anthropic-ai/sdk';
import { ToolError as OfficialToolError } from '@anthropic-ai/sdk/resources/beta/messages';
import fc from 'fast-check';
import * as t from 'io-ts';
import { lastValueFrom, of, toArray } from 'rxjs';
import {
  createClient,
  defineTool,
  ToolError,
  toolLoop,
  turnMessages,
  type InputMessage,
  type LoopTool,
  type MessageCreateParams,
  type ToolLoopEndEvent,
  type ToolLoopOptions,
} from 'rx-anthropic';
import { createMockServer, messageReply, textReply, type MockContentBlock, type MockTurn } from 'rx-anthropic/testing';

/**
 * Differential tests of `toolLoop` against the official TypeScript SDK's tool runner
 * (`client.beta.messages.toolRunner`, a devDependency) on the same scripted mock server: generated
 * conversations (several tools per turn, failing and unknown tools, tools withdrawn and offered
 * back, containers, `max_iterations`, refusals, server tools and paused turns) must give the
 * same requests, byte for byte once parsed, the same message per turn and the same final message.
 *
 * The official runner is run with `stream: true` (so both stream) and `thread: false` (so it sends
 * the whole history, as the loop does). Its tools take their input as it is (`parse` is the
 * identity), and the loop's tools' codecs accept any object, so both run the same functions.
 *
 * Deliberate differences (docs/tools.md, "Where the loop differs from the official runners"), each
 * asserted below rather than generated:
 * 1. A container id the server reports after another one it reported earlier: the loop sends the
 *    newer one (the official TypeScript tests expect this too), the installed runner keeps the first.
 * 2. `maxIterations` defaults to 10; the official runner has no default bound.
 * 3. Tool changes from `prepareTurn` apply from the next request on: a call in the turn just
 *    answered has run already. The official `removeTools()`, called while a reply is handled,
 *    also stops the calls of that reply.
 */
interface Call {
  readonly name: 'get_weather' | 'calculate' | 'chart' | 'teleport';
  readonly input: Record<string, unknown>;
}
type Turn =
  | { readonly kind: 'tools'; readonly calls: readonly Call[]; readonly text: boolean; readonly container: boolean }
  | { readonly kind: 'server'; readonly paused: boolean }
  | { readonly kind: 'refusal' };
interface Scenario {
  readonly turns: readonly Turn[];
  readonly container: 'none' | 'string' | 'skills' | 'id and skills';
  readonly maxIterations: number;
  readonly withdrawn: 'none' | 'get_weather' | 'get_weather, then offered back';
}

// ---------------------------------------------------------------------------------------------
// The same tools on both sides

const schemas = {
  get_weather: { type: 'object' as const, properties: { city: { type: 'string' } }, required: ['city'] },
  calculate: { type: 'object' as const, properties: { a: { type: 'number' }, b: { type: 'number' }, op: { type: 'string' } } },
  chart: { type: 'object' as const, properties: {} },
};
const weather = (input: Record<string, unknown>) => `Sunny in ${String(input['city'])}`;
const calculate = (input: Record<string, unknown>) => {
  if (input['op'] === 'add') return String(Number(input['a']) + Number(input['b']));
  throw new Error(`Unknown operation: ${String(input['op'])}`);
};
const chartFailure = [{ type: 'text' as const, text: 'No data for that chart.' }];
const webSearch = { type: 'web_search_20250305', name: 'web_search' };

const ours: LoopTool[] = [
  defineTool({ name: 'get_weather', description: 'The weather in a city', input: t.UnknownRecord, inputSchema: schemas.get_weather, run: weather }),
  defineTool({ name: 'calculate', description: 'Adds', input: t.UnknownRecord, inputSchema: schemas.calculate, run: calculate }),
  defineTool({
    name: 'chart',
    description: 'A chart',
    input: t.UnknownRecord,
    inputSchema: schemas.chart,
    run: () => {
      throw new ToolError(chartFailure);
    },
  }),
  webSearch,
];
const official = [
  { name: 'get_weather', description: 'The weather in a city', input_schema: schemas.get_weather, run: weather, parse: (input: unknown) => input as Record<string, unknown> },
  { name: 'calculate', description: 'Adds', input_schema: schemas.calculate, run: calculate, parse: (input: unknown) => input as Record<string, unknown> },
  {
    name: 'chart',
    description: 'A chart',
    input_schema: schemas.chart,
    run: () => {
      throw new OfficialToolError(chartFailure);
    },
    parse: (input: unknown) => input as Record<string, unknown>,
  },
  webSearch,
];

// ---------------------------------------------------------------------------------------------
// Scenarios and the script the mock server plays for them

const params: MessageCreateParams = { model: 'claude-test', max_tokens: 512, messages: [{ role: 'user', content: 'Weather, sums and charts, please.' }] };
const CONTAINER = { id: 'container_gen_1', expires_at: '2030-01-01T00:00:00Z' };
const skills = [{ type: 'anthropic', skill_id: 'xlsx', version: 'latest' }];
const withdraw: InputMessage = { role: 'system', content: [{ type: 'tool_removal', tool: { type: 'tool_reference', name: 'get_weather' } }] };
const offerBack: InputMessage[] = [
  { role: 'assistant', content: 'Noted.' },
  { role: 'user', content: 'You may check the weather again.' },
  { role: 'system', content: [{ type: 'tool_addition', tool: { type: 'tool_reference', name: 'get_weather' } }] },
];

function paramsOf(scenario: Scenario): MessageCreateParams {
  const container = { none: undefined, string: 'container_caller', skills: { skills }, 'id and skills': { id: 'container_caller', skills } }[scenario.container];
  const messages: InputMessage[] = [...params.messages];
  if (scenario.withdrawn !== 'none') messages.push(withdraw);
  if (scenario.withdrawn === 'get_weather, then offered back') messages.push(...offerBack);
  return { ...params, messages, ...(container === undefined ? {} : { container }) };
}

function scriptOf(scenario: Scenario): MockTurn[] {
  const turns = scenario.turns.map((turn, index): MockTurn => {
    switch (turn.kind) {
      case 'tools': {
        const content: MockContentBlock[] = turn.text ? [{ type: 'text', text: `Turn ${index}: let me check.` }] : [];
        turn.calls.forEach((call, i) => content.push({ type: 'tool_use', id: `toolu_${index}_${i}`, name: call.name, input: call.input }));
        return messageReply({ content, stop_reason: 'tool_use', ...(turn.container ? { container: CONTAINER } : {}) });
      }
      case 'server':
        return messageReply({
          content: [
            { type: 'server_tool_use', id: `srvtoolu_${index}`, name: 'web_search', input: { query: `query ${index}` } },
            { type: 'web_search_tool_result', tool_use_id: `srvtoolu_${index}`, content: [{ type: 'web_search_result', title: 'Result', url: 'https://example.com/r', encrypted_content: 'e', page_age: null }] },
            ...(turn.paused ? [] : [{ type: 'text', text: `Found it (turn ${index}).` }]),
          ],
          stop_reason: turn.paused ? 'pause_turn' : 'end_turn',
        });
      case 'refusal':
        return messageReply({ content: [{ type: 'tool_use', id: `toolu_${index}_r`, name: 'get_weather', input: { city: 'Oslo' } }], stop_reason: 'refusal' });
    }
  });
  return [...turns, textReply('Done.'), textReply('Never asked for.')];
}

// ---------------------------------------------------------------------------------------------
// The two sides

interface Side {
  requests: unknown[];
  messages: unknown[];
  final?: unknown;
  error?: string;
}

/** JSON as it went over the wire, without what one side's accumulator adds for its own helpers. */
const plain = (value: unknown): unknown => JSON.parse(JSON.stringify(value, (key, v: unknown) => (key === 'parsed_output' ? undefined : v))) as unknown;

async function runOfficial(script: MockTurn[], runnerParams: MessageCreateParams, maxIterations: number | undefined, during?: (runner: { removeTools(...names: string[]): void }, turn: number) => void): Promise<Side> {
  const server = await createMockServer(script);
  const side: Side = { requests: [], messages: [] };
  try {
    const client = new Anthropic({ apiKey: 'k', baseURL: server.baseURL, maxRetries: 0, logLevel: 'off' });
    const runner = client.beta.messages.toolRunner({
      ...(runnerParams as object),
      tools: official,
      stream: true,
      thread: false,
      ...(maxIterations === undefined ? {} : { max_iterations: maxIterations }),
    } as never);
    try {
      let turn = 0;
      for await (const stream of runner as unknown as AsyncIterable<{ finalMessage(): Promise<unknown> }>) {
        side.messages.push(plain(await stream.finalMessage()));
        during?.(runner as never, turn++);
      }
      side.final = plain(await (runner as unknown as { done(): Promise<unknown> }).done());
    } catch (error) {
      side.error = (error as Error).message;
    }
    side.requests = server.requests.map((request) => request.body);
    return side;
  } finally {
    await server.close();
  }
}

async function runOurs(script: MockTurn[], loopParams: MessageCreateParams, options: Partial<ToolLoopOptions>): Promise<Side & { end?: ToolLoopEndEvent }> {
  const server = await createMockServer(script);
  const side: Side & { end?: ToolLoopEndEvent } = { requests: [], messages: [] };
  try {
    const client = createClient({ baseURL: server.baseURL, apiKey: 'k', maxRetries: 0 });
    try {
      const events = await lastValueFrom(of(loopParams).pipe(toolLoop(client, { tools: ours, ...options }), toArray()));
      side.messages = plain(await lastValueFrom(of(...events).pipe(turnMessages(), toArray()))) as unknown[];
      side.end = events.at(-1) as ToolLoopEndEvent;
      side.final = plain(side.end.message);
    } catch (error) {
      side.error = (error as Error).message;
    }
    side.requests = server.requests.map((request) => request.body);
    return side;
  } finally {
    await server.close();
  }
}

// ---------------------------------------------------------------------------------------------
// Generated conversations

const call: fc.Arbitrary<Call> = fc.oneof(
  fc.record({ name: fc.constant('get_weather' as const), input: fc.record({ city: fc.constantFrom('Oslo', 'Lima', 'Paris') }) }),
  fc.record({ name: fc.constant('calculate' as const), input: fc.record({ a: fc.integer({ min: 0, max: 9 }), b: fc.integer({ min: 0, max: 9 }), op: fc.constantFrom('add', 'divide') }) }),
  fc.record({ name: fc.constant('chart' as const), input: fc.constant({}) }),
  fc.record({ name: fc.constant('teleport' as const), input: fc.record({ to: fc.constant('Mars') }) }),
);
const turn: fc.Arbitrary<Turn> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('tools' as const), calls: fc.array(call, { minLength: 1, maxLength: 3 }), text: fc.boolean(), container: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('server' as const), paused: fc.boolean() }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'refusal' as const }) },
);
const scenario: fc.Arbitrary<Scenario> = fc.record({
  turns: fc.array(turn, { minLength: 0, maxLength: 4 }),
  container: fc.constantFrom('none' as const, 'string' as const, 'skills' as const, 'id and skills' as const),
  maxIterations: fc.integer({ min: 1, max: 6 }),
  withdrawn: fc.constantFrom('none' as const, 'get_weather' as const, 'get_weather, then offered back' as const),
});

describe('toolLoop and the official toolRunner on the same mock server', () => {
  it('send the same requests and give the same messages on generated conversations', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async (generated) => {
        const [theirs, mine] = await Promise.all([
          runOfficial(scriptOf(generated), paramsOf(generated), generated.maxIterations),
          runOurs(scriptOf(generated), paramsOf(generated), { maxIterations: generated.maxIterations }),
        ]);
        expect(mine.error).toEqual(theirs.error);
        expect(mine.requests).toEqual(theirs.requests);
        expect(mine.messages).toEqual(theirs.messages);
        expect(mine.final).toEqual(theirs.final);
      }),
      { numRuns: 40, seed: 20261124, endOnFailure: true },
    );
  }, 60_000);

  it('agree on a turn with every kind of tool call at once', async () => {
    const all: Scenario = {
      turns: [{ kind: 'tools', text: true, container: true, calls: [{ name: 'get_weather', input: { city: 'Oslo' } }, { name: 'calculate', input: { a: 2, b: 3, op: 'add' } }, { name: 'calculate', input: { a: 1, b: 1, op: 'divide' } }, { name: 'chart', input: {} }, { name: 'teleport', input: {} }] }],
      container: 'skills',
      maxIterations: 5,
      withdrawn: 'none',
    };
    const [theirs, mine] = await Promise.all([runOfficial(scriptOf(all), paramsOf(all), 5), runOurs(scriptOf(all), paramsOf(all), { maxIterations: 5 })]);
    expect(mine.requests).toEqual(theirs.requests);
    expect((mine.requests[1] as MessageCreateParams).messages.at(-1)).toEqual({
      role: 'user',
      content: [
        { type: 'tool_result', tool_use_id: 'toolu_0_0', content: 'Sunny in Oslo' },
        { type: 'tool_result', tool_use_id: 'toolu_0_1', content: '5' },
        { type: 'tool_result', tool_use_id: 'toolu_0_2', content: 'Error: Unknown operation: divide', is_error: true },
        { type: 'tool_result', tool_use_id: 'toolu_0_3', content: chartFailure, is_error: true },
        { type: 'tool_result', tool_use_id: 'toolu_0_4', content: "Error: Tool 'teleport' not found", is_error: true },
      ],
    });
    expect((mine.requests[1] as MessageCreateParams).container).toEqual({ skills, id: CONTAINER.id });
  });
});

describe('deliberate differences from the official toolRunner', () => {
  const toolTurn = (index: number, container?: { id: string; expires_at: string }) =>
    messageReply({ content: [{ type: 'tool_use', id: `toolu_${index}`, name: 'get_weather', input: { city: 'Oslo' } }], stop_reason: 'tool_use', ...(container ? { container } : {}) });

  it('1. a newer container id the server reports replaces the one the loop adopted; the installed runner keeps the first', async () => {
    const script = () => [toolTurn(0, CONTAINER), toolTurn(1, { id: 'container_gen_2', expires_at: '2030-01-01T00:00:00Z' }), textReply('Done.')];
    const [theirs, mine] = await Promise.all([runOfficial(script(), params, undefined), runOurs(script(), params, {})]);
    const containers = (side: Side) => side.requests.map((body) => (body as MessageCreateParams).container);
    expect(containers(mine)).toEqual([undefined, 'container_gen_1', 'container_gen_2']);
    expect(containers(theirs)).toEqual([undefined, 'container_gen_1', 'container_gen_1']);
  });

  it('2. maxIterations defaults to 10; the official runner goes on until the model stops', async () => {
    const script = () => [...Array.from({ length: 11 }, (_, index) => toolTurn(index)), textReply('Done.')];
    const [theirs, mine] = await Promise.all([runOfficial(script(), params, undefined), runOurs(script(), params, {})]);
    expect(mine.requests).toHaveLength(10);
    expect(mine.end).toMatchObject({ stop_reason: 'max_iterations', iterations: 10 });
    expect(theirs.requests).toHaveLength(12);
    // Up to the tenth request, both sent the same.
    expect(mine.requests).toEqual(theirs.requests.slice(0, 10));
  });

  it('3. a tool withdrawn by prepareTurn is withdrawn from the next request on; the official removeTools() also stops the reply being handled', async () => {
    const script = () => [toolTurn(0), toolTurn(1), textReply('Done.')];
    const [theirs, mine] = await Promise.all([
      runOfficial(script(), params, undefined, (runner, turn) => turn === 0 && runner.removeTools('get_weather')),
      runOurs(script(), params, { prepareTurn: ({ iteration }) => (iteration === 1 ? { removeTools: ['get_weather'] } : undefined) }),
    ]);
    const results = (side: Side) => (side.requests as MessageCreateParams[]).slice(1).map((body) => body.messages.filter((m) => m.role === 'user').at(-1)?.content);
    expect(results(mine)).toEqual([
      [{ type: 'tool_result', tool_use_id: 'toolu_0', content: 'Sunny in Oslo' }],
      [{ type: 'tool_result', tool_use_id: 'toolu_1', content: "Error: Tool 'get_weather' not found", is_error: true }],
    ]);
    expect(results(theirs)).toEqual([
      [{ type: 'tool_result', tool_use_id: 'toolu_0', content: "Error: Tool 'get_weather' not found", is_error: true }],
      [{ type: 'tool_result', tool_use_id: 'toolu_1', content: "Error: Tool 'get_weather' not found", is_error: true }],
    ]);
    // Both tell the model in the same system message, right after the first turn's results.
    const change = { role: 'system', content: [{ type: 'tool_removal', tool: { type: 'tool_reference', name: 'get_weather' } }] };
    expect((mine.requests[1] as MessageCreateParams).messages.at(-1)).toEqual(change);
    expect((theirs.requests[1] as MessageCreateParams).messages.at(-1)).toEqual(change);
  });
});
