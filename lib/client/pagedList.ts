import { Observable, Subscription } from 'rxjs';

/**
 * One page of a list as {@link pagedList} reads it: its items, and the cursor of the next page
 * (`null` when this page is the last).
 *
 * ## Example
 * ```ts
 * const page: ListPage<FileMetadata> = { items: body.data, next: body.next_page ?? null };
 * ```
 */
export interface ListPage<T> {
  readonly items: readonly T[];
  readonly next: string | null;
}

/**
 * The items of a list across its pages, as one cold Observable that reads the next page only
 * when it is needed.
 *
 * Subscribing requests the first page (`fetchPage(null)`). Its items are emitted one by one,
 * synchronously; only once the subscriber has taken the last of them, and is still subscribed,
 * is the next page requested with the cursor that page gave. So `take(5)` on a list whose first
 * page has 20 items sends one request, and unsubscribing sends nothing more (and aborts a page
 * request in flight, since `fetchPage`'s Observable is unsubscribed). An error of a page
 * request is the list's error; the list completes after the page without a next cursor (or a
 * request that completes without a page).
 *
 * ## Example
 * ```ts
 * const files$ = pagedList((cursor) =>
 *   getJSON(cursor === null ? '/v1/files' : `/v1/files?page=${cursor}`).pipe(
 *     map((body) => ({ items: body.data, next: body.next_page ?? null })),
 *   ),
 * );
 * files$.pipe(take(5)).subscribe(console.log); // one request
 * ```
 *
 * @param fetchPage A cold Observable of one page (its first value is used) for a cursor, `null` for the first page.
 * @return The items of every page, in order.
 */
export function pagedList<T>(fetchPage: (cursor: string | null) => Observable<ListPage<T>>): Observable<T> {
  return new Observable<T>((subscriber) => {
    const requests = new Subscription();
    const load = (cursor: string | null): void => {
      let next: string | null | undefined;
      // A page that completes synchronously has no subscription to remove: the group holds only pending ones.
      let request: Subscription | undefined;
      request = fetchPage(cursor).subscribe({
        next: (page) => {
          if (next !== undefined) return;
          next = page.next;
          for (const item of page.items) {
            if (subscriber.closed) return;
            subscriber.next(item);
          }
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => {
          if (request !== undefined) requests.remove(request);
          if (subscriber.closed) return;
          // A request that completes without a page ends the list, as a page without a next cursor does.
          if (next) load(next);
          else subscriber.complete();
        },
      });
      if (!request.closed) requests.add(request);
    };
    load(null);
    return requests;
  });
}
