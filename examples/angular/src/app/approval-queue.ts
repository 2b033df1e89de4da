import { signal } from '@angular/core';
import { defer, filter, finalize, map, Subject, take, type Observable } from 'rxjs';
import type { ToolApprovalDecision, ToolApprovalRequest } from 'rx-anthropic';

/** A click on a card: which tool use, and what the user decided. */
interface Answer {
  readonly toolUseId: string;
  readonly decision: ToolApprovalDecision;
}

/**
 * The questions a tool loop is waiting on, and the clicks that answer them: what an Allow / Deny
 * card binds to.
 *
 * `approve` is the loop's `approve` option. A question is in `pending` exactly while the loop is
 * subscribed to its answer: it appears when the loop asks, and goes when a click answers it or
 * when the loop is unsubscribed (Stop, a new prompt, the component destroyed), so a card never
 * outlives its question and a late click answers nothing. One Subject carries every click; each
 * question takes the first click for its own `tool_use_id`.
 */
export class ApprovalQueue {
  private readonly questions = signal<readonly ToolApprovalRequest[]>([]);
  private readonly clicks = new Subject<Answer>();

  /** The questions waiting for a click, oldest first. */
  readonly pending = this.questions.asReadonly();

  /** The loop's `approve`: an Observable of the click on this request's card. */
  readonly approve = (request: ToolApprovalRequest): Observable<ToolApprovalDecision> =>
    defer(() => {
      this.questions.update((questions) => [...questions, request]);
      return this.clicks.pipe(
        filter((answer) => answer.toolUseId === request.tool_use_id),
        take(1),
        map((answer) => answer.decision),
        finalize(() => this.questions.update((questions) => questions.filter((question) => question !== request))),
      );
    });

  /** Answers the card of `request`; nothing happens when the loop no longer waits for it. */
  answer(request: ToolApprovalRequest, decision: ToolApprovalDecision): void {
    this.clicks.next({ toolUseId: request.tool_use_id, decision });
  }
}
