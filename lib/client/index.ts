export { createClient, ANTHROPIC_VERSION, type Client } from './createClient';
export type { ClientOptions } from './ClientOptions';
export type { Messages, MessageTokensCount } from './messages';
export { FileMetadata, FILES_API_BETA, type Files } from './files';
