/**
 * `rx-anthropic/angular`: the client in an Angular app (Angular 20 and 21). `provideAnthropic()`
 * provides it to a standalone app or a feature, sending through `HttpClient` so that interceptors
 * and `HttpTestingController` apply; `injectChatStore()` gives a conversation as signals. Needs
 * `@angular/core` and `@angular/common` (optional peer dependencies); functional APIs only, no
 * decorators, no Angular compiler.
 */
export { provideAnthropic } from './provideAnthropic';
export type { AnthropicOptions } from './AnthropicOptions';
export { injectAnthropicClient, type InjectAnthropicClientOptions } from './injectAnthropicClient';
export { ANTHROPIC_CLIENT, ANTHROPIC_OPTIONS } from './anthropicTokens';
export { httpClientFetch, type HttpClientFetchOptions } from './httpClientFetch';
export { ANTHROPIC_REQUEST } from './anthropicRequest';
export { injectChatStore } from './injectChatStore';
export type { ChatParams, ChatStatus, ChatStore, ChatStoreOptions } from './ChatStore';
export { messageText } from './messageText';
export { createApprovalQueue, type ApprovalQueue } from './createApprovalQueue';
export { MissingProviderError } from './MissingProviderError';
