import type { ClusterHealth } from '../../../../src-shared/contract/operations';
import { useT } from '../../i18n/i18n';
import { unitTone } from './health-tones';

/** Per host, each unit its roles run and what systemd says of it; or why the host could not be read. */
export function HostUnitsHealth({ hosts }: { hosts: ClusterHealth['hosts'] }) {
  const t = useT();
  return (
    <section className="ops-card" aria-labelledby="ops-health-hosts">
      <h3 id="ops-health-hosts">{t('ops.hosts')}</h3>
      <ul className="ops-host-list">
        {hosts.map((h) => (
          <li key={h.hostId} data-host={h.hostName} className={h.reachable ? undefined : 'tone-bad'}>
            <strong>{h.hostName}</strong>
            {h.reachable ? (
              h.units.length > 0 ? (
                <ul className="ops-units">
                  {h.units.map((u) => (
                    <li key={u.unit} className={`ops-chip tone-${unitTone(u.state)}`} data-unit={u.unit}>
                      {u.unit}: {u.state}
                    </li>
                  ))}
                </ul>
              ) : (
                <span className="muted"> {t('ops.noUnits')}</span>
              )
            ) : (
              <p className="ops-error">
                <span className="ops-chip tone-bad">{t('ops.unreachable')}</span> {h.error}
              </p>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
