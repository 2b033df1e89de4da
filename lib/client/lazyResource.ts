import type { Observable } from 'rxjs';
import { lazyModule, whenLoaded } from './whenLoaded';

/** A resource whose every method returns a cold Observable (`client.files`, `client.models`, …). */
type ObservableMethods<R> = { readonly [K in keyof R]: (...args: never[]) => Observable<unknown> };

/**
 * A resource made at the first subscription to any of its methods, from a module loaded then
 * (`load` does the `import()` and builds the resource): each method is there at once and returns
 * a cold Observable, as the resource's own would, so that the resource's code stays out of an
 * app's first bundle until it is used (see `whenLoaded`). `methods` names every method (the type
 * checks that none is missing).
 *
 * ## Example
 * ```ts
 * const files: Files = lazyResource(() => import('./files').then(({ createFiles }) => createFiles(config)), FILES_METHODS);
 * ```
 */
export function lazyResource<R extends ObservableMethods<R>>(load: () => Promise<R>, methods: { readonly [K in keyof R]-?: true }): R {
  const made = lazyModule(load);
  const resource: Partial<Record<keyof R, unknown>> = {};
  for (const name of Object.keys(methods) as (keyof R)[]) {
    resource[name] = (...args: never[]) => whenLoaded(made, (loaded) => loaded[name](...args));
  }
  return resource as R;
}
