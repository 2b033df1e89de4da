import { HttpContextToken } from '@angular/common/http';

/**
 * `true` in the `HttpContext` of every request the `HttpClient` transport sends, so that an
 * interceptor can act on the Anthropic requests only (add a session token for your proxy, log
 * them) and leave the app's other requests alone.
 *
 * ## Example
 * ```ts
 * const proxyAuth: HttpInterceptorFn = (request, next) =>
 *   request.context.get(ANTHROPIC_REQUEST) ? next(request.clone({ setHeaders: { authorization: `Bearer ${session.token()}` } })) : next(request);
 * provideHttpClient(withFetch(), withInterceptors([proxyAuth]));
 * ```
 */
export const ANTHROPIC_REQUEST = new HttpContextToken<boolean>(() => false);
