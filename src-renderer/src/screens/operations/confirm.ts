import type { OperationPlan } from '../../../../src-shared/contract/operations';

/** Whether what the user typed unlocks the plan: exactly its confirmText, or anything when it asks for none. */
export function confirmSatisfied(confirmText: string | undefined, typed: string): boolean {
  return confirmText === undefined || typed === confirmText;
}

/** Run is offered for a plan the user has read and confirmed, while nothing else runs on the cluster. */
export function canRunOperation(state: { plan: OperationPlan | undefined; confirm: string; running: boolean; starting: boolean }): boolean {
  if (!state.plan || state.running || state.starting) return false;
  return confirmSatisfied(state.plan.confirmText, state.confirm);
}
