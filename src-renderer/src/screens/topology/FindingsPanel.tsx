import type { TopologyReport } from '../../../../src-shared/model/validate-topology';
import { StateIcon } from '../../app/icons';
import { useT } from '../../i18n/i18n';
import { groupFindings } from './group-findings';

/** Everything wrong with the topology, at once, beside the canvas: what it is and what to do. */
export function FindingsPanel({ report }: { report: TopologyReport }) {
  const t = useT();
  const lines = groupFindings(report.findings);
  return (
    <aside className="findings" aria-labelledby="findings-title">
      <h3 id="findings-title">{t('findings.title')}</h3>
      <p className="findings-counts" data-testid="role-counts">
        {t('findings.counts', report.counts)}
      </p>
      {report.findings.length === 0 ? (
        <p className="findings-none">
          <StateIcon state="ok" /> {t('findings.none')}
        </p>
      ) : (
        <ul className="findings-list" data-testid="findings">
          {lines.map((line, i) => {
            const severity = line.kind === 'group' ? line.severity : line.finding.severity;
            const code = line.kind === 'group' ? line.code : line.finding.code;
            return (
              <li
                key={`${code}-${i}`}
                className={`finding finding-${severity}`}
                data-code={code}
                data-severity={severity}
                data-count={line.kind === 'group' ? line.findings.length : undefined}
              >
                <span className="finding-severity">
                  <StateIcon state={severity === 'error' ? 'error' : 'warning'} />{' '}
                  {t(severity === 'error' ? 'findings.error' : 'findings.warning')}
                </span>
                {line.kind === 'single' ? (
                  <>
                    <span className="finding-message">{t(line.finding.messageKey, line.finding.params)}</span>
                    <span className="finding-fix">{t(line.finding.fixKey, line.finding.params)}</span>
                  </>
                ) : (
                  <>
                    <span className="finding-message">{t(`findingGroup.${line.code}`, line.params)}</span>
                    <span className="finding-fix">{t(`findingGroupFix.${line.code}`, line.params)}</span>
                    {line.code !== 'noRole' && (
                      <details className="finding-details">
                        <summary>{t('findingGroup.details')}</summary>
                        <ul>
                          {line.findings.map((f) => (
                            <li key={f.hostIds.join()}>{t(f.messageKey, f.params)}</li>
                          ))}
                        </ul>
                      </details>
                    )}
                  </>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </aside>
  );
}
