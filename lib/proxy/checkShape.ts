import { isJSONObject } from './isJSONObject';
import { ProxyRefusalError } from './ProxyRefusalError';
import { quoted } from './quoted';
import type { ProxyRoute } from './types';

const ROLES: readonly string[] = ['user', 'assistant', 'system'];

const wrongShape = (message: string): ProxyRefusalError => new ProxyRefusalError(400, message);

/**
 * Refuses, with 400 `invalid_request_error`, params whose parts the relay's checks read are not
 * of the shape the API takes: `model` a string; `messages` an array of `{ role, content }` with a
 * known role and a string or an array of blocks (objects with a string `type`) as content; a
 * `system` that is a string or an array of blocks; `tools` an array of objects; `max_tokens` a
 * whole number of at least 1 (on the routes that create a message). A check that skipped a value
 * of the wrong shape would let it through unchecked, so such values are never left for the API
 * to judge.
 */
export function checkShape(params: Record<string, unknown>, route: ProxyRoute): void {
  if (typeof params['model'] !== 'string' || params['model'] === '') throw wrongShape('The request has no model: `model` must be a string.');

  const { messages } = params;
  if (!Array.isArray(messages)) throw wrongShape(`messages must be an array of messages; got ${quoted(messages)}.`);
  for (const [index, message] of messages.entries()) {
    if (!isJSONObject(message)) throw wrongShape(`messages.${index} must be an object with a role and content; got ${quoted(message)}.`);
    if (typeof message['role'] !== 'string' || !ROLES.includes(message['role'])) {
      throw wrongShape(`messages.${index}.role must be one of ${ROLES.join(', ')}; got ${quoted(message['role'])}.`);
    }
    checkBlocks(message['content'], `messages.${index}.content`);
  }

  if (params['system'] !== undefined && typeof params['system'] !== 'string') checkBlocks(params['system'], 'system');

  const { tools } = params;
  if (tools !== undefined) {
    if (!Array.isArray(tools)) throw wrongShape(`tools must be an array of tool definitions; got ${quoted(tools)}.`);
    const index = tools.findIndex((tool) => !isJSONObject(tool));
    if (index >= 0) throw wrongShape(`tools.${index} must be an object, a tool definition; got ${quoted(tools[index])}.`);
  }

  if (route !== 'countTokens') {
    const maxTokens = params['max_tokens'];
    if (typeof maxTokens !== 'number' || !Number.isInteger(maxTokens) || maxTokens < 1) {
      throw wrongShape(`max_tokens must be a whole number of at least 1; got ${quoted(maxTokens)}.`);
    }
  }
}

/** A message's content (or `system`): a string, or an array of blocks, each an object with a string `type`. */
function checkBlocks(content: unknown, path: string): void {
  if (typeof content === 'string') return;
  if (!Array.isArray(content)) throw wrongShape(`${path} must be a string or an array of content blocks; got ${quoted(content)}.`);
  for (const [index, block] of content.entries()) {
    if (!isJSONObject(block) || typeof block['type'] !== 'string') {
      throw wrongShape(`${path}.${index} must be a content block, an object with a string type; got ${quoted(block)}.`);
    }
  }
}
