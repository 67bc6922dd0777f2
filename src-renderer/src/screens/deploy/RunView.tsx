import { useEffect, useRef, useState, type ReactNode } from 'react';
import type { LogLine } from '../../../../src-shared/contract/events';
import type { DeployRun, FailureCause, HostRun } from '../../../../src-shared/model/deploy-run';
import type { MessageKey } from '../../i18n/en';
import { useT } from '../../i18n/i18n';
import { phaseLabel } from './engine-labels';
import { FailureCauseView } from './FailureCauseView';
import { ImportProgress } from './ImportProgress';
import { TransferProgress } from './TransferProgress';
import { formatBytes, rowElapsed } from './format';
import { runStateLabel } from './run-state-label';
import './deploy.css';

function useNow(active: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [active]);
  return now;
}

/** A run's hosts as the screen that started it keeps them: which one is open and the log lines it has. */
export interface RunViewProps {
  run: DeployRun;
  selectedHost: string | undefined;
  logs: Record<string, LogLine[]>;
  onSelect(hostId: string | undefined): void;
  /** What to offer under a failed host's cause. */
  causeActions?: (host: HostRun, cause: FailureCause) => ReactNode;
}

export function RunView({ run, selectedHost: selected, logs, onSelect: select, causeActions }: RunViewProps) {
  const t = useT();
  const now = useNow(run.state === 'running');
  const selectedRow = run.hosts.find((h) => h.hostId === selected);
  return (
    <div className="deploy-run">
      <p className={`deploy-run-state state-${run.state}`} role="status">
        {runStateLabel(t, run)} · {t('deploy.run.counts', { ...run.counts, bytes: formatBytes(run.bytesUploaded) })}
      </p>
      <table className="deploy-hosts">
        <thead>
          <tr>
            <th>{t('deploy.col.host')}</th>
            <th>{t('deploy.col.phase')}</th>
            <th>{t('deploy.col.step')}</th>
            <th>{t('deploy.col.progress')}</th>
            <th>{t('deploy.col.elapsed')}</th>
            <th>{t('deploy.col.state')}</th>
          </tr>
        </thead>
        <tbody>
          {run.hosts.map((h) => (
            <HostRow
              key={h.hostId}
              host={h}
              now={now}
              lines={logs[h.hostId]}
              selected={h.hostId === selected}
              onSelect={() => void select(h.hostId === selected ? undefined : h.hostId)}
            />
          ))}
        </tbody>
      </table>
      {selectedRow && (
        <HostDetails
          host={selectedRow}
          lines={logs[selectedRow.hostId]}
          causeActions={selectedRow.cause && causeActions?.(selectedRow, selectedRow.cause)}
        />
      )}
    </div>
  );
}

interface HostRowProps {
  host: HostRun;
  now: number;
  lines: LogLine[] | undefined;
  selected: boolean;
  onSelect: () => void;
}

function HostRow({ host, now, lines, selected, onSelect }: HostRowProps) {
  const t = useT();
  const percent = host.total > 0 ? Math.round((host.done / host.total) * 100) : 0;
  return (
    <tr
      className={`deploy-host state-${host.state}${selected ? ' selected' : ''}`}
      data-host={host.hostName}
      onClick={onSelect}
      aria-selected={selected}
    >
      <td>
        <button type="button" className="link" onClick={onSelect}>
          {host.hostName}
        </button>
      </td>
      <td>{host.phase ? phaseLabel(t, host.phase) : ''}</td>
      <td className="deploy-step-title">
        {host.state === 'blocked' ? t('deploy.blockedBy', { reason: host.blockedBy ?? '' }) : (host.stepTitle ?? '')}
        <ImportProgress host={host} lines={lines} />
        <TransferProgress host={host} />
      </td>
      <td>
        <progress max={host.total} value={host.done} aria-label={`${host.hostName} ${percent}%`} />{' '}
        <span className="muted">{percent}%</span>
      </td>
      <td>{rowElapsed(host.startedAt, host.finishedAt, now)}</td>
      <td className="deploy-host-state">{t(`deploy.host.${host.state}` as MessageKey)}</td>
    </tr>
  );
}

function HostDetails({ host, lines, causeActions }: { host: HostRun; lines: LogLine[] | undefined; causeActions: ReactNode }) {
  const t = useT();
  const logRef = useRef<HTMLPreElement>(null);
  useEffect(() => {
    const el = logRef.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [lines?.length]);
  return (
    <div className="deploy-host-details">
      {host.cause && <FailureCauseView host={host} cause={host.cause} actions={causeActions} />}
      <h4>
        {t('deploy.log', { host: host.hostName })}{' '}
        {!host.cause && (
          <a className="button" href={`#/terminals/${encodeURIComponent(host.hostId)}`}>
            {t('deploy.openTerminal')}
          </a>
        )}
      </h4>
      <pre className="deploy-log" ref={logRef} aria-label={t('deploy.log', { host: host.hostName })}>
        {lines?.length
          ? lines.map((l, i) => (
              <span key={i} className={`log-${l.stream}`}>
                {l.line}
                {'\n'}
              </span>
            ))
          : t('deploy.logEmpty')}
      </pre>
    </div>
  );
}
