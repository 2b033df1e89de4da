/**
 * A tool that asks before it runs: `needsApproval` on the tool, and an `approve` that returns an
 * Observable, answered by a click. `npx tsx examples/approval.ts` runs it offline against the
 * mock server, with a pretend user who allows one deletion and denies the other.
 */
import * as t from 'io-ts';
import { finalize, map, mergeMap, defer, timer, type Observable } from 'rxjs';
import { createClient, defineTool, described, type Client, type ToolApprovalDecision, type ToolApprovalRequest, type ToolLoopEvent } from 'rx-anthropic';
import { createMockServer, textReply, toolUseReply } from 'rx-anthropic/testing';
import { MODEL } from './hello';

/** Lists the workspace: harmless, so it runs unasked. */
export const listFiles = defineTool({
  name: 'list_files',
  description: 'The files of the workspace',
  input: t.type({}),
  run: () => JSON.stringify(['draft.md', 'notes.md', 'todo.txt']),
});

/** Deletes a file: it runs only once the user has allowed it. */
export const deleteFile = defineTool({
  name: 'delete_file',
  description: 'Deletes a file of the workspace',
  input: t.type({ path: described(t.string, 'The file, relative to the workspace') }),
  needsApproval: true,
  run: ({ path }) => timer(10).pipe(map(() => `deleted ${path}`)),
});

/** The three turns the mock server plays for this example. */
export const approvalScript = [
  toolUseReply([{ id: 'toolu_list', name: 'list_files', input: {} }], { text: 'Let me look at the workspace. ' }),
  toolUseReply(
    [
      { id: 'toolu_draft', name: 'delete_file', input: { path: 'draft.md' } },
      { id: 'toolu_notes', name: 'delete_file', input: { path: 'notes.md' } },
    ],
    { text: 'I will delete the two drafts. ' },
  ),
  textReply('I deleted draft.md and kept notes.md, as you asked.'),
];

/**
 * Runs the loop; `click` is the app's Allow / Deny card: given the approval request, an
 * Observable of the user's choice (`true` for Allow). Unsubscribing while a card waits removes
 * the question, and the tool never runs.
 */
export function approval(client: Client, click: (request: ToolApprovalRequest) => Observable<boolean>): Observable<string> {
  const approve = (request: ToolApprovalRequest): Observable<ToolApprovalDecision> =>
    click(request).pipe(map((allowed) => (allowed ? { approved: true } : { approved: false, reason: 'The user wants to keep this file.' })));
  return defer(() =>
    client.messages
      .toolLoop({ model: MODEL, max_tokens: 512, messages: [{ role: 'user', content: 'Clean up the drafts in my workspace.' }] }, { tools: [listFiles, deleteFile], approve })
      .pipe(map(lines())),
  );
}

/** Streamed text as it comes, and a line of its own for each approval request, tool result and the end. */
function lines(): (event: ToolLoopEvent) => string {
  let atLineStart = true;
  const line = (text: string) => {
    const out = `${atLineStart ? '' : '\n'}${text}\n`;
    atLineStart = true;
    return out;
  };
  return (event) => {
    switch (event.type) {
      case 'content_block_delta':
        if (event.delta.type !== 'text_delta') return '';
        atLineStart = event.delta.text.endsWith('\n');
        return event.delta.text;
      case 'tool_approval_request':
        return line(`[Allow / Deny? ${event.name} ${JSON.stringify(event.input)}]`);
      case 'tool_result':
        return line(`[tool_result ${event.name}${event.is_error ? ' (is_error)' : ''}: ${JSON.stringify(event.content)}]`);
      case 'tool_loop_end':
        return line(`[tool_loop_end: ${event.stop_reason} after ${event.iterations} requests]`);
      default:
        return '';
    }
  };
}

/**
 * A pretend user: allows every deletion but that of notes.md, which it denies at once (after
 * 10 ms); an allowed card takes it 60 ms to read. Timers fire in the order they are due, so the
 * denial is answered first however busy the machine is, and the transcript is always the same.
 */
export const pretendUser = (request: ToolApprovalRequest): Observable<boolean> => {
  const allowed = (request.input as { path?: string }).path !== 'notes.md';
  return timer(allowed ? 60 : 10).pipe(map(() => allowed));
};

/** Starts the mock server, runs {@link approval} with {@link pretendUser}, and closes the server. */
export function runApprovalExample(): Observable<string> {
  return defer(() => createMockServer(approvalScript)).pipe(
    mergeMap((server) => approval(createClient({ baseURL: server.baseURL, apiKey: 'offline-example' }), pretendUser).pipe(finalize(() => void server.close()))),
  );
}

if (/examples[\\/]approval\.ts$/.test(process.argv[1] ?? '')) {
  runApprovalExample().subscribe({
    next: (text) => process.stdout.write(text),
    error: (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  });
}
