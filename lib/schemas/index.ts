export { AsyncValidationError } from './AsyncValidationError';
export { described, descriptionOf } from './described';
export { describeInputErrors } from './describeInputErrors';
export { describeStandardIssues } from './describeStandardIssues';
export type { InputFailure } from './InputFailure';
export { jsonSchemaOf } from './jsonSchemaOf';
export type { JsonSchema, JsonSchemaType, JsonPrimitive } from './JsonSchema';
export { standardJsonSchemaOf } from './standardJsonSchemaOf';
export type { StandardSchemaWithJsonSchema, ValueOfSchema, ValueSchema } from './ValueSchema';
