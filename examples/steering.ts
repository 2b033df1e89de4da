/**
 * Steering a tool loop between turns: `prepareTurn` moves to a smaller model and withdraws a tool
 * once the research is done, `stopWhen` ends the loop when the answer tool is called, and
 * `turnMessages()` shows each turn's finished message. `npx tsx examples/steering.ts` runs it
 * offline against the mock server.
 */
import * as t from 'io-ts';
import { connect, defer, filter, finalize, map, merge, mergeMap, type Observable } from 'rxjs';
import {
  createClient,
  defineTool,
  toolCalled,
  turnMessages,
  type Client,
  type Message,
  type ToolLoopEndEvent,
  type ToolLoopState,
  type ToolResultEvent,
  type TurnParams,
} from 'rx-anthropic';
import { createMockServer, textReply, toolUseReply } from 'rx-anthropic/testing';
import { MODEL } from './hello';

const notes: Record<string, string> = {
  rxjs: 'RxJS: cold Observables start work on subscribe.',
  operators: 'Operators are functions from Observable to Observable.',
};

/** Searches the user's notes. */
export const searchNotes = defineTool({
  name: 'search_notes',
  description: "Searches the user's notes",
  input: t.type({ query: t.string }),
  run: ({ query }) => notes[query] ?? 'No note found.',
});

/** The tool whose call is the answer: the loop stops once it has run. */
export const finalAnswer = defineTool({
  name: 'final_answer',
  description: 'Gives the final answer to the user',
  input: t.type({ answer: t.string }),
  run: ({ answer }) => answer,
});

/** The turns the mock server plays; it answers with the model each request asked for. */
export const steeringScript = [
  toolUseReply([{ id: 'toolu_1', name: 'search_notes', input: { query: 'rxjs' } }], { text: 'Searching my notes.' }),
  toolUseReply([{ id: 'toolu_2', name: 'search_notes', input: { query: 'operators' } }]),
  toolUseReply([{ id: 'toolu_3', name: 'final_answer', input: { answer: 'Observables are lazy; operators transform them.' } }]),
  textReply('Never asked for: the loop stopped after final_answer.'),
];

/** After two turns of research, the rest is writing: a smaller model, fewer tokens, no more searching. */
export function prepareTurn({ iteration }: ToolLoopState): TurnParams | undefined {
  return iteration === 2 ? { model: 'claude-haiku-4-5', max_tokens: 256, removeTools: ['search_notes'] } : undefined;
}

/** Runs the loop and prints a line per finished turn, per tool result, and the end. */
export function steering(client: Client): Observable<string> {
  return defer(() => {
    let turn = 0;
    const describeTurn = (message: Message) => {
      turn += 1;
      const calls = message.content.flatMap((block) => (block.type === 'tool_use' ? [`${block.name} ${JSON.stringify(block.input)}`] : []));
      return `turn ${turn} · ${message.model} · ${message.stop_reason}: ${calls.join(', ')}\n`;
    };
    return client.messages
      .toolLoop(
        { model: MODEL, max_tokens: 1024, messages: [{ role: 'user', content: 'What do my notes say about RxJS? Answer with final_answer.' }] },
        { tools: [searchNotes, finalAnswer], prepareTurn, stopWhen: toolCalled('final_answer') },
      )
      .pipe(
        connect((events) =>
          merge(
            events.pipe(turnMessages(), map(describeTurn)),
            events.pipe(
              filter((event): event is ToolResultEvent | ToolLoopEndEvent => event.type === 'tool_result' || event.type === 'tool_loop_end'),
              map(describeOutcome),
            ),
          ),
        ),
      );
  });
}

function describeOutcome(event: ToolResultEvent | ToolLoopEndEvent): string {
  if (event.type === 'tool_result') return `  ${event.name} → ${JSON.stringify(event.content)}\n`;
  const { stop_reason, iterations, usage, messages } = event;
  return `end: ${stop_reason} after ${iterations} requests, ${usage.input_tokens} tokens in, ${usage.output_tokens} out; ${messages.length} messages\n`;
}

/** Starts the mock server, runs {@link steering}, and closes the server. */
export function runSteeringExample(): Observable<string> {
  return defer(() => createMockServer(steeringScript)).pipe(
    mergeMap((server) => steering(createClient({ baseURL: server.baseURL, apiKey: 'offline-example' })).pipe(finalize(() => void server.close()))),
  );
}

if (/examples[\\/]steering\.ts$/.test(process.argv[1] ?? '')) {
  runSteeringExample().subscribe({
    next: (text) => process.stdout.write(text),
    error: (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  });
}
