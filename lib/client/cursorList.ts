import * as t from 'io-ts';
import { map, type Observable } from 'rxjs';
import { nullable, struct } from '../schema/combinators';
import type { RequestOptions, TransportConfig } from '../transport/HttpRequest';
import { decodeResponse } from './decodeResponse';
import { getJSON } from './getJSON';
import { pagedList } from './pagedList';
import { queryString, type QueryValue } from './queryString';
import { withWorkspace } from './withWorkspace';

/**
 * The items of a list the API pages as its `Page` (`data`, `has_more`, `first_id`, `last_id`),
 * read with {@link pagedList}: `GET path?query`, then, while `has_more`, `after_id=<last_id>`
 * (or, when `before_id` is given, `before_id=<first_id>`, backward, as the official SDK's Page
 * goes). `workspace_id` is sent as the `anthropic-workspace-id` header.
 */
export function cursorList<C extends t.Mixed>(
  config: TransportConfig,
  path: string,
  params: { readonly workspace_id?: string | undefined; readonly before_id?: string | undefined },
  options: RequestOptions,
  item: C,
  what: string,
): Observable<t.TypeOf<C>> {
  const { workspace_id, ...rest } = params;
  // The params are the API's query parameters, each a QueryValue.
  const query = rest as Readonly<Record<string, QueryValue>>;
  const listOptions = withWorkspace(options, workspace_id);
  const Page = struct(`${item.name}Page`, { data: t.array(item) }, { has_more: nullable(t.boolean), first_id: nullable(t.string), last_id: nullable(t.string) });
  const cursorName = query['before_id'] ? 'before_id' : 'after_id';
  return pagedList((cursor) =>
    getJSON(config, `${path}${queryString(cursor === null ? query : { ...query, [cursorName]: cursor })}`, listOptions).pipe(
      map((value) => {
        const page = decodeResponse(Page, value, what);
        const next = cursorName === 'before_id' ? page.first_id : page.last_id;
        return { items: page.data as t.TypeOf<C>[], next: page.has_more !== false && page.data.length > 0 && next ? next : null };
      }),
    ),
  );
}
