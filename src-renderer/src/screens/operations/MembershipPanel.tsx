import { useT } from '../../i18n/i18n';
import { useClusters } from '../../stores/clusters';
import { useOperations } from './store';

/** Makes etcd's running membership match the topology's etcd lane, one member at a time. */
export function MembershipPanel() {
  const t = useT();
  const lane = useClusters((s) => (s.current?.hosts ?? []).filter((h) => h.roles.includes('etcd')).map((h) => h.name));
  const busy = useOperations((s) => s.planLoading);
  const ask = useOperations((s) => s.ask);
  return (
    <div className="ops-membership">
      <p className="muted">{t('ops.membership.intro')}</p>
      <p>{lane.length > 0 ? t('ops.membership.lane', { hosts: lane.join(', ') }) : t('ops.membership.laneEmpty')}</p>
      <div className="ops-toolbar">
        <button type="button" className="primary" disabled={busy} onClick={() => void ask({ kind: 'etcd-membership' })}>
          {t('ops.membership.apply')}
        </button>
      </div>
    </div>
  );
}
