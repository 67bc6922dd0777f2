import type { FailureCause, HostRun } from '../../../../src-shared/model/deploy-run';
import { useT } from '../../i18n/i18n';
import { useDeploy } from './store';

/** What the Deploy screen offers after a host failed: run the step again, look at the host, or resume the deploy. */
export function DeployCauseActions({ host, cause }: { host: HostRun; cause: FailureCause }) {
  const t = useT();
  const running = useDeploy((s) => s.running);
  const retry = useDeploy((s) => s.retry);
  const start = useDeploy((s) => s.start);
  return (
    <>
      <button type="button" disabled={running} onClick={() => void retry(host.hostId, cause.stepId)}>
        {t('deploy.retryStep')}
      </button>
      <a className="button" href={`#/terminals/${encodeURIComponent(host.hostId)}`}>
        {t('deploy.openTerminal')}
      </a>
      <button type="button" disabled={running} onClick={() => void start('resume')}>
        {t('deploy.resume')}
      </button>
    </>
  );
}
