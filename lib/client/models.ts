import * as t from 'io-ts';
import { defer, map, type Observable } from 'rxjs';
import { nullable, openEnum, struct } from '../schema/combinators';
import type { RequestOptions, TransportConfig } from '../transport/HttpRequest';
import { decodeResponse } from './decodeResponse';
import { getJSON } from './getJSON';
import { cursorList } from './cursorList';
import { resourcePath } from './resourcePath';

/**
 * What the Models API tells about a model (the official SDK's `ModelInfo`; `Model` is the type of
 * a model name). Open: fields the API adds later are kept, and only `id`, `type`,
 * `display_name` and `created_at` are required.
 *
 * ## Example
 * ```ts
 * const info: ModelInfo = { type: 'model', id: 'claude-sonnet-4-6', display_name: 'Claude Sonnet 4.6', created_at: '2026-02-05T00:00:00Z' };
 * ```
 *
 * @see Models
 */
export const ModelInfo = struct(
  'ModelInfo',
  { id: t.string, type: t.literal('model'), display_name: t.string, created_at: t.string },
  {
    lifecycle: openEnum(['active', 'deprecated', 'retired']),
    line: nullable(t.string),
    deprecated_at: nullable(t.string),
    retires_at: nullable(t.string),
    max_input_tokens: nullable(t.number),
    max_tokens: nullable(t.number),
    capabilities: nullable(t.UnknownRecord),
  },
);
export type ModelInfo = t.TypeOf<typeof ModelInfo>;

/**
 * The parameters of `client.models.list()`, as the official SDK takes them.
 *
 * ## Example
 * ```ts
 * const params: ModelListParams = { limit: 5, lifecycle: ['active'] };
 * client.models.list(params).subscribe((model) => console.log(model.id));
 * ```
 */
export interface ModelListParams {
  /** Models per page (1 to 1000; the API's default is 20). */
  limit?: number;
  /** Start after this model id (the pages go on forward). */
  after_id?: string;
  /** Start before this model id (the pages go on backward, each one before the last). */
  before_id?: string;
  /** Only models in these stages; the API's default is `active` and `deprecated`. */
  lifecycle?: readonly ('active' | 'deprecated' | 'retired')[];
  /** Sent as the `anthropic-workspace-id` header, for credentials of several workspaces. */
  workspace_id?: string;
}

/**
 * `client.models`: the Models API, each call a cold Observable (nothing is sent before
 * subscribe, each subscription sends its own request, unsubscribing aborts it).
 *
 * ## Example
 * ```ts
 * client.models.retrieve('claude-sonnet-4-6').subscribe((info) => console.log(info.display_name));
 * ```
 */
export interface Models {
  /**
   * The models available, most recently released first, one value per model across pages:
   * `GET /v1/models`, then `after_id=<last_id>` (or, with `before_id`, `before_id=<first_id>`)
   * while `has_more`, each next page requested only when the last model of the page before has
   * been taken.
   *
   * ## Example
   * ```ts
   * client.models.list().pipe(map((model) => model.id), toArray()).subscribe(console.log);
   * ```
   */
  list(params?: ModelListParams, options?: RequestOptions): Observable<ModelInfo>;
  /**
   * One model, by id or alias: `GET /v1/models/{id}`; an unknown one fails with `NotFoundError`,
   * an empty one (or `.`, `..`) with `InvalidArgumentError` at subscribe, before anything is sent.
   *
   * ## Example
   * ```ts
   * client.models.retrieve('claude-sonnet-4-6').subscribe((info) => console.log(info.max_input_tokens));
   * ```
   */
  retrieve(id: string, options?: RequestOptions): Observable<ModelInfo>;
}

/**
 * The `models` resource over a transport configuration, as `createClient` builds it.
 *
 * ## Example
 * ```ts
 * const models = createModels(config);
 * models.retrieve('claude-sonnet-4-6').subscribe(console.log);
 * ```
 *
 * @param config Where requests go, with which headers, retries and timeout.
 * @return The `models` resource.
 * @see Models
 */
export function createModels(config: TransportConfig): Models {
  return {
    list(params = {}, options = {}) {
      return cursorList(config, '/v1/models', params, options, ModelInfo, 'the Models API');
    },
    retrieve(id, options = {}) {
      return defer(() => getJSON(config, resourcePath('/v1/models/', id, 'model id'), options)).pipe(map((value) => decodeResponse(ModelInfo, value, 'the Models API')));
    },
  };
}
