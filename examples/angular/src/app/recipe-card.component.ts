import { ChangeDetectionStrategy, Component, DestroyRef, inject, signal } from '@angular/core';
import * as t from 'io-ts';
import type { Subscription } from 'rxjs';
import { described, outputFormat, partialOutput, type DeepPartial } from 'rx-anthropic';
import { injectAnthropicClient, type ChatStatus } from 'rx-anthropic/angular';

/** The card's fields: the codec is the answer's type, the JSON Schema sent, and the check at the end. */
const Recipe = t.type({
  title: t.string,
  servings: described(t.number, 'How many people it serves'),
  minutes: described(t.number, 'Preparation and cooking time, in minutes'),
  ingredients: described(t.array(t.string), 'Each with its quantity'),
  steps: t.array(t.string),
});
type Recipe = t.TypeOf<typeof Recipe>;

const recipeFormat = outputFormat(Recipe);

/**
 * A recipe card that fills in while the answer streams: one request with a structured output
 * (`output_config.format`) on `injectAnthropicClient()`, read with `partialOutput()`, which gives a
 * typed partial recipe after each text delta that changes it. Each field shows as soon as it has
 * begun (the title letter by letter, the lists item by item); `done` means the whole answer was
 * checked against the codec. Stop, a new question or leaving the page unsubscribes, which aborts
 * the request.
 */
@Component({
  selector: 'app-recipe-card',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section data-pane="recipe">
      <h2>structured output · a card from partial objects</h2>
      <form (submit)="$event.preventDefault(); ask(dish.value)">
        <input #dish name="prompt" value="Lemon risotto" />
        <button type="submit" data-action="send">Send</button>
        <button type="button" data-action="stop" (click)="stop()" [disabled]="status() !== 'streaming'">Stop</button>
      </form>
      @let card = recipe();
      <article class="recipe" data-card>
        <h3 data-field="title" [class.pending]="card.title === undefined">{{ card.title ?? '…' }}</h3>
        <p class="facts">
          Serves <b data-field="servings">{{ card.servings ?? '…' }}</b> · <b data-field="minutes">{{ card.minutes ?? '…' }}</b> minutes
        </p>
        <h4>Ingredients</h4>
        <ul data-field="ingredients">
          @for (ingredient of card.ingredients ?? []; track $index) {
            <li>{{ ingredient }}</li>
          } @empty {
            <li class="pending">…</li>
          }
        </ul>
        <h4>Steps</h4>
        <ol data-field="steps">
          @for (step of card.steps ?? []; track $index) {
            <li>{{ step }}</li>
          } @empty {
            <li class="pending">…</li>
          }
        </ol>
      </article>
      <div class="status">
        <b data-status>{{ status() }}</b> · partial objects: <span data-updates>{{ updates() }}</span>
        @if (error()) { · <span data-error>{{ error() }}</span> }
      </div>
    </section>
  `,
})
export class RecipeCardComponent {
  private readonly client = injectAnthropicClient();
  private running: Subscription | undefined;

  /** The recipe as far as it has streamed: each field appears when it begins. */
  readonly recipe = signal<DeepPartial<Recipe>>({});
  /** How many partial recipes have arrived. */
  readonly updates = signal(0);
  readonly status = signal<ChatStatus>('idle');
  readonly error = signal<unknown>(undefined);

  constructor() {
    inject(DestroyRef).onDestroy(() => this.running?.unsubscribe());
  }

  ask(dish: string): void {
    if (dish.trim() === '') return;
    this.running?.unsubscribe();
    this.recipe.set({});
    this.updates.set(0);
    this.error.set(undefined);
    this.status.set('streaming');
    this.running = this.client.messages
      .stream({
        model: 'claude-sonnet-4-6',
        max_tokens: 1024,
        messages: [{ role: 'user', content: `A recipe for ${dish}, for a card: a title, servings, minutes, ingredients and steps.` }],
        output_config: { format: recipeFormat },
      })
      .pipe(partialOutput(recipeFormat))
      .subscribe({
        next: (recipe) => {
          this.recipe.set(recipe);
          this.updates.update((count) => count + 1);
        },
        error: (error: unknown) => {
          this.error.set(error);
          this.status.set('error');
        },
        // partialOutput completes only once the whole answer has passed the codec.
        complete: () => this.status.set('done'),
      });
  }

  stop(): void {
    if (this.running === undefined || this.running.closed) return;
    this.running.unsubscribe();
    this.status.set('stopped');
  }
}
