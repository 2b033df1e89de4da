import { provideHttpClient, withFetch, withInterceptors, type HttpInterceptorFn } from '@angular/common/http';
import { inject, InjectionToken, provideZonelessChangeDetection, type ApplicationConfig } from '@angular/core';
import { ANTHROPIC_REQUEST, provideAnthropic } from 'rx-anthropic/angular';

/** The signed-in user's token for the proxy; your auth service would provide it. */
export const SESSION_TOKEN = new InjectionToken<() => string>('session token', { providedIn: 'root', factory: () => () => 'guest' });

/** Adds the session to the Anthropic requests (and to no other request), for the proxy's `authorize`. */
export const proxyAuth: HttpInterceptorFn = (request, next) => {
  if (!request.context.get(ANTHROPIC_REQUEST)) return next(request);
  return next(request.clone({ setHeaders: { authorization: `Bearer ${inject(SESSION_TOKEN)()}` } }));
};

export const appConfig: ApplicationConfig = {
  providers: [
    provideZonelessChangeDetection(),
    provideHttpClient(withFetch(), withInterceptors([proxyAuth])),
    provideAnthropic({ baseURL: '/api', maxRetries: 1, params: { model: 'claude-sonnet-4-6', max_tokens: 1024 } }),
  ],
};
