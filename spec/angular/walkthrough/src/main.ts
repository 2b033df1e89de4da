import { bootstrapApplication } from '@angular/platform-browser';
import { appConfig } from './app/app.config';
import { Chat } from './app/chat';

bootstrapApplication(Chat, appConfig).catch((error: unknown) => console.error(error));
