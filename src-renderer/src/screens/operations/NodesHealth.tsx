import type { ClusterHealth } from '../../../../src-shared/contract/operations';
import { useT } from '../../i18n/i18n';

/** The Kubernetes nodes as kubectl on a master lists them, or why it could not. */
export function NodesHealth({ nodes }: { nodes: ClusterHealth['nodes'] }) {
  const t = useT();
  return (
    <section className="ops-card" aria-labelledby="ops-health-nodes">
      <h3 id="ops-health-nodes">{t('ops.nodes')}</h3>
      {!nodes.ok ? (
        <p className="ops-error" data-testid="nodes-error">
          {nodes.error}
        </p>
      ) : nodes.items.length === 0 ? (
        <p className="muted">{t('ops.nodes.none')}</p>
      ) : (
        <ul className="ops-units">
          {nodes.items.map((n) => (
            <li key={n.name} className={`ops-chip tone-${n.ready ? 'ok' : 'bad'}`} data-node={n.name}>
              {n.name}: {n.ready ? t('ops.nodes.ready') : t('ops.nodes.notReady')} <span className="muted">{n.version}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
