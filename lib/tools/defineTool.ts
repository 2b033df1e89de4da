import type * as t from 'io-ts';
import { AnthropicError } from '../errors';
import type { InputSchema, Tool } from '../schema';
import { jsonSchemaOf } from './jsonSchemaOf';
import type { RunnableTool, ToolContext, ToolRunResult } from './RunnableTool';

/**
 * What {@link defineTool} takes: the tool's API fields (`name`, `description`, `cache_control`,
 * `strict`, `input_examples`, …) without `input_schema`, plus the input codec, an optional
 * explicit schema, the function that runs the tool and whether it needs approval.
 *
 * ## Example
 * ```ts
 * const Input = t.type({ city: t.string });
 * const definition: ToolDefinition<typeof Input> = {
 *   name: 'get_weather', description: 'Weather of a city', input: Input, run: ({ city }) => fetchWeather(city),
 * };
 * const getWeather = defineTool(definition);
 * ```
 */
export type ToolDefinition<C extends t.Mixed> = Omit<Tool, 'input_schema'> & {
  /** The io-ts codec of the input: the JSON Schema is derived from it, and input must pass it to reach `run`. */
  readonly input: C;
  /** The JSON Schema to send instead of the derived one, for codecs it cannot be derived from. */
  readonly inputSchema?: InputSchema;
  /** Runs the tool on decoded input; returns an Observable, a Promise or a value. */
  readonly run: (input: t.TypeOf<C>, context: ToolContext) => ToolRunResult;
  /**
   * Whether the tool loop must ask its `approve` before running the tool: always (`true`), or
   * when the function says so for the decoded input.
   */
  readonly needsApproval?: boolean | ((input: t.TypeOf<C>) => boolean);
};

/**
 * A tool the tool loop can run, its `input_schema` derived from an io-ts codec.
 *
 * The schema comes from {@link jsonSchemaOf} (descriptions from {@link described}), unless
 * `inputSchema` is given, in which case the codec is only used to decode. Every other field
 * (`cache_control`, `strict`, `input_examples`, …) is kept as given; `needsApproval` makes the
 * tool loop ask its `approve` before each run (always, or for the inputs the function picks).
 * Mistakes show at definition time, not at the first request: a codec with no JSON Schema counterpart, or an
 * input that is not an object, throws an `AnthropicError` that names the tool and the codec.
 *
 * ## Example
 * ```ts
 * const getWeather = defineTool({
 *   name: 'get_weather',
 *   description: 'The current weather of a city',
 *   input: t.type({
 *     city: described(t.string, 'The city, e.g. "Paris"'),
 *     units: t.union([t.literal('celsius'), t.literal('fahrenheit'), t.undefined]),
 *   }),
 *   run: ({ city, units = 'celsius' }, { signal }) =>
 *     fetch(`https://weather.example/${encodeURIComponent(city)}?units=${units}`, { signal }).then((r) => r.text()),
 * });
 * client.messages.toolLoop(params, { tools: [getWeather] });
 * ```
 *
 * @param definition The API fields, the input codec and `run`.
 * @return The tool: its API definition plus `input` and `run`.
 * @throws AnthropicError when the schema cannot be derived or is not an object schema.
 * @see toApiTool
 * @see decodeToolInput
 * @see jsonSchemaOf
 */
export function defineTool<C extends t.Mixed>(definition: ToolDefinition<C>): RunnableTool<t.TypeOf<C>> {
  const { name, description, input, inputSchema, run, needsApproval, ...apiFields } = definition;
  if (typeof input?.validate !== 'function') throw new AnthropicError(`Tool "${name}": \`input\` must be an io-ts codec.`);
  if (typeof run !== 'function') throw new AnthropicError(`Tool "${name}": \`run\` must be a function.`);
  if (needsApproval !== undefined && typeof needsApproval !== 'boolean' && typeof needsApproval !== 'function') {
    throw new AnthropicError(`Tool "${name}": \`needsApproval\` must be a boolean or a function of the input.`);
  }

  const input_schema = inputSchema === undefined ? derivedSchema(name, input) : checkedSchema(name, inputSchema);
  // Key order is the order of the request body: what the model reads first comes first.
  return {
    name,
    ...(description === undefined ? {} : { description }),
    input_schema,
    ...apiFields,
    input,
    run,
    ...(needsApproval === undefined ? {} : { needsApproval }),
  };
}

function derivedSchema(name: string, input: t.Mixed): InputSchema {
  let schema;
  try {
    schema = jsonSchemaOf(input);
  } catch (error) {
    if (error instanceof AnthropicError) throw new AnthropicError(`Tool "${name}": ${error.message}`, { cause: error });
    throw error;
  }
  if (schema.type !== 'object') {
    const got = schema.type === undefined ? 'a schema without a type' : `a schema of type ${JSON.stringify(schema.type)}`;
    throw new AnthropicError(
      `Tool "${name}": The input codec "${input.name}" gives ${got}, but a tool's input must be an object ` +
        '(the API requires input_schema.type "object"). Use t.type, t.partial or an intersection of them ' +
        '(wrap a single value as t.type({ value: … })).',
    );
  }
  return { ...schema, type: 'object' };
}

function checkedSchema(name: string, schema: InputSchema): InputSchema {
  if ((schema as { type?: unknown } | null)?.type !== 'object') {
    throw new AnthropicError(`Tool "${name}": \`inputSchema\` must be an object schema ({ type: 'object', … }), as the API requires.`);
  }
  return schema;
}
