import type { StandardSchemaV1 } from '@standard-schema/spec';
import type * as t from 'io-ts';
import { AnthropicError } from '../errors';
import type { InputSchema, Tool } from '../schema';
import { hasStandardJsonSchema, isStandardSchema } from '../schemas/isStandardSchema';
import type { JsonSchema } from '../schemas/JsonSchema';
import { jsonSchemaOf } from '../schemas/jsonSchemaOf';
import { standardJsonSchemaOf } from '../schemas/standardJsonSchemaOf';
import type { ValueOfSchema, ValueSchema } from '../schemas/ValueSchema';
import type { RunnableTool, ToolContext, ToolRunResult } from './RunnableTool';

/**
 * What {@link defineTool} takes: the tool's API fields (`name`, `description`, `cache_control`,
 * `strict`, `input_examples`, …) without `input_schema`, plus the input schema (an io-ts codec,
 * or a Standard Schema with Standard JSON Schema: zod, Valibot, ArkType), an optional explicit
 * JSON Schema, the function that runs the tool and whether it needs approval.
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
export type ToolDefinition<C extends ValueSchema> = Omit<Tool, 'input_schema'> & {
  /**
   * The schema of the input, an io-ts codec or a Standard Schema with Standard JSON Schema: the
   * JSON Schema is derived from it, and input must pass it to reach `run`.
   */
  readonly input: C;
  /** The JSON Schema to send instead of the derived one, for schemas it cannot be derived from. */
  readonly inputSchema?: InputSchema;
  /** Runs the tool on decoded input; returns an Observable, a Promise or a value. */
  readonly run: (input: ValueOfSchema<C>, context: ToolContext) => ToolRunResult;
  /**
   * Whether the tool loop must ask its `approve` before running the tool: always (`true`), or
   * when the function says so for the decoded input.
   */
  readonly needsApproval?: boolean | ((input: ValueOfSchema<C>) => boolean);
};

/**
 * A tool the tool loop can run, its `input_schema` derived from an io-ts codec or a Standard Schema.
 *
 * For a codec the schema comes from {@link jsonSchemaOf} (descriptions from {@link described});
 * for a Standard Schema (zod 4, ArkType 2, Valibot wrapped with `toStandardJsonSchema()` from
 * `@valibot/to-json-schema`) its library writes it ({@link standardJsonSchemaOf}), and `run` is
 * typed by the schema's output type. With `inputSchema` the schema is only used to validate.
 * Every other field (`cache_control`, `strict`, `input_examples`, …) is kept as given;
 * `needsApproval` makes the tool loop ask its `approve` before each run (always, or for the
 * inputs the function picks). Input that fails the schema reaches the model as an `is_error`
 * result naming each failing path; a Standard Schema that validates asynchronously is waited for.
 * Mistakes show at definition time, not at the first request: a schema with no JSON Schema
 * counterpart, or an input that is not an object, throws an `AnthropicError` that names the tool
 * and the schema.
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
 *
 * // The same with zod: `run`'s input is typed { city: string; units?: 'celsius' | 'fahrenheit' }.
 * const getWeatherZod = defineTool({
 *   name: 'get_weather',
 *   input: z.object({ city: z.string().describe('The city, e.g. "Paris"'), units: z.enum(['celsius', 'fahrenheit']).optional() }),
 *   run: ({ city, units = 'celsius' }) => `Sunny in ${city} (${units})`,
 * });
 * ```
 *
 * @param definition The API fields, the input schema and `run`.
 * @return The tool: its API definition plus `input` and `run`.
 * @throws AnthropicError when the schema cannot be derived or is not an object schema.
 * @see toApiTool
 * @see decodeToolInput
 * @see jsonSchemaOf
 * @see standardJsonSchemaOf
 */
export function defineTool<C extends ValueSchema>(definition: ToolDefinition<C>): RunnableTool<ValueOfSchema<C>, C> {
  const { name, description, input, inputSchema, run, needsApproval, ...apiFields } = definition;
  if (!isStandardSchema(input) && typeof (input as Partial<t.Mixed> | undefined)?.validate !== 'function') {
    throw new AnthropicError(`Tool "${name}": \`input\` must be an io-ts codec or a Standard Schema (zod, Valibot, ArkType…).`);
  }
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
  } as RunnableTool<ValueOfSchema<C>, C>;
}

function derivedSchema(name: string, input: t.Mixed | StandardSchemaV1): InputSchema {
  let schema: JsonSchema;
  try {
    schema = isStandardSchema(input) ? standardSchemaOf(input) : jsonSchemaOf(input);
  } catch (error) {
    if (error instanceof AnthropicError) throw new AnthropicError(`Tool "${name}": ${error.message}`, { cause: error });
    throw error;
  }
  if (schema.type !== 'object') {
    const got = schema.type === undefined ? 'a schema without a type' : `a schema of type ${JSON.stringify(schema.type)}`;
    const fix = isStandardSchema(input)
      ? 'Use an object schema (wrap a single value as an object with one field: { value: … }).'
      : 'Use t.type, t.partial or an intersection of them (wrap a single value as t.type({ value: … })).';
    throw new AnthropicError(
      `Tool "${name}": The input ${schemaName(input)} gives ${got}, but a tool's input must be an object ` +
        `(the API requires input_schema.type "object"). ${fix}`,
    );
  }
  return { ...schema, type: 'object' };
}

/** A Standard Schema's JSON Schema, or why there is none, with what to do about it. */
function standardSchemaOf(input: StandardSchemaV1): JsonSchema {
  const vendor = input['~standard'].vendor;
  if (!hasStandardJsonSchema(input)) {
    throw new AnthropicError(
      `The input ${vendor} schema does not write its JSON Schema (it has no ~standard.jsonSchema: Standard JSON Schema). ` +
        'Wrap a Valibot schema with toStandardJsonSchema() from @valibot/to-json-schema, or pass `inputSchema` to give the JSON Schema yourself.',
    );
  }
  try {
    return standardJsonSchemaOf(input);
  } catch (error) {
    if (!(error instanceof AnthropicError)) throw error;
    throw new AnthropicError(`${error.message}. Pass \`inputSchema\` to defineTool to give the JSON Schema yourself (the schema is then only used to validate).`, { cause: error.cause });
  }
}

/** How errors name the input's schema: `codec "{ city: string }"`, `zod schema`. */
function schemaName(input: t.Mixed | StandardSchemaV1): string {
  return isStandardSchema(input) ? `${input['~standard'].vendor} schema` : `codec "${input.name}"`;
}

function checkedSchema(name: string, schema: InputSchema): InputSchema {
  if ((schema as { type?: unknown } | null)?.type !== 'object') {
    throw new AnthropicError(`Tool "${name}": \`inputSchema\` must be an object schema ({ type: 'object', … }), as the API requires.`);
  }
  return schema;
}
