import type { MessageKey } from '../../i18n/en';
import { useT } from '../../i18n/i18n';
import { useClusters } from '../../stores/clusters';
import { hostActions } from './describe-operation';
import { useOperations } from './store';

const ACTION_LABELS: Record<ReturnType<typeof hostActions>[number], MessageKey> = {
  'remove-host': 'ops.removeHost',
  reset: 'ops.reset',
};

/** Taking hosts out: a host with roles is removed from the cluster first; reset cleans a host (or all of them). */
export function HostsPanel() {
  const t = useT();
  const hosts = useClusters((s) => s.current?.hosts ?? []);
  const busy = useOperations((s) => s.planLoading);
  const ask = useOperations((s) => s.ask);
  return (
    <div className="ops-hosts">
      <p className="muted">{t('ops.hosts.intro')}</p>
      <table className="ops-table" aria-label={t('ops.hosts.table')}>
        <thead>
          <tr>
            <th>{t('ops.col.host')}</th>
            <th>{t('ops.col.address')}</th>
            <th>{t('ops.col.roles')}</th>
            <th>{t('ops.col.actions')}</th>
          </tr>
        </thead>
        <tbody>
          {hosts.map((h) => (
            <tr key={h.id} data-host={h.name}>
              <td>{h.name}</td>
              <td>
                <code>
                  {h.address}:{h.port}
                </code>
              </td>
              <td>{h.roles.length > 0 ? h.roles.join(', ') : <span className="muted">{t('ops.noRoles')}</span>}</td>
              <td className="ops-actions">
                {hostActions(h).map((action) => (
                  <button
                    key={action}
                    type="button"
                    disabled={busy}
                    onClick={() =>
                      void ask(action === 'reset' ? { kind: 'reset', hostIds: [h.id] } : { kind: 'remove-host', hostId: h.id })
                    }
                  >
                    {t(ACTION_LABELS[action])}
                  </button>
                ))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {hosts.length > 0 && (
        <div className="ops-toolbar">
          <button
            type="button"
            className="danger"
            disabled={busy}
            onClick={() => void ask({ kind: 'reset', hostIds: hosts.map((h) => h.id) })}
          >
            {t('ops.resetCluster')}
          </button>
        </div>
      )}
    </div>
  );
}
