/**
 * `rx-anthropic/proxy`: a relay between browsers and the Messages API that holds the API key on
 * the server, as a request handler for `node:http` and Express, or a server of its own. Node only.
 */
export { createProxyHandler } from './createProxyHandler';
export { createProxyServer } from './createProxyServer';
export { relayEvents, type RelayOptions } from './relayEvents';
export { ProxyRefusalError } from './ProxyRefusalError';
export { DEFAULT_ALLOWED_PARAMS, DEFAULT_ALLOWED_TOOL_TYPES } from './proxyDefaults';
export type { ProxyClient, ProxyContext, ProxyHandler, ProxyOptions, ProxyParams, ProxyRoute, ProxyServer, ProxyServerOptions } from './types';
