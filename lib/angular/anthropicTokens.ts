import { InjectionToken } from '@angular/core';
import type { Client } from '../client/createClient';
import type { AnthropicOptions } from './AnthropicOptions';

/**
 * The client of the nearest `provideAnthropic()`; `injectAnthropicClient()` reads it.
 *
 * Provide it yourself to hand every consumer a client of your own (a fake in a test):
 *
 * ## Example
 * ```ts
 * TestBed.configureTestingModule({
 *   providers: [{ provide: ANTHROPIC_CLIENT, useValue: createClient({ baseURL: server.baseURL, apiKey: null }) }],
 * });
 * ```
 */
export const ANTHROPIC_CLIENT = new InjectionToken<Client>('rx-anthropic client');

/**
 * The options of the nearest `provideAnthropic()`, merged over those of the providers above it:
 * what a feature's `provideAnthropic()` inherits and overrides.
 *
 * ## Example
 * ```ts
 * const model = inject(ANTHROPIC_OPTIONS, { optional: true })?.params?.model ?? 'claude-sonnet-4-6';
 * ```
 */
export const ANTHROPIC_OPTIONS = new InjectionToken<AnthropicOptions>('rx-anthropic options');
