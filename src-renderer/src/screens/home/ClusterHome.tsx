import { useEffect, useMemo } from 'react';
import type { Cluster, Host } from '../../../../src-shared/model/cluster';
import type { DeployRun } from '../../../../src-shared/model/deploy-run';
import { validateTopology } from '../../../../src-shared/model/validate-topology';
import { RoleIcon, StateIcon, type StateKind } from '../../app/icons';
import { hrefFor } from '../../app/routes';
import { useT, type Translate } from '../../i18n/i18n';
import { runStateLabel } from '../deploy/run-state-label';
import { formatBytes } from '../inventory/format';
import { TopologyGraph } from '../topology/TopologyGraph';
import { newestBackup, nextAction } from './next-action';
import { HOME_REFRESH_MS, useHome, type HomeData } from './store';

/** The open cluster as a whole: what to do next, every host's state, the last run, certificates and backups. */
export function ClusterHome({ cluster }: { cluster: Cluster }) {
  const t = useT();
  const data = useHome((s) => (s.data?.cluster === cluster.name ? s.data : undefined));
  useRefreshWhileVisible(cluster.name);
  const report = useMemo(() => validateTopology(cluster), [cluster]);
  const next = nextAction({
    cluster,
    report,
    run: data?.run ?? null,
    running: data?.running ?? false,
    health: data?.health,
    nearestExpiryDays: data?.certificates.length ? Math.min(...data.certificates.map((c) => c.daysLeft)) : undefined,
    backups: data?.backups ?? [],
    now: new Date(),
  });
  const lastRun = latest(data?.run ?? null, data?.lastOperation ?? null);
  return (
    <div className="cluster-home">
      <section className="home-next" aria-labelledby="home-next-title">
        <h3 id="home-next-title">{t('home.next')}</h3>
        <p>{t(`home.next.${next.code}`)}</p>
        <a className="button primary" href={hrefFor(next.screen)}>
          {t('home.goTo', { screen: t(`nav.${next.screen}`) })}
        </a>
      </section>
      <section className="home-hosts" aria-labelledby="home-hosts-title">
        <h3 id="home-hosts-title">{t('home.hosts')}</h3>
        {cluster.hosts.length === 0 ? (
          <p className="screen-empty">{t('topology.noHosts')}</p>
        ) : (
          <ul className="home-host-list">
            {cluster.hosts.map((h) => (
              <HostState key={h.id} host={h} data={data} />
            ))}
          </ul>
        )}
        {data?.healthError && <p className="form-error">{data.healthError}</p>}
        <p className="muted home-refreshed" aria-live="off">
          {data ? t('home.refreshed', { time: new Date(data.at).toLocaleTimeString() }) : t('home.loading')}
        </p>
      </section>
      <div className="home-cards">
        <section className="home-card" aria-labelledby="home-run-title">
          <h3 id="home-run-title">{t('home.lastRun')}</h3>
          {lastRun ? <RunSummary run={lastRun} /> : <p className="muted">{t('home.noRun')}</p>}
        </section>
        <section className="home-card" aria-labelledby="home-certs-title">
          <h3 id="home-certs-title">{t('home.certificates')}</h3>
          {data && data.certificates.length > 0 ? (
            <ul className="home-certs">
              {[...data.certificates]
                .sort((a, b) => a.daysLeft - b.daysLeft)
                .slice(0, 3)
                .map((c) => (
                  <li key={c.id} data-warn={c.warn || undefined}>
                    <StateIcon state={c.expired ? 'error' : c.warn ? 'warning' : 'ok'} /> {c.id}: {t('home.daysLeft', { days: c.daysLeft })}
                  </li>
                ))}
            </ul>
          ) : (
            <p className="muted">{t('home.noCertificates')}</p>
          )}
        </section>
        <section className="home-card" aria-labelledby="home-backup-title">
          <h3 id="home-backup-title">{t('home.backup')}</h3>
          <BackupSummary data={data} />
        </section>
      </div>
      <section aria-labelledby="home-graph-title">
        <h3 id="home-graph-title">{t('graph.title')}</h3>
        <TopologyGraph hosts={cluster.hosts} />
      </section>
    </div>
  );
}

function HostState({ host, data }: { host: Host; data: HomeData | undefined }) {
  const t = useT();
  const health = data?.health?.hosts.find((h) => h.hostId === host.id);
  const version = data?.health?.nodes.items.find((n) => n.name === host.name)?.version;
  const cause = data?.run?.hosts.find((h) => h.hostId === host.id)?.cause?.message;
  const active = health?.units.filter((u) => u.state === 'active').length ?? 0;
  const [state, label] = hostState(t, host, health, active);
  const error = health?.error ?? cause;
  return (
    <li className="home-host" data-host={host.name} data-state={state}>
      <StateIcon state={state} />
      <span className="home-host-name">{host.name}</span>
      <span className="home-host-roles">
        {host.roles.map((r) => (
          <span key={r} className="home-role" title={t(`lane.${r}`)}>
            <RoleIcon role={r} /> {t(`lane.${r}`)}
          </span>
        ))}
      </span>
      <span className="home-host-state">{label}</span>
      {health && health.units.length > 0 && (
        <span className="home-host-units">{t('home.units', { active, total: health.units.length })}</span>
      )}
      {version && <span className="home-host-version">{version}</span>}
      {host.probe?.ok && host.probe.cpus !== undefined && host.probe.memoryBytes !== undefined && (
        <span className="muted">{t('chip.resources', { cpus: host.probe.cpus, memory: formatBytes(host.probe.memoryBytes) })}</span>
      )}
      {error && <span className="home-host-error">{error}</span>}
    </li>
  );
}

function hostState(
  t: Translate,
  host: Host,
  health: { reachable: boolean; units: { state: string }[] } | undefined,
  active: number,
): [StateKind, string] {
  if (health) {
    if (!health.reachable) return ['error', t('home.state.unreachable')];
    if (active < health.units.length) return ['warning', t('home.state.unitsDown')];
    return ['ok', t('home.state.healthy')];
  }
  if (host.probe && !host.probe.ok) return ['error', t('home.state.probeFailed')];
  if (host.probe?.ok) return ['unknown', t('home.state.reachableNotDeployed')];
  return ['unknown', t('home.state.notProbed')];
}

function RunSummary({ run }: { run: DeployRun }) {
  const t = useT();
  const state: StateKind = run.state === 'succeeded' ? 'ok' : run.state === 'running' ? 'running' : 'error';
  const failed = run.hosts.filter((h) => h.state === 'failed').map((h) => h.hostName);
  return (
    <p data-state={run.state}>
      <StateIcon state={state} /> {runStateLabel(t, run)} · {new Date(run.finishedAt ?? run.startedAt).toLocaleString()}
      {failed.length > 0 && <span className="home-host-error"> {t('home.failedOn', { hosts: failed.join(', ') })}</span>}
    </p>
  );
}

function BackupSummary({ data }: { data: HomeData | undefined }) {
  const t = useT();
  const newest = newestBackup(data?.backups ?? []);
  if (!newest) return <p className="muted">{t('home.noBackup')}</p>;
  return (
    <p>
      {new Date(newest.takenAt).toLocaleString()} · {newest.member} · {formatBytes(newest.size)}
    </p>
  );
}

function latest(a: DeployRun | null, b: DeployRun | null): DeployRun | null {
  if (!a || !b) return a ?? b;
  return Date.parse(a.startedAt) >= Date.parse(b.startedAt) ? a : b;
}

/**
 * Reads at once, then every HOME_REFRESH_MS while the page is visible (not in a background tab); reads again when the
 * page comes back. The store drops a read asked for while one is in flight.
 */
function useRefreshWhileVisible(cluster: string) {
  useEffect(() => {
    const refresh = useHome.getState().refresh;
    let rounds = 0;
    // Certificates change rarely (and listing them fills the key pool): every tenth round.
    const tick = () => {
      if (document.visibilityState === 'visible') void refresh(cluster, rounds++ % 10 === 0);
    };
    tick();
    const timer = window.setInterval(tick, HOME_REFRESH_MS);
    document.addEventListener('visibilitychange', tick);
    return () => {
      window.clearInterval(timer);
      document.removeEventListener('visibilitychange', tick);
    };
  }, [cluster]);
}
