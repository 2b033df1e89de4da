import { mergeApplicationConfig, type ApplicationConfig } from '@angular/core';
import { provideServerRendering, withRoutes } from '@angular/ssr';
import { appConfig } from './app.config';
import { serverRoutes } from './app.routes.server';

/**
 * The browser's configuration, rendered on the server. Nothing changes for rx-anthropic: while
 * rendering, its client sends nothing (the replies stream in the browser), so prerendering needs
 * no request to resolve `baseURL: '/api'` against.
 */
const serverConfig: ApplicationConfig = {
  providers: [provideServerRendering(withRoutes(serverRoutes))],
};

export const config = mergeApplicationConfig(appConfig, serverConfig);
