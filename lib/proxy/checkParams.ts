import { ProxyRefusalError } from './ProxyRefusalError';
import type { ProxyParams, ProxyRoute } from './types';

/** The checks {@link checkParams} applies: the resolved options of the proxy. */
export interface ParamsPolicy {
  readonly allowedParams: readonly string[];
  readonly allowedModels: readonly string[] | undefined;
  readonly maxTokens: number | undefined;
  readonly overMaxTokens: 'refuse' | 'clamp';
  readonly allowedToolTypes: readonly string[];
}

const quoted = (names: readonly string[]): string => names.map((name) => JSON.stringify(name)).join(', ');

/**
 * The browser's request body as params the proxy may send upstream, or a `ProxyRefusalError`.
 *
 * The body must be a JSON object; `stream` is dropped (the route decides it). Then, in order: every
 * top-level param is in `allowedParams` (403 naming the others); the model is in `allowedModels`
 * (403); `max_tokens` is within `maxTokens` (400, or lowered to it with `overMaxTokens: 'clamp'`;
 * not checked on the token-count route, which has none); every tool's type is in
 * `allowedToolTypes` (403). The shape of the rest is the API's to check.
 */
export function checkParams(body: unknown, route: ProxyRoute, policy: ParamsPolicy): ProxyParams {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    const got = body === null ? 'null' : Array.isArray(body) ? 'an array' : `a ${typeof body}`;
    throw new ProxyRefusalError(400, `The request body must be a JSON object, the Messages API params; got ${got}.`);
  }
  const { stream: _stream, ...params } = body as Record<string, unknown>;

  const refused = Object.keys(params).filter((name) => !policy.allowedParams.includes(name));
  if (refused.length > 0) {
    throw new ProxyRefusalError(
      403,
      `This proxy does not pass the param${refused.length > 1 ? 's' : ''} ${quoted(refused)}; allowed: ${policy.allowedParams.join(', ')}.`,
    );
  }

  if (policy.allowedModels) {
    const { model } = params;
    if (typeof model !== 'string') throw new ProxyRefusalError(400, 'The request has no model: `model` must be a string.');
    if (!policy.allowedModels.includes(model)) {
      throw new ProxyRefusalError(403, `The model ${JSON.stringify(model)} is not allowed by this proxy; allowed: ${policy.allowedModels.join(', ')}.`);
    }
  }

  if (policy.maxTokens !== undefined && route !== 'countTokens' && params['max_tokens'] !== undefined) {
    const maxTokens = params['max_tokens'];
    if (typeof maxTokens !== 'number' || !Number.isInteger(maxTokens) || maxTokens < 1) {
      throw new ProxyRefusalError(400, `max_tokens must be a whole number of at least 1; got ${JSON.stringify(maxTokens)}.`);
    }
    if (maxTokens > policy.maxTokens) {
      if (policy.overMaxTokens === 'clamp') params['max_tokens'] = policy.maxTokens;
      else throw new ProxyRefusalError(400, `max_tokens ${maxTokens} is over this proxy's cap of ${policy.maxTokens}: ask for at most ${policy.maxTokens}.`);
    }
  }

  if (Array.isArray(params['tools'])) {
    for (const [index, tool] of (params['tools'] as unknown[]).entries()) {
      const { type = 'custom', name } = (typeof tool === 'object' && tool !== null ? tool : {}) as { type?: unknown; name?: unknown };
      if (typeof type === 'string' && policy.allowedToolTypes.includes(type)) continue;
      const which = typeof name === 'string' ? JSON.stringify(name) : `at tools.${index}`;
      throw new ProxyRefusalError(
        403,
        `The tool ${which} of type ${JSON.stringify(type)} is not allowed by this proxy; allowed tool types: ${policy.allowedToolTypes.join(', ')}.`,
      );
    }
  }

  return params as unknown as ProxyParams;
}
