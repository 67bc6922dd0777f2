import type { FailureCause, HostRun } from '../../../../src-shared/model/deploy-run';
import { useT } from '../../i18n/i18n';
import { useDeploy } from './store';

/** The cause of a host's failure: the error, the step's command and output, and the unit's journal. */
export function FailureCauseView({ host, cause }: { host: HostRun; cause: FailureCause }) {
  const t = useT();
  const running = useDeploy((s) => s.running);
  const retry = useDeploy((s) => s.retry);
  const start = useDeploy((s) => s.start);
  return (
    <div className="deploy-cause" role="alert">
      <h4>{t('deploy.cause', { host: host.hostName })}</h4>
      <p className="deploy-cause-message">{cause.message}</p>
      {cause.hint && <p className="muted">{cause.hint}</p>}
      <p className="muted">{t('deploy.cause.step', { step: cause.stepTitle })}</p>
      {cause.command && (
        <>
          <div className="muted">{t('deploy.cause.command', { code: cause.exitCode ?? '?' })}</div>
          <pre className="deploy-code">$ {cause.command}</pre>
        </>
      )}
      {cause.stderr && (
        <>
          <div className="muted">{t('deploy.cause.stderr')}</div>
          <pre className="deploy-code">{cause.stderr}</pre>
        </>
      )}
      {cause.journal && (
        <>
          <div className="muted">{t('deploy.cause.journal', { unit: cause.unit ?? '' })}</div>
          <pre className="deploy-code">{cause.journal}</pre>
        </>
      )}
      <div className="deploy-actions">
        <button type="button" disabled={running} onClick={() => void retry(host.hostId, cause.stepId)}>
          {t('deploy.retryStep')}
        </button>
        <a className="button" href={`#/terminals/${encodeURIComponent(host.hostId)}`}>
          {t('deploy.openTerminal')}
        </a>
        <button type="button" disabled={running} onClick={() => void start('resume')}>
          {t('deploy.resume')}
        </button>
      </div>
    </div>
  );
}
