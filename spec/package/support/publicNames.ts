/**
 * Names each entry of the package must export (a sample of every kind: functions, operators,
 * error classes, constants, injection tokens), for the specs that load the built package.
 */
export const PUBLIC_NAMES = {
  'rx-anthropic': [
    'createClient',
    'fromSSE',
    'decodeEvents',
    'toSSE',
    'messageStreamEvents',
    'accumulateMessage',
    'textDeltas',
    'textSnapshots',
    'contentBlocks',
    'finalMessage',
    'finalText',
    'AnthropicError',
    'APIError',
    'BadRequestError',
    'AuthenticationError',
    'PermissionDeniedError',
    'NotFoundError',
    'RequestTooLargeError',
    'RateLimitError',
    'InternalServerError',
    'OverloadedError',
    'APIConnectionError',
    'APITimeoutError',
    'StreamDecodeError',
    'IncompleteStreamError',
    'ToolInputParseError',
    'InvalidArgumentError',
    'toolLoop',
    'defineTool',
    'described',
    'toolProgress',
    'streamAll',
    'streamEach',
    'combineSnapshots',
    'aggregateUsage',
    'streamMetrics',
    'RequestLimiter',
    'pagedList',
    'collectBytes',
    'toBlob',
    'FileMetadata',
    'DeletedFile',
    'ModelInfo',
    'FILES_API_BETA',
  ],
  'rx-anthropic/testing': ['createMockServer', 'fromSSEText', 'textReply', 'toolUseReply', 'eventsReply', 'sseReply', 'errorReply'],
  'rx-anthropic/mcp': ['mcpTool', 'mcpTools', 'mcpMessage', 'mcpMessages', 'mcpResourceToContent', 'mcpResourceToFile', 'UnsupportedMCPValueError'],
  'rx-anthropic/proxy': [
    'createProxyHandler',
    'createProxyServer',
    'relayEvents',
    'ProxyRefusalError',
    'memoryLimitStore',
    'DEFAULT_ALLOWED_PARAMS',
    'DEFAULT_ALLOWED_TOOL_TYPES',
    'DEFAULT_ALLOWED_CONTENT_TYPES',
  ],
  'rx-anthropic/angular': [
    'provideAnthropic',
    'injectAnthropicClient',
    'ANTHROPIC_CLIENT',
    'ANTHROPIC_OPTIONS',
    'httpClientFetch',
    'ANTHROPIC_REQUEST',
    'injectChatStore',
    'messageText',
    'MissingProviderError',
  ],
  'rx-anthropic/redis': ['redisLimitStore', 'redisRequestLimiter', 'redisStreamStore'],
  'rx-anthropic/otel': ['openTelemetry', 'INSTRUMENTATION_SCOPE', 'errorType', 'ATTR_CANCELLED', 'ATTR_CONTENT_TRUNCATED'],
} as const;

/** An entry of the package, as an app imports it. */
export type Entry = keyof typeof PUBLIC_NAMES;

/**
 * What must be loaded before an entry when no Angular build has linked Angular's packages:
 * `@angular/compiler`, for the JIT compilation of their declarations.
 */
export const LOADED_FIRST: Partial<Record<Entry, string>> = { 'rx-anthropic/angular': '@angular/compiler' };
