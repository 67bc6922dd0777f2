import type { OperationPlan } from '../../../../src-shared/contract/operations';
import { useT } from '../../i18n/i18n';
import { PlanView } from '../deploy/PlanView';
import { canRunOperation } from './confirm';
import { useOperations } from './store';

/** What the operation loses for good, every step it takes, and the confirmation that unlocks Run. */
export function OperationPlanView({ plan }: { plan: OperationPlan }) {
  const t = useT();
  const cluster = useOperations((s) => s.cluster ?? '');
  const confirm = useOperations((s) => s.confirm);
  const setConfirm = useOperations((s) => s.setConfirm);
  const start = useOperations((s) => s.start);
  const runnable = useOperations(canRunOperation);
  return (
    <div className="ops-plan">
      {plan.consequences.length > 0 && (
        <div className="ops-consequences" role="note" aria-labelledby="ops-consequences-title">
          <strong id="ops-consequences-title">{t('ops.consequences')}</strong>
          <ul>
            {plan.consequences.map((c) => (
              <li key={c}>{c}</li>
            ))}
          </ul>
        </div>
      )}
      <PlanView plan={plan.plan} cluster={cluster} />
      <form
        className="ops-confirm"
        onSubmit={(e) => {
          e.preventDefault();
          if (runnable) void start('fresh');
        }}
      >
        {plan.confirmText !== undefined && (
          <>
            <label htmlFor="ops-confirm-input">{t('ops.confirmLabel', { text: plan.confirmText })}</label>
            <input
              id="ops-confirm-input"
              value={confirm}
              onChange={(e) => setConfirm(e.target.value)}
              autoComplete="off"
              spellCheck={false}
              aria-describedby="ops-confirm-hint"
            />
            <span id="ops-confirm-hint" className="muted">
              {t('ops.confirmHint')}
            </span>
          </>
        )}
        <button type="submit" className="primary" disabled={!runnable}>
          {t('ops.run')}
        </button>
      </form>
    </div>
  );
}
