import type { TopologyReport } from '../../../../src-shared/model/validate-topology';
import { useT } from '../../i18n/i18n';

/** Everything wrong with the topology, at once, beside the canvas: what it is and what to do. */
export function FindingsPanel({ report }: { report: TopologyReport }) {
  const t = useT();
  return (
    <aside className="findings" aria-labelledby="findings-title">
      <h3 id="findings-title">{t('findings.title')}</h3>
      <p className="findings-counts" data-testid="role-counts">
        {t('findings.counts', report.counts)}
      </p>
      {report.findings.length === 0 ? (
        <p className="findings-none">{t('findings.none')}</p>
      ) : (
        <ul className="findings-list" data-testid="findings">
          {report.findings.map((f, i) => (
            <li key={`${f.code}-${i}`} className={`finding finding-${f.severity}`} data-code={f.code} data-severity={f.severity}>
              <span className="finding-severity">{t(f.severity === 'error' ? 'findings.error' : 'findings.warning')}</span>
              <span className="finding-message">{t(f.messageKey, f.params)}</span>
              <span className="finding-fix">{t(f.fixKey, f.params)}</span>
            </li>
          ))}
        </ul>
      )}
    </aside>
  );
}
