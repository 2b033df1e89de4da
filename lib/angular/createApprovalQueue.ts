import { signal, type Signal } from '@angular/core';
import { defer, filter, finalize, map, Subject, take, type Observable } from 'rxjs';
import type { ToolApprovalRequest } from '../tools/ToolLoopEvent';
import type { ToolApprovalDecision } from '../tools/ToolLoopOptions';

/**
 * The questions a tool loop is waiting on, and the clicks that answer them: what an Allow / Deny
 * card binds to. Made by {@link createApprovalQueue}.
 *
 * ## Example
 * ```ts
 * const approvals: ApprovalQueue = createApprovalQueue();
 * const chat = injectChatStore({ tools: [sendEmail], loop: { approve: approvals.approve } });
 * // template: @for (request of approvals.pending(); track request.tool_use_id) { … (click)="approvals.allow(request)" … }
 * ```
 */
export interface ApprovalQueue {
  /** The questions waiting for an answer, oldest first: one card each. */
  readonly pending: Signal<readonly ToolApprovalRequest[]>;
  /** The loop's `approve` option: an Observable of the answer to this request's card. */
  readonly approve: (request: ToolApprovalRequest) => Observable<ToolApprovalDecision>;
  /** Answers the card of `request`; nothing happens when the loop no longer waits for it. */
  answer(request: ToolApprovalRequest, decision: ToolApprovalDecision): void;
  /** Answers `{ approved: true }`: the tool runs. */
  allow(request: ToolApprovalRequest): void;
  /** Answers `{ approved: false, reason }`: the tool does not run, and the model reads the reason. */
  deny(request: ToolApprovalRequest, reason?: string): void;
}

/** What the model reads when the user denies a tool without saying why. */
const DENIED = 'The user denied this tool use.';

/**
 * An approval queue for a tool loop with `needsApproval` tools: its `approve` is the loop's
 * `approve` option, and its `pending` signal lists the questions for the page to show as Allow /
 * Deny cards.
 *
 * A question is in `pending` exactly while the loop is subscribed to its answer: it appears when
 * the loop asks, and goes when a click answers it or when the loop is unsubscribed (Stop, a new
 * `send()`, the component destroyed), so a card never outlives its question and a late click
 * answers nothing. Questions of one turn wait side by side, each for the first answer given to
 * its own `tool_use_id`. Needs no injection context: create it in a field, next to the store.
 *
 * ## Example
 * ```ts
 * @Component({
 *   selector: 'app-mail-chat',
 *   template: `
 *     @for (request of approvals.pending(); track request.tool_use_id) {
 *       <p>Run {{ request.name }}?</p>
 *       <button (click)="approvals.allow(request)">Allow</button>
 *       <button (click)="approvals.deny(request, 'The user said no.')">Deny</button>
 *     }
 *   `,
 * })
 * export class MailChat {
 *   readonly approvals = createApprovalQueue();
 *   readonly chat = injectChatStore({ tools: [sendEmail], loop: { approve: this.approvals.approve } });
 * }
 * ```
 *
 * @return A queue with no question yet.
 * @see injectChatStore
 */
export function createApprovalQueue(): ApprovalQueue {
  const questions = signal<readonly ToolApprovalRequest[]>([]);
  const answers = new Subject<{ readonly toolUseId: string; readonly decision: ToolApprovalDecision }>();
  const answer = (request: ToolApprovalRequest, decision: ToolApprovalDecision): void => answers.next({ toolUseId: request.tool_use_id, decision });
  return {
    pending: questions.asReadonly(),
    approve: (request) =>
      defer(() => {
        questions.update((waiting) => [...waiting, request]);
        return answers.pipe(
          filter((given) => given.toolUseId === request.tool_use_id),
          take(1),
          map((given) => given.decision),
          finalize(() => questions.update((waiting) => waiting.filter((question) => question !== request))),
        );
      }),
    answer,
    allow: (request) => answer(request, { approved: true }),
    deny: (request, reason = DENIED) => answer(request, { approved: false, reason }),
  };
}
