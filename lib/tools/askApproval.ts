import { defaultIfEmpty, map, Observable } from 'rxjs';
import { InvalidArgumentError } from '../errors';
import { hookAnswer } from './hookAnswer';
import type { ToolApprovalDecision, ToolLoopOptions } from './ToolLoopOptions';
import type { ToolApprovalRequest } from './ToolLoopEvent';

/** What an approver that completes without answering decides: the tool does not run. */
const UNANSWERED: ToolApprovalDecision = { approved: false };

/**
 * Asks the loop's `approve` about one tool use, as an Observable of exactly one checked decision.
 *
 * `approve` is called on subscribe with the request and an `AbortSignal` that aborts when the
 * Observable is unsubscribed before the answer (for Promise-based approvers); an Observable
 * answer is unsubscribed after its first value. No answer at all counts as a denial. An answer
 * of another shape fails with `InvalidArgumentError` (argument `approve`), and so does a tool
 * that needs approval in a loop without `approve`: a tool that was meant to be approved never
 * runs unasked.
 *
 * ## Example
 * ```ts
 * askApproval({ type: 'tool_approval_request', tool_use_id: 'toolu_1', name: 'delete_file', input: { path: 'a.txt' } }, options.approve)
 *   .subscribe((decision) => console.log(decision)); // { approved: false, reason: '…' }
 * ```
 *
 * @param request The approval request the loop emitted.
 * @param approve The loop's `approve` option.
 * @return An Observable of the decision.
 */
export function askApproval(request: ToolApprovalRequest, approve: ToolLoopOptions['approve']): Observable<ToolApprovalDecision> {
  return new Observable<ToolApprovalDecision>((subscriber) => {
    if (approve === undefined) {
      subscriber.error(
        new InvalidArgumentError('approve', `Tool "${request.name}" needs approval, but the tool loop has no \`approve\` option to ask: add one, or drop \`needsApproval\`.`),
      );
      return;
    }
    const controller = new AbortController();
    let answered = false;
    const subscription = hookAnswer(() => approve(request, { signal: controller.signal }))
      .pipe(
        defaultIfEmpty(UNANSWERED),
        map((answer) => checkedDecision(answer, request.name)),
      )
      .subscribe({
        next: (decision) => {
          answered = true;
          subscriber.next(decision);
        },
        error: (error: unknown) => {
          answered = true;
          subscriber.error(error);
        },
        complete: () => subscriber.complete(),
      });
    return () => {
      subscription.unsubscribe();
      if (!answered) controller.abort();
    };
  });
}

function checkedDecision(answer: unknown, name: string): ToolApprovalDecision {
  if (typeof answer === 'object' && answer !== null) {
    const { approved, reason, result } = answer as { approved?: unknown; reason?: unknown; result?: unknown };
    if (approved === true) return answer as ToolApprovalDecision;
    if (approved === false && (reason === undefined || typeof reason === 'string')) return answer as ToolApprovalDecision;
    if (approved === undefined && (typeof result === 'string' || Array.isArray(result))) return answer as ToolApprovalDecision;
  }
  const got = JSON.stringify(answer) ?? String(answer);
  throw new InvalidArgumentError(
    'approve',
    `\`approve\` answered ${got.length > 120 ? `${got.slice(0, 120)}…` : got} about tool "${name}": ` +
      'answer { approved: true }, { approved: false, reason? } or { result: content }.',
  );
}
