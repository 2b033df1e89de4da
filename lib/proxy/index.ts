/**
 * `rx-anthropic/proxy`: a relay between browsers and the Messages API that holds the API key on
 * the server, as a request handler for `node:http` and Express, or a server of its own. Closed by
 * default: `authorize` is required, and every request is checked whole before it goes upstream.
 * Node only.
 */
export { createProxyHandler } from './createProxyHandler';
export { createProxyServer } from './createProxyServer';
export { relayEvents, type RelayOptions } from './relayEvents';
export { ProxyRefusalError, type ProxyRefusalDetails } from './ProxyRefusalError';
export { memoryLimitStore, type MemoryLimitStoreOptions } from './memoryLimitStore';
export { memoryStreamStore, type MemoryStreamStoreOptions } from './memoryStreamStore';
export type { ProxyStreamStore } from './ProxyStreamStore';
export { DEFAULT_ALLOWED_CONTENT_TYPES, DEFAULT_ALLOWED_PARAMS, DEFAULT_ALLOWED_TOOL_TYPES } from './proxyDefaults';
export type {
  AdmissionRequest,
  AdmissionVerdict,
  AuthorizeAnswer,
  LimitVerdict,
  PerUserLimits,
  ProxyAuthorize,
  ProxyClient,
  ProxyContext,
  ProxyHandler,
  ProxyIdentity,
  ProxyLimitStore,
  ProxyOptions,
  ProxyParams,
  ProxyRoute,
  ProxyServer,
  ProxyServerOptions,
  ProxyUsageRecord,
  SlotGrant,
} from './types';
