import { isJSONObject } from './isJSONObject';
import { ProxyRefusalError } from './ProxyRefusalError';
import { quoted } from './quoted';

/** What {@link inspectRequest} allows. */
export interface InspectionPolicy {
  readonly allowedContentTypes: readonly string[];
  readonly allowedToolTypes: readonly string[];
}

/** A type that names a versioned tool (`web_search_20250305`, `code_execution_20250825`, `bash_20250124`). */
const VERSIONED_TOOL_TYPE = /_\d{8}$/;

/** Deeper than any request the API takes (a message's blocks nest a few levels); a walk this deep is an attack on the walk. */
const MAX_DEPTH = 64;

/** A path as a refusal quotes it: its start and its end when it is long (its keys are the request's). */
const where = (path: string): string => (path.length > 160 ? `${path.slice(0, 80)}…${path.slice(-60)}` : path);

const listed = (names: readonly string[]): string => (names.length > 0 ? names.join(', ') : 'none');

/**
 * Walks the whole request, not its top level, and refuses (403 `permission_error`) what the
 * policy does not allow wherever it stands; returns every `file_id` it names, for `authorizeFile`.
 *
 * - Content blocks: every element of a `content` array (or a `content` object) anywhere in
 *   `messages` (every role; nested blocks such as a `tool_result`'s or a document's content
 *   too), and every block of a `system` array, must have a type in `allowedContentTypes`.
 * - Tool definitions: every element of a `tools` array and every `tool_definition`, anywhere, and
 *   in `messages` every object with an `input_schema` or a versioned tool type (`…_20250305`),
 *   must have a type in `allowedToolTypes` (no type is `custom`). Outside `messages` a versioned
 *   type names other things too (`context_management`'s edits), which the params check governs.
 * - Files: every `file_id`, anywhere, is returned (a non-string one is refused with 400).
 *
 * Data the API reads as data, not as a request, is not walked: a tool use's `input` (what the
 * model called a tool with), and JSON Schemas (`input_schema`, the output format's `schema`).
 * Checking keys inside those would refuse ordinary requests for no safety.
 */
export function inspectRequest(params: Record<string, unknown>, policy: InspectionPolicy): string[] {
  const fileIds: string[] = [];

  const checkBlock = (block: unknown, path: string): void => {
    const type = isJSONObject(block) ? block['type'] : undefined;
    if (typeof type !== 'string') throw new ProxyRefusalError(400, `${where(path)} must be a content block, an object with a string type; got ${quoted(block)}.`);
    if (!policy.allowedContentTypes.includes(type)) {
      throw new ProxyRefusalError(
        403,
        `The content block type ${quoted(type)} (at ${where(path)}) is not allowed by this proxy; allowed content types: ${listed(policy.allowedContentTypes)}.`,
      );
    }
  };

  const checkTool = (tool: unknown, path: string): void => {
    const { type = 'custom', name } = (isJSONObject(tool) ? tool : {}) as { type?: unknown; name?: unknown };
    if (typeof type === 'string' && policy.allowedToolTypes.includes(type)) return;
    const which = typeof name === 'string' ? `The tool ${quoted(name)}` : `The tool at ${where(path)}`;
    throw new ProxyRefusalError(403, `${which} of type ${quoted(type)} is not allowed by this proxy; allowed tool types: ${listed(policy.allowedToolTypes)}.`);
  };

  const walk = (value: unknown, path: string, inMessages: boolean, depth = 0): void => {
    if (typeof value !== 'object' || value === null) return;
    if (depth > MAX_DEPTH) throw new ProxyRefusalError(400, `The request nests deeper than ${MAX_DEPTH} levels (at ${where(path)}).`);
    if (Array.isArray(value)) {
      value.forEach((item, index) => walk(item, `${path}.${index}`, inMessages, depth + 1));
      return;
    }
    const type = (value as Record<string, unknown>)['type'];
    if (inMessages && ('input_schema' in value || (typeof type === 'string' && VERSIONED_TOOL_TYPE.test(type)))) checkTool(value, path);
    for (const [key, child] of Object.entries(value)) {
      const at = `${path}.${key.length > 32 ? `${key.slice(0, 32)}…` : key}`;
      if (key === 'input_schema' || (key === 'input' && typeof type === 'string' && type.endsWith('tool_use'))) continue;
      if (key === 'file_id') {
        if (typeof child !== 'string') throw new ProxyRefusalError(400, `${where(at)} must be a string; got ${quoted(child)}.`);
        fileIds.push(child);
        continue;
      }
      if (key === 'tools' && Array.isArray(child)) child.forEach((tool, index) => checkTool(tool, `${at}.${index}`));
      if (key === 'tool_definition') checkTool(child, at);
      if (inMessages && key === 'content' && child !== null && typeof child === 'object') {
        (Array.isArray(child) ? child : [child]).forEach((block, index) => checkBlock(block, Array.isArray(child) ? `${at}.${index}` : at));
      }
      walk(child, at, inMessages, depth + 1);
    }
  };

  for (const [key, value] of Object.entries(params)) {
    if (key === 'system' && Array.isArray(value)) value.forEach((block, index) => checkBlock(block, `system.${index}`));
    if (key === 'tools' && Array.isArray(value)) value.forEach((tool, index) => checkTool(tool, `tools.${index}`));
    walk(withoutSchema(key, value), key, key === 'messages' || key === 'system');
  }
  return fileIds;
}

/** The output format without its JSON Schema (`output_config.format.schema`, `output_format.schema`): a schema is data. */
function withoutSchema(key: string, value: unknown): unknown {
  if (key === 'output_format' && isJSONObject(value)) return { ...value, schema: undefined };
  if (key === 'output_config' && isJSONObject(value) && isJSONObject(value['format'])) return { ...value, format: { ...value['format'], schema: undefined } };
  return value;
}
