import { provideZonelessChangeDetection, type ApplicationConfig } from '@angular/core';

/** Zoneless: every view here updates from the async pipe or from signals, which both mark it for checking. */
export const appConfig: ApplicationConfig = {
  providers: [provideZonelessChangeDetection()],
};
