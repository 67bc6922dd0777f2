import type { DeployRun } from '../../../../src-shared/model/deploy-run';
import type { MessageKey } from '../../i18n/en';
import type { Translate } from '../../i18n/i18n';
import { operationLabel } from './engine-labels';

/** "Deploy finished", or for a day-2 operation on the same engine "Reset finished". */
export function runStateLabel(t: Translate, run: Pick<DeployRun, 'operation' | 'state'>): string {
  if (!run.operation || run.operation === 'deploy') return t(`deploy.run.state.${run.state}` as MessageKey);
  return t(`ops.run.state.${run.state}` as MessageKey, { operation: operationLabel(t, run.operation) });
}
