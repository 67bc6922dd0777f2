import { useI18n, useT } from '../../i18n/i18n';
import { formatBytes } from '../deploy/format';
import { BackupScheduleControl } from './BackupScheduleControl';
import { useOperations } from './store';

/** etcd snapshots kept on this computer: take one now, or restore every member from one. */
export function BackupsPanel() {
  const t = useT();
  const locale = useI18n((s) => s.locale);
  const backups = useOperations((s) => s.backups);
  const busy = useOperations((s) => s.planLoading);
  const ask = useOperations((s) => s.ask);
  return (
    <div className="ops-backups">
      <p className="muted">{t('ops.backups.intro')}</p>
      <div className="ops-toolbar">
        <button type="button" className="primary" disabled={busy} onClick={() => void ask({ kind: 'backup' })}>
          {t('ops.backupNow')}
        </button>
      </div>
      <h3>{t('ops.schedule.title')}</h3>
      <p className="muted">{t('ops.schedule.intro')}</p>
      <BackupScheduleControl />
      <h3>{t('ops.backups.table')}</h3>
      {backups.length === 0 ? (
        <p className="muted">{t('ops.backups.none')}</p>
      ) : (
        <table className="ops-table" aria-label={t('ops.backups.table')}>
          <thead>
            <tr>
              <th>{t('ops.col.takenAt')}</th>
              <th>{t('ops.col.size')}</th>
              <th>{t('ops.col.member')}</th>
              <th>{t('ops.col.path')}</th>
              <th>{t('ops.col.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {backups.map((b) => (
              <tr key={b.id} data-backup={b.id}>
                <td>{new Date(b.takenAt).toLocaleString(locale)}</td>
                <td>{formatBytes(b.size)}</td>
                <td>{b.member}</td>
                <td>
                  <code>{b.path}</code>
                </td>
                <td>
                  <button type="button" disabled={busy} onClick={() => void ask({ kind: 'restore', backupId: b.id })}>
                    {t('ops.restore')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
