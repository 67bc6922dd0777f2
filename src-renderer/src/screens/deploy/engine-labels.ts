import type { Operation, PhaseId } from '../../../../src-shared/model/plan';
import { en, type MessageKey } from '../../i18n/en';
import type { Translate } from '../../i18n/i18n';

// Phases and operations are added to the shared model as the engine grows; until their texts exist, the id is shown.
const labelOr = (t: Translate, key: string, fallback: string): string => (key in en ? t(key as MessageKey) : fallback);

/** "Control plane" for control-plane, on the Deploy and Operations screens alike. */
export function phaseLabel(t: Translate, phase: PhaseId): string {
  return labelOr(t, `deploy.phase.${phase}`, phase);
}

/** "Reset" for reset: what a run on the engine does. */
export function operationLabel(t: Translate, operation: Operation): string {
  return labelOr(t, `ops.kind.${operation}`, operation);
}
