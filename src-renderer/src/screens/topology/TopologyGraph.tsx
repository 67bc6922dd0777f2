import { useMemo } from 'react';
import type { Host } from '../../../../src-shared/model/cluster';
import { useT } from '../../i18n/i18n';
import { BOX_HEIGHT, layoutGraph, LB_HEIGHT } from './graph-layout';

/** What will be built: each node's local load balancer to all apiservers, each apiserver to all etcd members. */
export function TopologyGraph({ hosts }: { hosts: readonly Host[] }) {
  const t = useT();
  const graph = useMemo(() => layoutGraph(hosts), [hosts]);
  const counts = Object.fromEntries(graph.rows.map((r) => [r.kind, r.count])) as Record<'kubelet' | 'apiserver' | 'etcd', number>;
  if (counts.kubelet + counts.etcd === 0) return <p className="screen-empty">{t('graph.empty')}</p>;
  const summary = t('graph.summary', { kubelets: counts.kubelet, apiservers: counts.apiserver, etcd: counts.etcd });
  return (
    <figure className="topology-graph">
      <svg
        viewBox={`0 0 ${graph.width} ${graph.height}`}
        width={graph.width}
        role="img"
        aria-labelledby="graph-title graph-desc"
        data-testid="topology-graph"
      >
        <title id="graph-title">{t('graph.title')}</title>
        <desc id="graph-desc">{summary}</desc>
        {graph.rows.map((row) => (
          <text key={row.kind} x={8} y={row.y + BOX_HEIGHT / 2 + 4} className="graph-row-label" data-row={row.kind}>
            {t(`graph.row.${row.kind}`, { count: row.count })}
          </text>
        ))}
        <g className="graph-edges">
          {graph.edges.map((e, i) => (
            <line key={i} x1={e.x1} y1={e.y1} x2={e.x2} y2={e.y2} className={`graph-edge graph-edge-${e.kind}`} />
          ))}
        </g>
        {graph.boxes.map((box) => (
          <g key={box.id} className={`graph-box graph-box-${box.row}`} data-box={box.id}>
            <rect x={box.x} y={box.y} width={box.width} height={box.height} rx={6} />
            <text x={box.x + box.width / 2} y={box.y + BOX_HEIGHT / 2 + 4} textAnchor="middle">
              {box.more > 0 ? t('graph.more', { count: box.more }) : truncate(box.label, 16)}
            </text>
            {box.row === 'kubelet' && (
              <>
                <rect x={box.x + 6} y={box.y + BOX_HEIGHT - 4} width={box.width - 12} height={LB_HEIGHT} rx={3} className="graph-lb" />
                <text x={box.x + box.width / 2} y={box.y + BOX_HEIGHT + 9} textAnchor="middle" className="graph-lb-label">
                  {t('graph.lb')}
                </text>
              </>
            )}
          </g>
        ))}
      </svg>
      <figcaption>{summary}</figcaption>
    </figure>
  );
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
