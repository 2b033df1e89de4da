import { InjectionToken } from '@angular/core';
import type { AnthropicOptions } from './AnthropicOptions';

/**
 * The options of every `provideAnthropic()` of one injector, in the order they were given (a
 * multi provider): `ANTHROPIC_OPTIONS` merges them over those of the injectors above, so two
 * calls in one providers array add up instead of the second replacing the first.
 *
 * ## Example
 * ```ts
 * const layers = inject(ANTHROPIC_OPTION_LAYERS, { self: true, optional: true }) ?? [];
 * ```
 */
export const ANTHROPIC_OPTION_LAYERS = new InjectionToken<readonly AnthropicOptions[]>('rx-anthropic option layers');
