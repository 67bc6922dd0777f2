import { useEffect, useState } from 'react';
import { ScreenFrame } from '../../app/ScreenFrame';
import { call } from '../../api/client';
import { useT } from '../../i18n/i18n';
import { useClusters } from '../../stores/clusters';
import { useErrors } from '../../stores/errors';
import './deploy.css';
import { DeployCauseActions } from './DeployCauseActions';
import { DeployOptions } from './DeployOptions';
import { PlanView } from './PlanView';
import { RunTimingsPanel } from './RunTimingsPanel';
import { RunView } from './RunView';
import { subscribeDeployEvents, useDeploy } from './store';

export function DeployScreen() {
  const t = useT();
  const cluster = useClusters((s) => s.current?.name);
  const s = useDeploy();
  const [chosenTab, setTab] = useState<'plan' | 'progress' | undefined>();
  // Until the user picks a tab, a running or finished deploy shows its progress.
  const tab = chosenTab ?? (s.running || s.run ? 'progress' : 'plan');
  const [exported, setExported] = useState<string>();

  useEffect(() => subscribeDeployEvents(), []);
  useEffect(() => {
    if (cluster) void useDeploy.getState().load(cluster);
  }, [cluster]);

  if (!cluster) {
    return (
      <ScreenFrame title="nav.deploy" intro="screen.deploy.intro">
        <p className="screen-empty">{t('screen.needCluster')}</p>
      </ScreenFrame>
    );
  }
  const canResume = !s.running && s.journaledSteps > 0 && (s.run?.state === 'failed' || s.run?.state === 'cancelled');
  const exportTo = async (target: { kind: 'merge' } | { kind: 'file'; path: string }) => {
    try {
      const r = await call('deploy.exportKubeconfig', { cluster, target });
      setExported(t('deploy.exported', r));
    } catch (err) {
      useErrors.getState().show(err);
    }
  };
  return (
    <ScreenFrame title="nav.deploy" intro="screen.deploy.intro">
      <div className="deploy-toolbar">
        <button type="button" onClick={() => void s.readPlan()} disabled={s.planLoading}>
          {s.plan ? t('deploy.reloadPlan') : t('deploy.readPlan')}
        </button>
        <button
          type="button"
          className="primary"
          disabled={s.running || s.planLoading}
          onClick={() => {
            setTab('progress');
            void s.start('fresh');
          }}
        >
          {t('deploy.deploy')}
        </button>
        {canResume && (
          <button type="button" onClick={() => void s.start('resume')}>
            {t('deploy.resume')}
          </button>
        )}
        {s.running && (
          <button type="button" onClick={() => void s.cancel()}>
            {t('deploy.cancel')}
          </button>
        )}
        <label className="deploy-concurrency">
          {t('deploy.concurrency')}{' '}
          <input type="number" min={1} max={64} value={s.concurrency} onChange={(e) => s.setConcurrency(Number(e.target.value))} />
        </label>
        {s.run?.state === 'succeeded' && (
          <span className="deploy-export">
            {t('deploy.export')}:{' '}
            <button type="button" onClick={() => void exportTo({ kind: 'merge' })}>
              {t('deploy.exportMerge')}
            </button>{' '}
            <button
              type="button"
              onClick={() => {
                const path = window.prompt(t('deploy.exportPath'));
                if (path) void exportTo({ kind: 'file', path });
              }}
            >
              {t('deploy.exportFile')}
            </button>
          </span>
        )}
      </div>
      <DeployOptions />
      {exported && <p role="status">{exported}</p>}
      <div role="tablist" className="deploy-tabs">
        <button type="button" role="tab" aria-selected={tab === 'plan'} onClick={() => setTab('plan')}>
          {t('deploy.tab.plan')}
        </button>
        <button type="button" role="tab" aria-selected={tab === 'progress'} onClick={() => setTab('progress')}>
          {t('deploy.tab.progress')}
        </button>
      </div>
      <div role="tabpanel">
        {tab === 'plan' &&
          (s.planLoading ? (
            <p className="muted">{t('deploy.planLoading')}</p>
          ) : s.plan ? (
            <PlanView plan={s.plan} cluster={cluster} />
          ) : (
            <p className="muted">{t('deploy.noPlan')}</p>
          ))}
        {tab === 'progress' &&
          (s.run ? (
            <RunView
              run={s.run}
              selectedHost={s.selectedHost}
              logs={s.logs}
              onSelect={(hostId) => void s.select(hostId)}
              causeActions={
                // A day-2 operation runs on the same engine; retrying its steps is the Operations screen's business.
                s.run.operation && s.run.operation !== 'deploy'
                  ? undefined
                  : (host, cause) => <DeployCauseActions host={host} cause={cause} />
              }
            />
          ) : (
            <p className="muted">{t('deploy.noRun')}</p>
          ))}
        {tab === 'progress' && s.run && <RunTimingsPanel run={s.run} />}
      </div>
    </ScreenFrame>
  );
}
