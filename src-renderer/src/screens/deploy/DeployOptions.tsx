import { PHASES, type PhaseId } from '../../../../src-shared/model/plan';
import type { MessageKey } from '../../i18n/en';
import { useT } from '../../i18n/i18n';
import { useDeploy } from './store';
import { WaiveChecks } from './WaiveChecks';

/** Less common choices for a run: where to stop, which preflight checks to waive. */
export function DeployOptions() {
  const t = useT();
  const stopAfter = useDeploy((s) => s.stopAfter);
  const waive = useDeploy((s) => s.waive);
  const setStopAfter = useDeploy((s) => s.setStopAfter);
  const toggleWaive = useDeploy((s) => s.toggleWaive);
  return (
    <details className="deploy-options">
      <summary>{t('deploy.options')}</summary>
      <label>
        {t('deploy.stopAfter')}{' '}
        <select value={stopAfter ?? ''} onChange={(e) => setStopAfter(e.target.value === '' ? undefined : (e.target.value as PhaseId))}>
          <option value="">{t('deploy.allPhases')}</option>
          {PHASES.map((p) => (
            <option key={p} value={p}>
              {t(`deploy.phase.${p}` as MessageKey)}
            </option>
          ))}
        </select>
      </label>
      <WaiveChecks waived={waive} onToggle={toggleWaive} />
    </details>
  );
}
