import type { Tool, ToolUnion } from '../schema';
import { isRunnableTool, type LoopTool, type RunnableTool } from './RunnableTool';

/**
 * The API definition of a tool, as sent in a request's `tools`: a runnable tool without its
 * `input` codec, `run` function and `needsApproval`, every other field kept; a plain API tool as it is.
 *
 * ## Example
 * ```ts
 * const getWeather = defineTool({ name: 'get_weather', input: t.type({ city: t.string }), run: ({ city }) => `Sunny in ${city}` });
 * toApiTool(getWeather);
 * // { name: 'get_weather', input_schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } }
 * const webSearch = { type: 'web_search_20250305', name: 'web_search' };
 * toApiTool(webSearch) === webSearch; // true
 * ```
 *
 * @param tool A tool of the loop's `tools`.
 * @return Its API definition.
 * @see defineTool
 */
export function toApiTool<I>(tool: RunnableTool<I>): Tool;
export function toApiTool(tool: LoopTool): ToolUnion;
export function toApiTool(tool: LoopTool): ToolUnion {
  if (!isRunnableTool(tool)) return tool;
  const { input: _input, run: _run, needsApproval: _needsApproval, ...apiTool } = tool;
  return apiTool;
}
