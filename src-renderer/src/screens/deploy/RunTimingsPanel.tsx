import { useEffect } from 'react';
import type { DeployRun } from '../../../../src-shared/model/deploy-run';
import type { TimingFigures } from '../../../../src-shared/model/run-timings';
import type { Translate } from '../../i18n/i18n';
import { useT } from '../../i18n/i18n';
import { phaseLabel } from './engine-labels';
import { formatBytes } from './format';
import { formatDuration, timingRows } from './timing-rows';
import { subscribeRunTimings, useRunTimings } from './timings-store';

const FIGURE_COLUMNS = [
  'timings.col.remote',
  'timings.col.wait',
  'timings.col.local',
  'timings.col.bytes',
  'timings.col.commands',
] as const;

function figureCells(f: TimingFigures) {
  return [formatDuration(f.remoteMs), formatDuration(f.waitMs), formatDuration(f.localMs), formatBytes(f.bytes), String(f.roundTrips)].map(
    (text, i) => (
      <td key={i} className="num">
        {text}
      </td>
    ),
  );
}

function Header({ t, first }: { t: Translate; first: readonly Parameters<Translate>[0][] }) {
  return (
    <thead>
      <tr>
        {[...first, ...FIGURE_COLUMNS].map((key) => (
          <th key={key} scope="col">
            {t(key)}
          </th>
        ))}
      </tr>
    </thead>
  );
}

/** "Where the time went" for a finished run: per phase, the slowest hosts, the slowest steps. */
export function RunTimingsPanel({ run }: { run: DeployRun }) {
  const t = useT();
  const { timings, loading } = useRunTimings();
  const finished = run.state !== 'running';
  useEffect(() => subscribeRunTimings(), []);
  useEffect(() => {
    if (finished) void useRunTimings.getState().load(run.cluster);
  }, [finished, run.cluster, run.runId]);
  if (!finished) return null;
  const mine = timings?.runId === run.runId ? timings : undefined;
  return (
    <details className="deploy-timings" open>
      <summary>
        <h3>{t('timings.title')}</h3>
      </summary>
      {!mine ? <p className="muted">{loading ? t('timings.loading') : t('timings.none')}</p> : <TimingTables t={t} timings={mine} />}
    </details>
  );
}

function TimingTables({ t, timings }: { t: Translate; timings: NonNullable<ReturnType<typeof useRunTimings.getState>['timings']> }) {
  const rows = timingRows(timings);
  return (
    <>
      <p>
        {t('timings.summary', {
          total: formatDuration(timings.totalMs),
          plan: formatDuration(timings.beforeRun.wallMs),
          local: formatDuration(timings.beforeRun.localMs),
          steps: timings.stepCount,
        })}
      </p>
      <p className="muted">{t('timings.summed')}</p>
      <table className="deploy-hosts deploy-timings-table" aria-label={t('timings.phases')}>
        <caption>{t('timings.phases')}</caption>
        <Header t={t} first={['timings.col.phase', 'timings.col.wall']} />
        <tbody>
          {rows.phases.map((p) => (
            <tr key={p.phase} data-phase={p.phase}>
              <th scope="row">{phaseLabel(t, p.phase)}</th>
              <td className="num">{formatDuration(p.wallMs)}</td>
              {figureCells(p)}
            </tr>
          ))}
        </tbody>
      </table>
      <table className="deploy-hosts deploy-timings-table" aria-label={t('timings.hosts')}>
        <caption>{t('timings.hosts')}</caption>
        <Header t={t} first={['timings.col.host', 'timings.col.busy', 'timings.col.idle']} />
        <tbody>
          {rows.hosts.map((h) => (
            <tr key={h.hostId} data-timing-host={h.hostName}>
              <th scope="row">{h.hostName}</th>
              <td className="num">{formatDuration(h.wallMs)}</td>
              <td className="num">{formatDuration(h.idleMs)}</td>
              {figureCells(h)}
            </tr>
          ))}
        </tbody>
      </table>
      <table className="deploy-hosts deploy-timings-table" aria-label={t('timings.steps')}>
        <caption>{t('timings.steps')}</caption>
        <Header t={t} first={['timings.col.step', 'timings.col.host', 'timings.col.phase', 'timings.col.wall']} />
        <tbody>
          {rows.steps.map((s) => (
            <tr key={s.stepId}>
              <th scope="row">{s.title}</th>
              <td>{s.hostName}</td>
              <td>{phaseLabel(t, s.phase)}</td>
              <td className="num">{formatDuration(s.wallMs)}</td>
              {figureCells(s)}
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
