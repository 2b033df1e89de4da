import { provideHttpClient, withFetch } from '@angular/common/http';
import { provideZonelessChangeDetection, type ApplicationConfig } from '@angular/core';
import { provideClientHydration, withEventReplay } from '@angular/platform-browser';
import { provideAnthropic } from 'rx-anthropic/angular';

/**
 * Zoneless: every view here updates from signals or the async pipe, which both mark it for
 * checking. The client sends through HttpClient (`withFetch()` streams the body) to the proxy at
 * `<page origin>/api`, without credentials: the proxy holds the key. `ng build` prerenders the page
 * (app.config.server.ts), with the panes as they are before any reply: the client sends nothing
 * while rendering on the server.
 */
export const appConfig: ApplicationConfig = {
  providers: [
    provideZonelessChangeDetection(),
    // The page is prerendered (app.config.server.ts): the browser takes its DOM over, and replays the clicks made before.
    provideClientHydration(withEventReplay()),
    provideHttpClient(withFetch()),
    provideAnthropic({ baseURL: '/api', maxRetries: 0, params: { model: 'claude-sonnet-4-6', max_tokens: 1024 } }),
  ],
};
