import type { ReactNode } from 'react';
import type { FailureCause, HostRun } from '../../../../src-shared/model/deploy-run';
import { useT } from '../../i18n/i18n';

/**
 * The cause of a host's failure: the error, the step's command and output, and the unit's journal. `actions` are
 * what the screen offers next (the Deploy screen retries a step; an operation resumes).
 */
export function FailureCauseView({ host, cause, actions }: { host: HostRun; cause: FailureCause; actions?: ReactNode }) {
  const t = useT();
  return (
    <div className="deploy-cause" role="alert" data-error-name={cause.name}>
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
      {actions && <div className="deploy-actions">{actions}</div>}
    </div>
  );
}
