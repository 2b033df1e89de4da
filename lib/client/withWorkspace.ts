import type { RequestOptions } from '../transport/HttpRequest';

/**
 * The options with the `anthropic-workspace-id` header that the official SDK sends for a
 * `workspace_id` parameter, when one is given (a header of the caller's own wins).
 */
export function withWorkspace(options: RequestOptions, workspaceId: string | undefined): RequestOptions {
  if (workspaceId === undefined) return options;
  return { ...options, headers: { 'anthropic-workspace-id': workspaceId, ...options.headers } };
}
