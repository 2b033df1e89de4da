import type { MockTurn, MockTurnFunction } from './types';

/**
 * A script that answers each `POST /v1/messages` by the `model` it asks for: a turn played to
 * every request for that model, or a list of turns played in order to the requests for that
 * model (one each). A model without a turn, or whose list is used up, is answered with a 500
 * `api_error` that names it (and `x-should-retry: false`), so a test sees at once which request
 * it did not expect.
 *
 * ## Example
 * ```ts
 * // The first model is overloaded; the fallback answers.
 * const server = await createMockServer(byModel({
 *   'claude-sonnet-4-6': errorReply(529),
 *   'claude-opus-4-5': [textReply('First answer.'), textReply('Second answer.')],
 * }));
 * ```
 * @param turns The turn, or the turns in order, for each model.
 * @return A script for `createMockServer`.
 * @see refusalReply
 */
export function byModel(turns: Readonly<Record<string, MockTurn | readonly MockTurn[]>>): MockTurnFunction {
  const played = new Map<string, number>();
  return (request) => {
    const model = (request.body as { model?: unknown } | undefined)?.model;
    const name = typeof model === 'string' ? model : String(model);
    const turn = Object.prototype.hasOwnProperty.call(turns, name) ? turns[name] : undefined;
    if (turn === undefined) throw new Error(`byModel() has no turn for the model ${JSON.stringify(model)} (it has ${Object.keys(turns).join(', ')})`);
    if (!Array.isArray(turn)) return turn as MockTurn;
    const count = played.get(name) ?? 0;
    played.set(name, count + 1);
    const next = (turn as readonly MockTurn[])[count];
    if (next === undefined) throw new Error(`byModel() has no turn left for the model ${name}: this is its request #${count + 1}, and it has ${turn.length} turn(s)`);
    return next;
  };
}
