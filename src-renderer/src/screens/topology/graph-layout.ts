import type { Host } from '../../../../src-shared/model/cluster';

export type GraphRowKind = 'kubelet' | 'apiserver' | 'etcd';

export interface GraphBox {
  id: string;
  row: GraphRowKind;
  /** A host name, or empty for the "+N more" box that stands for the rest of a long row. */
  label: string;
  more: number;
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface GraphEdge {
  kind: 'lb-apiserver' | 'apiserver-etcd';
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

export interface GraphLayout {
  width: number;
  height: number;
  rows: { kind: GraphRowKind; y: number; count: number }[];
  boxes: GraphBox[];
  edges: GraphEdge[];
}

export const BOX_WIDTH = 120;
export const BOX_HEIGHT = 40;
/** A kubelet's box has a strip at the bottom for its local API load balancer. */
export const LB_HEIGHT = 18;
const GAP = 14;
const LEFT = 200;
const ROW_GAP = 110;
const TOP = 20;

/**
 * What will be built, as boxes and lines: every Kubernetes node (control plane or worker) runs
 * a kubelet with a local load balancer that points at all apiservers; every apiserver talks to
 * every etcd member. A row longer than `maxPerRow` ends in one "+N more" box.
 */
export function layoutGraph(hosts: readonly Host[], maxPerRow = 10): GraphLayout {
  const rows: [GraphRowKind, Host[]][] = [
    ['kubelet', hosts.filter((h) => h.roles.includes('master') || h.roles.includes('node'))],
    ['apiserver', hosts.filter((h) => h.roles.includes('master'))],
    ['etcd', hosts.filter((h) => h.roles.includes('etcd'))],
  ];
  const shownCounts = rows.map(([, list]) => Math.min(list.length, maxPerRow));
  const widest = Math.max(1, ...shownCounts);
  const width = LEFT + widest * (BOX_WIDTH + GAP) + GAP;
  const boxes: GraphBox[] = [];
  const rowInfo: GraphLayout['rows'] = [];

  rows.forEach(([kind, list], rowIndex) => {
    const y = TOP + rowIndex * ROW_GAP;
    rowInfo.push({ kind, y, count: list.length });
    const overflow = list.length > maxPerRow;
    const shown = overflow ? list.slice(0, maxPerRow - 1) : list;
    const count = shown.length + (overflow ? 1 : 0);
    const rowWidth = count * (BOX_WIDTH + GAP) - GAP;
    const start = LEFT + (widest * (BOX_WIDTH + GAP) - GAP - rowWidth) / 2;
    const height = kind === 'kubelet' ? BOX_HEIGHT + LB_HEIGHT : BOX_HEIGHT;
    shown.forEach((host, i) =>
      boxes.push({
        id: `${kind}:${host.id}`,
        row: kind,
        label: host.name,
        more: 0,
        x: start + i * (BOX_WIDTH + GAP),
        y,
        width: BOX_WIDTH,
        height,
      }),
    );
    if (overflow) {
      boxes.push({
        id: `${kind}:more`,
        row: kind,
        label: '',
        more: list.length - shown.length,
        x: start + shown.length * (BOX_WIDTH + GAP),
        y,
        width: BOX_WIDTH,
        height,
      });
    }
  });

  const inRow = (kind: GraphRowKind) => boxes.filter((b) => b.row === kind);
  const edges: GraphEdge[] = [];
  const connect = (kind: GraphEdge['kind'], from: GraphBox[], to: GraphBox[]) => {
    for (const a of from)
      for (const b of to) edges.push({ kind, x1: a.x + a.width / 2, y1: a.y + a.height, x2: b.x + b.width / 2, y2: b.y });
  };
  connect('lb-apiserver', inRow('kubelet'), inRow('apiserver'));
  connect('apiserver-etcd', inRow('apiserver'), inRow('etcd'));
  return { width, height: TOP + 2 * ROW_GAP + BOX_HEIGHT + LB_HEIGHT + TOP, rows: rowInfo, boxes, edges };
}
