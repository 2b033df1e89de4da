import { RenderMode, type ServerRoute } from '@angular/ssr';

/** Every page is prerendered when the app is built. */
export const serverRoutes: ServerRoute[] = [{ path: '**', renderMode: RenderMode.Prerender }];
