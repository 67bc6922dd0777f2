import { useState } from 'react';
import { useT } from '../../i18n/i18n';
import { useClusters } from '../../stores/clusters';
import { useOperations } from './store';
import {
  BATCH_MAX,
  BATCH_MIN,
  defaultUpgradeTarget,
  hasNewerVersion,
  parseBatch,
  UPGRADE_TARGETS,
  type KubernetesVersion,
} from './upgrade-target';

/** Kubernetes to a newer patch or minor version: the target and how many workers go at once, then the plan to read. */
export function UpgradeControl() {
  const current = useClusters((s) => s.current?.settings.kubernetesVersion);
  // Keyed by the version, so the form starts over on the next minor once an upgrade has saved the new one.
  return current ? <UpgradeForm key={current} current={current} /> : null;
}

function UpgradeForm({ current }: { current: KubernetesVersion }) {
  const t = useT();
  const busy = useOperations((s) => s.planLoading);
  const ask = useOperations((s) => s.ask);
  const [to, setTo] = useState<KubernetesVersion>(() => defaultUpgradeTarget(current));
  const [batchText, setBatchText] = useState(String(BATCH_MIN));
  const batch = parseBatch(batchText);
  return (
    <section className="ops-card" aria-labelledby="ops-upgrade-title">
      <h3 id="ops-upgrade-title">{t('ops.upgrade')}</h3>
      <p className="muted">{t('ops.upgrade.intro')}</p>
      <p>
        {t('ops.upgrade.current', { version: current })}
        {!hasNewerVersion(current) && <> {t('ops.upgrade.newest', { version: current })}</>}
      </p>
      <form
        className="ops-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (batch !== undefined) void ask({ kind: 'upgrade', to, batch });
        }}
      >
        <label htmlFor="ops-upgrade-to">{t('ops.upgrade.to')}</label>
        <select id="ops-upgrade-to" value={to} onChange={(e) => setTo(e.target.value as KubernetesVersion)}>
          {UPGRADE_TARGETS.map((v) => (
            <option key={v} value={v}>
              {v === current ? t('ops.upgrade.currentOption', { version: v }) : v}
            </option>
          ))}
        </select>
        <label htmlFor="ops-upgrade-batch">{t('ops.upgrade.batch')}</label>
        <input
          id="ops-upgrade-batch"
          type="number"
          inputMode="numeric"
          min={BATCH_MIN}
          max={BATCH_MAX}
          step={1}
          value={batchText}
          onChange={(e) => setBatchText(e.target.value)}
          aria-invalid={batch === undefined}
          aria-describedby={batch === undefined ? 'ops-upgrade-batch-error' : undefined}
        />
        {batch === undefined && (
          <span id="ops-upgrade-batch-error" className="ops-error">
            {t('ops.upgrade.batchInvalid', { min: BATCH_MIN, max: BATCH_MAX })}
          </span>
        )}
        <button type="submit" className="primary" disabled={busy || batch === undefined}>
          {t('ops.upgrade.start')}
        </button>
      </form>
    </section>
  );
}
