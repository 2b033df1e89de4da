export { fromSSE, DEFAULT_MAX_EVENT_SIZE, type FromSSEOptions } from './fromSSE';
export { toSSE } from './toSSE';
export type { ServerSentEvent } from './ServerSentEvent';
