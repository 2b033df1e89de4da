/**
 * The io-ts codecs of the Messages API and the types derived from them (`t.TypeOf`), plus the
 * decoder of a stream's events. Every codec is lenient: fields the API may leave out are
 * optional, `null` is accepted where the API sends it, unknown fields are kept, and unions on
 * `type` let unknown variants through (see `openUnion`).
 */
export * from './cacheControl';
export * from './citations';
export * from './combinators';
export * from './contentBlockParams';
export * from './contentBlocks';
export * from './decodeEvents';
export * from './deprecatedModels';
export * from './deltas';
export * from './describeValidationErrors';
export * from './knownModel';
export * from './message';
export * from './openUnion';
export * from './params';
export * from './sources';
export * from './streamEvents';
export * from './tools';
export * from './usage';
