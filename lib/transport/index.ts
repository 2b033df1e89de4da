export type { HttpRequest, RequestOptions, ResponseInfo, TransportConfig } from './HttpRequest';
export { sendRequest } from './sendRequest';
export { isRetryableResponse, retryDelayMs } from './retryPolicy';
