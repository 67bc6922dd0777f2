import { useState } from 'react';
import type { StepDiff } from '../../../../src-shared/contract/deploy';
import type { Plan, PlanStep } from '../../../../src-shared/model/plan';
import { call } from '../../api/client';
import { useT } from '../../i18n/i18n';
import { useErrors } from '../../stores/errors';
import './deploy.css';
import { phaseLabel } from './engine-labels';
import { onlyChanges } from './plan-changes';
import { TransferSection } from './TransferSection';

export function PlanView({ plan: full, cluster }: { plan: Plan; cluster: string }) {
  const t = useT();
  const [changesOnly, setChangesOnly] = useState(true);
  const changes = onlyChanges(full);
  const knowsChanges = changes.changed < changes.total;
  const plan = knowsChanges && changesOnly ? changes.plan : full;
  const steps = plan.phases.reduce((n, p) => n + p.jobs.reduce((m, j) => m + j.steps.length, 0), 0);
  const hosts = new Set(plan.phases.flatMap((p) => p.jobs.map((j) => j.hostId))).size;
  // deploy.diff compares against the deploy's plan; a day-2 operation's steps are not in it.
  const canDiff = plan.operation === 'deploy';
  return (
    <div className="deploy-plan">
      <p className="deploy-summary">
        {t('deploy.planSummary', { version: plan.kubernetesVersion, steps, hosts, hash: plan.hash.slice(0, 12) })}
      </p>
      {knowsChanges && (
        <label className="deploy-changes-only">
          <input type="checkbox" checked={changesOnly} onChange={(e) => setChangesOnly(e.target.checked)} />{' '}
          {t('deploy.changesOnly', { changed: changes.changed, total: changes.total })}
        </label>
      )}
      {knowsChanges && changesOnly && changes.changed === 0 && <p className="muted">{t('deploy.nothingChanges')}</p>}
      {plan.warnings.length > 0 && (
        <div className="deploy-warnings" role="note">
          <strong>{t(canDiff ? 'deploy.warnings' : 'ops.warnings')}</strong>
          <ul>
            {plan.warnings.map((w) => (
              <li key={w}>{w}</li>
            ))}
          </ul>
        </div>
      )}
      {full.certificates && <CertificatesStep certificates={full.certificates} />}
      {full.transfer && <TransferSection transfer={full.transfer} />}
      {plan.phases.map((phase, i) => (
        <details key={phase.id} className="deploy-phase" open={i === 0}>
          <summary>
            {phaseLabel(t, phase.id)} <span className="muted">({phase.jobs.map((j) => j.hostName).join(', ')})</span>
          </summary>
          {phase.jobs.map((job) => (
            <div key={job.hostId} className="deploy-job" data-host={job.hostName}>
              <h4>
                {job.hostName}
                {job.needs.map((n) => (
                  <span key={n.phase} className="muted deploy-need">
                    {' '}
                    · {t('deploy.needsHosts', { need: `${n.quantity} ${n.phase}` })}
                  </span>
                ))}
              </h4>
              <ol className="deploy-steps">
                {job.steps.map((s) => (
                  <StepItem key={s.id} step={s} cluster={cluster} canDiff={canDiff} />
                ))}
              </ol>
            </div>
          ))}
        </details>
      ))}
    </div>
  );
}

/** The run's first step, on this computer: the PKI is made (or completed) before anything is uploaded. */
function CertificatesStep({ certificates }: { certificates: NonNullable<Plan['certificates']> }) {
  const t = useT();
  const reasons = [...new Set(certificates.issued.map((i) => i.reason))].join(', ');
  return (
    <section className="deploy-phase deploy-certificates" aria-label={t('deploy.certificates.title')} data-phase="certificates">
      <h3>{t('deploy.certificates.title')}</h3>
      <p>{t('deploy.certificates.step', { count: certificates.issued.length })}</p>
      <p className="muted">{t('deploy.certificates.reasons', { reasons })}</p>
    </section>
  );
}

function StepItem({ step, cluster, canDiff }: { step: PlanStep; cluster: string; canDiff: boolean }) {
  const t = useT();
  const [open, setOpen] = useState<'content' | 'diff' | undefined>();
  const [diff, setDiff] = useState<StepDiff | 'loading' | undefined>();
  const a = step.action;
  const showDiff = async () => {
    setOpen('diff');
    setDiff('loading');
    try {
      setDiff(await call('deploy.diff', { cluster, stepId: step.id }));
    } catch (err) {
      setDiff(undefined);
      setOpen(undefined);
      useErrors.getState().show(err);
    }
  };
  if (a.kind === 'command') {
    return (
      <li className="deploy-step">
        <span className="deploy-kind">{t('deploy.step.command')}</span> {step.title}
        <pre className="deploy-code">$ {a.run}</pre>
        {a.skipIf && (
          <div className="muted">
            {t('deploy.step.skipIf')} <code>{a.skipIf}</code>
          </div>
        )}
        {a.retry && (
          <div className="muted">{t('deploy.step.retry', { attempts: a.retry.attempts, seconds: a.retry.intervalMs / 1000 })}</div>
        )}
      </li>
    );
  }
  return (
    <li className="deploy-step">
      <span className="deploy-kind">{t('deploy.step.file')}</span> {step.title}: <code>{a.path}</code>{' '}
      <span className="muted">{a.mode}</span>
      {a.secret && <span className="muted"> · {t('deploy.step.secret')}</span>}
      {a.text === undefined && !a.secret && <span className="muted"> · {t('deploy.step.binary', { sha: a.sha256.slice(0, 16) })}</span>}
      {a.chooseBy && <div className="muted">{t('deploy.step.variants', { command: a.chooseBy })}</div>}
      <div className="deploy-step-actions">
        {(a.text !== undefined || a.variants) && (
          <button type="button" onClick={() => setOpen(open === 'content' ? undefined : 'content')}>
            {t('deploy.showContent')}
          </button>
        )}
        {canDiff && (
          <button type="button" onClick={() => void (open === 'diff' ? setOpen(undefined) : showDiff())}>
            {t('deploy.showDiff')}
          </button>
        )}
      </div>
      {open === 'content' &&
        (a.variants ?? [{ label: '', text: a.text, match: '', sha256: a.sha256, size: a.size }]).map((v) => (
          <div key={v.label}>
            {v.label && <div className="muted">{v.label}</div>}
            <pre className="deploy-code">{v.text}</pre>
          </div>
        ))}
      {open === 'diff' && <DiffView diff={diff} />}
    </li>
  );
}

function DiffView({ diff }: { diff: StepDiff | 'loading' | undefined }) {
  const t = useT();
  if (diff === undefined) return null;
  if (diff === 'loading') return <div className="muted">{t('deploy.diffLoading')}</div>;
  return (
    <div className="deploy-diff">
      {diff.variant && <div className="muted">{diff.variant}</div>}
      {diff.unchanged ? (
        <div>{t('deploy.diffUnchanged')}</div>
      ) : diff.comparedBy === 'sha256' ? (
        <div>
          {diff.exists ? diff.diff : t('deploy.diffNew')} <span className="muted">{t('deploy.diffBySha')}</span>
        </div>
      ) : (
        <pre className="deploy-code">
          {diff.diff.split('\n').map((line, i) => (
            <span key={i} className={line.startsWith('+') ? 'diff-add' : line.startsWith('-') ? 'diff-del' : undefined}>
              {line}
              {'\n'}
            </span>
          ))}
        </pre>
      )}
    </div>
  );
}
