import { defer, switchMap, type Observable } from 'rxjs';

/**
 * A module loaded at first use: `load` is an `import()`, run at the first subscription that needs
 * the module, again after a failure, and never once it has loaded.
 */
export interface LazyModule<M> {
  /** The module, once loaded. */
  readonly loaded: () => Promise<M>;
  /** The module if it has loaded already. */
  readonly current: () => M | undefined;
}

/**
 * A module loaded at first use (see {@link whenLoaded}).
 *
 * ## Example
 * ```ts
 * const toolLoopModule = lazyModule(() => import('../tools/toolLoop'));
 * ```
 */
export function lazyModule<M>(load: () => Promise<M>): LazyModule<M> {
  let module: M | undefined;
  let loading: Promise<M> | undefined;
  const loaded = (): Promise<M> =>
    (loading ??= load().then(
      (value) => (module = value),
      (error: unknown) => {
        loading = undefined;
        throw error;
      },
    ));
  return { loaded, current: () => module };
}

/**
 * An Observable made from a module loaded at first use. What a client's method needs only when
 * it is called (the tool loop, `parse`, the Files, Models and Batches APIs) thereby stays out of an
 * app's first bundle: a bundler that splits code (the Angular CLI's, Vite, webpack) puts it in a
 * chunk of its own, fetched at the first subscription. Until the module is there nothing is sent,
 * and unsubscribing meanwhile sends nothing; once it has loaded, subscribing is as direct as if it
 * had been imported.
 *
 * ## Example
 * ```ts
 * const loop$ = whenLoaded(toolLoopModule, ({ toolLoop }) => of(params).pipe(toolLoop(client, options)));
 * ```
 */
export function whenLoaded<M, T>(module: LazyModule<M>, make: (module: M) => Observable<T>): Observable<T> {
  return defer(() => {
    const current = module.current();
    return current !== undefined ? make(current) : defer(module.loaded).pipe(switchMap(make));
  });
}
