import { provideHttpClient, withFetch } from '@angular/common/http';
import { provideZonelessChangeDetection, type ApplicationConfig } from '@angular/core';
import { provideAnthropic } from 'rx-anthropic/angular';

/**
 * Zoneless: every view here updates from signals or the async pipe, which both mark it for
 * checking. The client sends through HttpClient (`withFetch()` streams the body) to the proxy at
 * `<page origin>/api`, without credentials: the proxy holds the key.
 */
export const appConfig: ApplicationConfig = {
  providers: [
    provideZonelessChangeDetection(),
    provideHttpClient(withFetch()),
    provideAnthropic({ baseURL: '/api', maxRetries: 0, params: { model: 'claude-sonnet-4-6', max_tokens: 1024 } }),
  ],
};
