import { useState } from 'react';
import type { Role } from '../../../../src-shared/model/cluster';
import { suggestRoles, type SuggestionReason } from '../../../../src-shared/model/suggest-roles';
import type { TopologyReport } from '../../../../src-shared/model/validate-topology';
import { hrefFor } from '../../app/routes';
import { useT } from '../../i18n/i18n';
import { useClusters } from '../../stores/clusters';
import { useInventory } from '../../stores/inventory';
import { useTopologyHistory } from '../../stores/topology-history';

/** HA state, undo/redo and Deploy, above every tab: Deploy stays disabled while an error stands. */
export function TopologyToolbar({ report }: { report: TopologyReport }) {
  const t = useT();
  const clusterName = useClusters((s) => s.current?.name);
  const { history, cluster, undo, redo, apply } = useTopologyHistory();
  const hosts = useClusters((s) => s.current?.hosts);
  const probing = useInventory((s) => Object.keys(s.probing).length > 0);
  const [reason, setReason] = useState<SuggestionReason>();
  const suggest = () => {
    if (!hosts) return;
    const suggestion = suggestRoles(hosts);
    const before: Record<string, Role[]> = Object.fromEntries(hosts.map((h) => [h.id, h.roles]));
    setReason(suggestion.reason);
    // One canvas move: a single Undo puts every host back where it was.
    void apply({ before, after: suggestion.roles });
  };
  const own = cluster === clusterName;
  const errors = report.findings.filter((f) => f.severity === 'error').length;
  const warnings = report.findings.length - errors;
  return (
    <>
      <div className="topology-toolbar">
        <span
          className={`ha-state ${report.ha ? 'ha-yes' : 'ha-no'}`}
          data-testid="ha-state"
          data-ha={report.ha}
          aria-live="polite"
          title={report.ha ? t('topology.haExplained') : undefined}
        >
          {report.ha ? t('topology.ha') : t('topology.notHa')}
        </span>
        <span className="problem-count" data-testid="problem-count" id="deploy-blocked">
          {errors > 0
            ? t('topology.errors', { count: errors })
            : warnings > 0
              ? t('topology.warnings', { count: warnings })
              : t('topology.noProblems')}
        </span>
        <span className="toolbar-spacer" />
        <button
          type="button"
          onClick={suggest}
          disabled={!hosts || hosts.length === 0 || probing}
          title={probing ? t('suggest.waitProbe') : t('suggest.help')}
        >
          {t('suggest.button')}
        </button>
        <button
          type="button"
          onClick={() => void undo()}
          disabled={!own || history.past.length === 0}
          aria-keyshortcuts="Control+Z"
          title="Ctrl+Z"
        >
          {t('topology.undo')}
        </button>
        <button
          type="button"
          onClick={() => void redo()}
          disabled={!own || history.future.length === 0}
          aria-keyshortcuts="Control+Shift+Z"
          title="Ctrl+Shift+Z"
        >
          {t('topology.redo')}
        </button>
        <button
          type="button"
          className="primary"
          disabled={report.blocked}
          aria-describedby={report.blocked ? 'deploy-blocked' : undefined}
          onClick={() => {
            window.location.hash = hrefFor('deploy');
          }}
        >
          {t('topology.deploy')}
        </button>
      </div>
      {reason && (
        <p className="suggest-reason" role="status" data-testid="suggest-reason" data-code={reason.code}>
          {t(`suggest.${reason.code}`, reason.params)}
          {reason.params.skipped > 0 && ` ${t('suggest.skipped', reason.params)}`} {t('suggest.editable')}
        </p>
      )}
    </>
  );
}
