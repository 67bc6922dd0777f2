import { useT } from '../../i18n/i18n';
import { useOperations } from './store';

/** Every leaf certificate issued again under the same CAs; the plan shows what would be installed where. */
export function RenewCertificatesControl() {
  const t = useT();
  const busy = useOperations((s) => s.planLoading);
  const ask = useOperations((s) => s.ask);
  return (
    <section className="ops-card" aria-labelledby="ops-renew-title">
      <h3 id="ops-renew-title">{t('ops.renew')}</h3>
      <p className="muted">{t('ops.renew.intro')}</p>
      <div className="ops-toolbar">
        <button type="button" className="primary" disabled={busy} onClick={() => void ask({ kind: 'renew-certificates' })}>
          {t('ops.renew.start')}
        </button>
      </div>
    </section>
  );
}
