/**
 * What the offline mock server answers the Angular example's panes: the approval pane's email tool
 * use and the replies to its result, the recipe pane's JSON answer streamed slowly, and whatever
 * `otherwise` answers for the chat panes. `examples/proxy/main.ts` serves it when no API key is
 * set, and `spec/browser/angular.spec.ts` drives the app against it. A request is answered by what
 * it asks for (its tools, its output format, its last message), so the panes work in any order.
 */
import { textReply, toolUseReply, type MockTurn, type MockTurnFunction } from 'rx-anthropic/testing';

/** The tool of the approval pane; the app defines it with `needsApproval: true`. */
export const SEND_EMAIL = 'send_email';

/** The email the model asks to send. */
export const EMAIL_INPUT = { to: 'ada@example.com', subject: 'The demo is ready', body: 'Hi Ada, the demo is ready whenever you are.' };

/** What the model says before its tool use. */
export const EMAIL_PREAMBLE = 'I will send that email for you. ';

/** The recipe the recipe pane asks for, as the model writes it (as JSON, in small pieces). */
export const RECIPE = {
  title: 'Lemon risotto with peas',
  servings: 4,
  minutes: 35,
  ingredients: ['320 g arborio rice', '1 l vegetable stock', '150 g peas', '1 lemon, zest and juice', '40 g parmesan'],
  steps: ['Toast the rice in a little oil.', 'Add the stock a ladle at a time, stirring.', 'Stir in the peas for the last 5 minutes.', 'Finish with lemon and parmesan.'],
};

/** The two panes' pace: slow enough that a person, or the browser spec, sees each field arrive. */
const RECIPE_PACE = { chunkSize: 3, chunkDelayMs: 30 };
const EMAIL_PACE = { chunkSize: 4, chunkDelayMs: 15 };

interface LooseBlock {
  readonly type?: unknown;
  readonly content?: unknown;
  readonly is_error?: unknown;
  readonly text?: unknown;
}

interface LooseRequest {
  readonly tools?: readonly { readonly name?: unknown }[];
  readonly output_config?: { readonly format?: unknown } | null;
  readonly messages?: readonly { readonly role?: unknown; readonly content?: unknown }[];
}

/** The text of a tool result's content (a string, or text blocks). */
function resultText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return (content as readonly LooseBlock[]).map((block) => (block.type === 'text' && typeof block.text === 'string' ? block.text : '')).join('');
}

/** The email tool's result in the request's last message, when it carries one. */
function emailResult(request: LooseRequest): LooseBlock | undefined {
  const last = request.messages?.[request.messages.length - 1];
  if (last?.role !== 'user' || !Array.isArray(last.content)) return undefined;
  return (last.content as readonly LooseBlock[]).find((block) => block.type === 'tool_result');
}

/**
 * The approval pane's turns: a tool use of {@link SEND_EMAIL} for a prompt, then a reply that
 * reads the tool's result back, so the page shows what the model was told (the sent email, or
 * the reason it was not sent).
 */
function emailTurn(request: LooseRequest): MockTurn {
  const result = emailResult(request);
  if (result === undefined) return toolUseReply([{ name: SEND_EMAIL, input: EMAIL_INPUT }], { text: EMAIL_PREAMBLE, ...EMAIL_PACE });
  const said = resultText(result.content);
  return textReply(result.is_error === true ? `I did not send the email. The tool answered: ${said}` : `Done. The tool answered: ${said}`, EMAIL_PACE);
}

/**
 * The Angular example's script: requests with the {@link SEND_EMAIL} tool get the approval pane's
 * turns, requests with an `output_config.format` get {@link RECIPE} as JSON in 3-character
 * deltas, every other request gets `otherwise`'s turn.
 *
 * ## Example
 * ```ts
 * const mock = await createMockServer(angularExampleScript(() => textReply('Hello from the mock server.')));
 * ```
 *
 * @param otherwise Answers the requests of the other panes.
 * @return The script for `createMockServer`.
 */
export function angularExampleScript(otherwise: MockTurnFunction): MockTurnFunction {
  return (recorded, index) => {
    const request = (recorded.body ?? {}) as LooseRequest;
    if (request.output_config?.format) return textReply(JSON.stringify(RECIPE), RECIPE_PACE);
    if (request.tools?.some((tool) => tool.name === SEND_EMAIL)) return emailTurn(request);
    return otherwise(recorded, index);
  };
}
