export { outputFormat, type OutputFormatOptions } from './outputFormat';
export { toStructuredOutputSchema } from './toStructuredOutputSchema';
export { partialOutput, type PartialOutputOptions } from './partialOutput';
export { finalOutput } from './finalOutput';
export type { DeepPartial } from './DeepPartial';
export type { ParsedMessage, ParsedTextBlock } from './ParsedMessage';
export type { OutputOfParams } from './formatOfParams';
export type { OutputFormatLike, OutputOf, StructuredOutputFormat } from './StructuredOutputFormat';
