import { isObservable, type Observable } from 'rxjs';
import type { Client } from '../client/createClient';

/**
 * The client, with every method that returns an Observable (a request: `messages.stream`,
 * `messages.create`, `toolLoop`, `files.upload`, …) answering `replacement()` instead; its other
 * members are the client's own. Methods of nested resources are replaced too, so a resource
 * added to the client later is covered without a change here.
 *
 * It is how a `provideAnthropic()` client waits for the browser while rendering on the server,
 * and how a client whose base URL cannot be resolved fails when it sends rather than when it is
 * created.
 *
 * ## Example
 * ```ts
 * const waiting = replaceRequests(client, () => NEVER);
 * waiting.messages.stream(params).subscribe(); // sends nothing, and never emits
 * ```
 *
 * @param client The client to wrap.
 * @param replacement What each request's Observable becomes.
 * @param baseURL The `baseURL` the wrapped client reports: the client's own unless given.
 * @return The wrapped client.
 */
export function replaceRequests(client: Client, replacement: () => Observable<never>, baseURL: string = client.baseURL): Client {
  const wrapped = new WeakMap<object, object>();
  const wrap = <T extends object>(target: T): T => {
    const known = wrapped.get(target);
    if (known) return known as T;
    const proxy = new Proxy(target, {
      get(object, key, receiver) {
        if (object === client && key === 'baseURL') return baseURL;
        const value: unknown = Reflect.get(object, key, receiver);
        if (typeof value === 'function') {
          return (...args: unknown[]) => {
            const result: unknown = Reflect.apply(value, object, args);
            return isObservable(result) ? replacement() : result;
          };
        }
        return typeof value === 'object' && value !== null ? wrap(value) : value;
      },
    });
    wrapped.set(target, proxy);
    return proxy;
  };
  return wrap(client);
}
