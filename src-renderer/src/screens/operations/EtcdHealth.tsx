import type { EtcdState } from '../../../../src-shared/contract/operations';
import { useT } from '../../i18n/i18n';
import { formatBytes } from '../deploy/format';

/** etcd's members as the first member that answered sees them. */
export function EtcdHealth({ etcd }: { etcd: EtcdState }) {
  const t = useT();
  const yesNo = (v: boolean | undefined) => (v === undefined ? '' : v ? t('ops.yes') : t('ops.no'));
  return (
    <section className="ops-card" aria-labelledby="ops-health-etcd">
      <h3 id="ops-health-etcd">{t('ops.etcd')}</h3>
      {!etcd.ok ? (
        <p className="ops-error" data-testid="etcd-error">
          {t('ops.etcd.noAnswer', { error: etcd.error ?? '' })}
        </p>
      ) : (
        <>
          <p className="muted">{t('ops.etcd.readFrom', { host: etcd.readFrom ?? '', id: etcd.clusterId ?? '' })}</p>
          <table className="ops-table" aria-label={t('ops.etcd.table')}>
            <thead>
              <tr>
                <th>{t('ops.col.name')}</th>
                <th>{t('ops.col.peerUrl')}</th>
                <th>{t('ops.col.healthy')}</th>
                <th>{t('ops.col.leader')}</th>
                <th>{t('ops.col.version')}</th>
                <th>{t('ops.col.dbSize')}</th>
                <th>{t('ops.col.error')}</th>
              </tr>
            </thead>
            <tbody>
              {etcd.members.map((m) => (
                <tr key={m.id} data-member={m.name}>
                  <td>{m.name || m.id}</td>
                  <td>
                    <code>{m.peerUrl}</code>
                  </td>
                  <td className={m.healthy ? 'tone-ok' : 'tone-bad'}>{yesNo(m.healthy ?? false)}</td>
                  <td>{m.leader ? t('ops.yes') : ''}</td>
                  <td>{m.version ?? ''}</td>
                  <td>{m.dbSize !== undefined ? formatBytes(m.dbSize) : ''}</td>
                  <td className="tone-bad">{m.error ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
