import { lastValueFrom, Observable, of, Subject, take, tap, toArray } from 'rxjs';
import { createClient, pagedList, type ListPage } from 'rx-anthropic';
import { createMockServer, type MockFile, type MockServer } from 'rx-anthropic/testing';

let server: MockServer | undefined;
afterEach(async () => server?.close());

const files = (count: number): MockFile[] => Array.from({ length: count }, (_, i) => ({ filename: `f${i + 1}.txt`, content: `file ${i + 1}` }));

describe('pagedList', () => {
  it('emits the items of every page in order, asking each next page with the cursor the page before gave', async () => {
    const cursors: (string | null)[] = [];
    const pages: Record<string, ListPage<number>> = { first: { items: [1, 2], next: 'b' }, b: { items: [3], next: 'c' }, c: { items: [4, 5], next: null } };
    const list$ = pagedList((cursor) => {
      cursors.push(cursor);
      return of(pages[cursor ?? 'first']!);
    });
    expect(await lastValueFrom(list$.pipe(toArray()))).toEqual([1, 2, 3, 4, 5]);
    expect(cursors).toEqual([null, 'b', 'c']);
  });

  it('requests nothing before subscribe, and again for each subscription', async () => {
    let requests = 0;
    const list$ = pagedList(() => {
      requests++;
      return of({ items: ['a'], next: null });
    });
    expect(requests).toBe(0);
    await lastValueFrom(list$);
    await lastValueFrom(list$);
    expect(requests).toBe(2);
  });

  it('does not request the next page when the subscriber stops at the last item of a page', async () => {
    const cursors: (string | null)[] = [];
    const list$ = pagedList((cursor) => {
      cursors.push(cursor);
      return of({ items: [cursor ?? 'first', 'x'], next: 'more' });
    });
    expect(await lastValueFrom(list$.pipe(take(2), toArray()))).toEqual(['first', 'x']);
    expect(cursors).toEqual([null]);
  });

  it('unsubscribes (aborts) the page request in flight when the subscriber unsubscribes', () => {
    const page = new Subject<ListPage<number>>();
    let subscribed = 0;
    let unsubscribed = 0;
    const request: Observable<ListPage<number>> = new Observable((subscriber) => {
      subscribed++;
      const inner = page.subscribe(subscriber);
      return () => {
        unsubscribed++;
        inner.unsubscribe();
      };
    });
    const subscription = pagedList(() => request).subscribe();
    expect(subscribed).toBe(1);
    subscription.unsubscribe();
    expect(unsubscribed).toBe(1);
    expect(page.observed).toBe(false);
  });

  it('passes on the error of a page request after the items before it', async () => {
    const page2 = new Subject<ListPage<number>>();
    const seen: number[] = [];
    const list$ = pagedList((cursor) => (cursor === null ? of({ items: [1], next: '2' }) : page2));
    const done = lastValueFrom(list$.pipe(tap((item) => seen.push(item)))).catch((error: unknown) => error);
    page2.error(new Error('page 2 failed'));
    expect(await done).toEqual(new Error('page 2 failed'));
    expect(seen).toEqual([1]);
  });
});

describe('a list over HTTP (client.files.list against the mock server)', () => {
  it('take(5) on a first page of 20 sends one request', async () => {
    server = await createMockServer([], { files: files(45) });
    const client = createClient({ apiKey: 'k', baseURL: server.baseURL, maxRetries: 0 });
    const names = await lastValueFrom(client.files.list().pipe(take(5), toArray()));
    expect(names.map((file) => file.filename)).toEqual(['f45.txt', 'f44.txt', 'f43.txt', 'f42.txt', 'f41.txt']);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(server.requests).toHaveLength(1);
  });

  it('reads every page, and each next one only as the items are taken', async () => {
    server = await createMockServer([], { files: files(45) });
    const client = createClient({ apiKey: 'k', baseURL: server.baseURL, maxRetries: 0 });
    const all = await lastValueFrom(client.files.list().pipe(toArray()));
    expect(all).toHaveLength(45);
    expect(new Set(all.map((file) => file.id)).size).toBe(45);
    expect(server.requests.map((request) => request.search)).toEqual(['', 'page=page_20', 'page=page_40']);
    const twentyOne = await lastValueFrom(client.files.list().pipe(take(21), toArray()));
    expect(twentyOne).toHaveLength(21);
    expect(server.requests).toHaveLength(5);
  });
});
