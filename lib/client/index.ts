export { createClient, ANTHROPIC_VERSION, type Client } from './createClient';
export type { ClientOptions } from './ClientOptions';
export type { Messages, MessageTokensCount } from './messages';
export { DeletedFile, FileMetadata, FILES_API_BETA, type FileListParams, type Files, type FileUploadParams } from './files';
export { ModelInfo, type ModelListParams, type Models } from './models';
export { type BatchPollingOptions, type MessageBatches } from './batches';
export { decodeJSONLines } from './decodeJSONLines';
export {
  DeletedMessageBatch,
  MessageBatch,
  MessageBatchIndividualResponse,
  MessageBatchResult,
  type MessageBatchCreateParams,
  type MessageBatchListParams,
  type MessageBatchRequest,
} from './messageBatch';
export { pagedList, type ListPage } from './pagedList';
export { collectBytes } from './collectBytes';
export { toBlob } from './toBlob';
