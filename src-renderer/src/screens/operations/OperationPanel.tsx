import { useEffect, useRef } from 'react';
import { useI18n, useT } from '../../i18n/i18n';
import { useClusters } from '../../stores/clusters';
import { operationLabel } from '../deploy/engine-labels';
import { RunView } from '../deploy/RunView';
import { failedAfterHosts } from './after-finish';
import { describeOperation } from './describe-operation';
import { OperationCauseActions } from './OperationCauseActions';
import { OperationPlanView } from './OperationPlanView';
import { OperationWaivers } from './OperationWaivers';
import { useOperations } from './store';

/** The operation the user asked for: its plan to read and confirm, then its run. */
export function OperationPanel() {
  const t = useT();
  const locale = useI18n((s) => s.locale);
  const hosts = useClusters((s) => s.current?.hosts ?? []);
  const s = useOperations();
  const headingRef = useRef<HTMLHeadingElement>(null);

  // Keyboard and screen reader users land on the plan they asked for, wherever the button was.
  useEffect(() => {
    if (s.request) headingRef.current?.focus();
  }, [s.request]);

  const title = s.request
    ? (({ key, params }) => t(key, params))(describeOperation(s.request, hosts))
    : s.run?.operation
      ? operationLabel(t, s.run.operation)
      : '';
  const planShown = s.plan !== undefined && (s.run === undefined || s.started !== s.request);
  return (
    <section className="ops-operation" aria-labelledby="ops-operation-title">
      <div className="ops-operation-head">
        <h3 id="ops-operation-title" ref={headingRef} tabIndex={-1}>
          {title}
        </h3>
        {s.running && (
          <button type="button" onClick={() => void s.cancel()}>
            {t('ops.cancel')}
          </button>
        )}
        {!s.running && !s.starting && (
          <button type="button" onClick={s.close}>
            {t('ops.close')}
          </button>
        )}
      </div>
      {!s.request && s.run && (
        <p className="muted ops-run-meta">{t('ops.lastRun.startedAt', { time: new Date(s.run.startedAt).toLocaleString(locale) })}</p>
      )}
      <OperationWaivers />
      {s.planLoading && (
        <p className="muted" role="status">
          {t('ops.planning')}
        </p>
      )}
      {planShown && s.plan && <OperationPlanView plan={s.plan} />}
      {s.starting && !s.run && <p className="muted">{t('ops.starting')}</p>}
      {s.run && (
        <RunView
          run={s.run}
          selectedHost={s.selectedHost}
          logs={s.logs}
          onSelect={(hostId) => void s.select(hostId)}
          causeActions={(host) => <OperationCauseActions hostId={host.hostId} />}
        />
      )}
      {s.run && s.finishing === s.run.runId && (
        <p className="muted" role="status">
          {t('ops.finishing')}
        </p>
      )}
      {s.run && failedAfterHosts(s.run) && (
        <p className="ops-error" role="alert">
          {s.run.error ? `${s.run.error.message}${s.run.error.hint ? ` ${s.run.error.hint}` : ''}` : t('ops.failedAfterHosts')}
        </p>
      )}
    </section>
  );
}
