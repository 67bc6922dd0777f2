import { useI18n, useT } from '../../i18n/i18n';
import { CertificatesHealth } from './CertificatesHealth';
import { EtcdHealth } from './EtcdHealth';
import { HeadlampControl } from './HeadlampControl';
import { HostUnitsHealth } from './HostUnitsHealth';
import { NodesHealth } from './NodesHealth';
import { useOperations } from './store';

/** The cluster as its hosts report it now, read when the user asks (it connects to every host). */
export function HealthPanel() {
  const t = useT();
  const locale = useI18n((s) => s.locale);
  const health = useOperations((s) => s.health);
  const loading = useOperations((s) => s.healthLoading);
  const refresh = useOperations((s) => s.refreshHealth);
  return (
    <div className="ops-health">
      <div className="ops-toolbar">
        <button type="button" onClick={() => void refresh()} disabled={loading} aria-busy={loading}>
          {t('ops.refresh')}
        </button>
        {loading && (
          <span className="ops-progress" role="status">
            <progress aria-label={t('ops.refreshing')} /> {t('ops.refreshing')}
          </span>
        )}
        {!loading && health && <span className="muted">{t('ops.healthAt', { time: new Date(health.at).toLocaleString(locale) })}</span>}
      </div>
      {health ? (
        <div className="ops-health-grid">
          <HostUnitsHealth hosts={health.hosts} />
          <EtcdHealth etcd={health.etcd} />
          <NodesHealth nodes={health.nodes} />
          <CertificatesHealth certificates={health.certificates} />
        </div>
      ) : (
        !loading && <p className="muted">{t('ops.healthEmpty')}</p>
      )}
      <HeadlampControl />
    </div>
  );
}
