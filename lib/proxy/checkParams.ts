import { checkShape } from './checkShape';
import { isJSONObject } from './isJSONObject';
import { inspectRequest } from './inspectRequest';
import { ProxyRefusalError } from './ProxyRefusalError';
import { quoted, quotedList } from './quoted';
import type { ProxyParams, ProxyRoute } from './types';

/** The checks {@link checkParams} applies: the resolved options of the proxy. */
export interface ParamsPolicy {
  readonly allowedParams: readonly string[];
  readonly allowedModels: readonly string[] | undefined;
  readonly maxTokens: number | undefined;
  readonly overMaxTokens: 'refuse' | 'clamp';
  readonly allowedToolTypes: readonly string[];
  readonly allowedContentTypes: readonly string[];
}

/** The params the proxy may send upstream, and the files they name (for `authorizeFile`). */
export interface CheckedParams {
  readonly params: ProxyParams;
  readonly fileIds: readonly string[];
}

/**
 * The browser's request body as params the proxy may send upstream, or a `ProxyRefusalError`.
 *
 * The body must be a JSON object; `stream` is dropped (the route decides it). Then, in order: the
 * shape of what the checks read (400, see `checkShape`); every top-level param is in
 * `allowedParams`, a system-role message counting as `system` (403 naming the others); the model
 * is in `allowedModels` (403); `max_tokens` is within `maxTokens` (400, or lowered to it with
 * `overMaxTokens: 'clamp'`; not on the token-count route, which has none); every content block
 * and tool definition anywhere in the request is allowed (403, see `inspectRequest`).
 */
export function checkParams(body: unknown, route: ProxyRoute, policy: ParamsPolicy): CheckedParams {
  if (!isJSONObject(body)) {
    const got = body === null ? 'null' : Array.isArray(body) ? 'an array' : `a ${typeof body}`;
    throw new ProxyRefusalError(400, `The request body must be a JSON object, the Messages API params; got ${got}.`);
  }
  const { stream: _stream, ...params } = body;
  checkShape(params, route);

  const refused = Object.keys(params).filter((name) => !policy.allowedParams.includes(name));
  const systemMessage = (params['messages'] as Array<{ role: string }>).findIndex((message) => message.role === 'system');
  if (systemMessage >= 0 && !policy.allowedParams.includes('system') && !refused.includes('system')) refused.push('system');
  if (refused.length > 0) {
    const viaMessage = refused.includes('system') && systemMessage >= 0 ? ` (messages.${systemMessage} has the role "system", which sets the system prompt)` : '';
    throw new ProxyRefusalError(
      403,
      `This proxy does not pass the param${refused.length > 1 ? 's' : ''} ${quotedList(refused)}${viaMessage}; allowed: ${policy.allowedParams.join(', ')}.`,
    );
  }

  const model = params['model'] as string;
  if (policy.allowedModels && !policy.allowedModels.includes(model)) {
    throw new ProxyRefusalError(403, `The model ${quoted(model)} is not allowed by this proxy; allowed: ${policy.allowedModels.join(', ')}.`);
  }

  const maxTokens = params['max_tokens'] as number;
  if (policy.maxTokens !== undefined && route !== 'countTokens' && maxTokens > policy.maxTokens) {
    if (policy.overMaxTokens === 'clamp') params['max_tokens'] = policy.maxTokens;
    else throw new ProxyRefusalError(400, `max_tokens ${maxTokens} is over this proxy's cap of ${policy.maxTokens}: ask for at most ${policy.maxTokens}.`);
  }

  const fileIds = inspectRequest(params, policy);
  return { params: params as unknown as ProxyParams, fileIds };
}
