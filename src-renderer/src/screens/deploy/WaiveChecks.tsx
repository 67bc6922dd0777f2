import { WAIVABLE_CHECKS, type WaivableCheck } from '../../../../src-shared/model/plan';
import type { MessageKey } from '../../i18n/en';
import { useT } from '../../i18n/i18n';
import './deploy.css';

/** The preflight checks a run may skip, one checkbox each; shared by the deploy and the operations that run the preflight. */
export function WaiveChecks({
  waived,
  onToggle,
  disabled = false,
}: {
  waived: readonly WaivableCheck[];
  onToggle(check: WaivableCheck): void;
  disabled?: boolean;
}) {
  const t = useT();
  return (
    <fieldset className="waive-checks" disabled={disabled}>
      <legend>{t('deploy.waive')}</legend>
      {WAIVABLE_CHECKS.map((c) => (
        <label key={c}>
          <input type="checkbox" checked={waived.includes(c)} onChange={() => onToggle(c)} /> {t(`deploy.waive.${c}` as MessageKey)}
        </label>
      ))}
    </fieldset>
  );
}
