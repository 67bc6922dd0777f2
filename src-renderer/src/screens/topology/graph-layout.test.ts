import { describe, expect, it } from 'vitest';
import type { Host, Role } from '../../../../src-shared/model/cluster';
import { layoutGraph } from './graph-layout';

const host = (n: number, roles: Role[]): Host => ({
  id: `h${n}`,
  name: `host-${n}`,
  address: `10.0.0.${n}`,
  port: 22,
  user: 'root',
  auth: { kind: 'agent' },
  sudo: 'none',
  roles,
});

describe('layoutGraph', () => {
  it('draws the seed: 5 kubelets each balancing over 2 apiservers, each apiserver on 3 etcd members', () => {
    const hosts = [1, 2, 3]
      .map((n) => host(n, ['etcd']))
      .concat(
        [4, 5].map((n) => host(n, ['master'])),
        [6, 7, 8].map((n) => host(n, ['node'])),
      );
    const graph = layoutGraph(hosts);
    expect(graph.rows.map((r) => [r.kind, r.count])).toEqual([
      ['kubelet', 5],
      ['apiserver', 2],
      ['etcd', 3],
    ]);
    expect(graph.edges.filter((e) => e.kind === 'lb-apiserver')).toHaveLength(10);
    expect(graph.edges.filter((e) => e.kind === 'apiserver-etcd')).toHaveLength(6);
    const ids = graph.boxes.map((b) => b.id);
    expect(ids).toContain('apiserver:h4');
    expect(ids).not.toContain('apiserver:h6');
    for (const box of graph.boxes) expect(box.x + box.width).toBeLessThanOrEqual(graph.width);
  });

  it('folds a long row into "+N more" so 200 hosts stay readable', () => {
    const hosts = Array.from({ length: 200 }, (_, i) => host(i + 1, i < 3 ? ['etcd', 'master'] : ['node']));
    const graph = layoutGraph(hosts, 10);
    const kubelets = graph.boxes.filter((b) => b.row === 'kubelet');
    expect(kubelets).toHaveLength(10);
    expect(kubelets[9]).toMatchObject({ id: 'kubelet:more', more: 191 });
    expect(graph.edges.filter((e) => e.kind === 'lb-apiserver')).toHaveLength(30);
  });

  it('has no lines for an empty cluster', () => {
    expect(layoutGraph([]).edges).toEqual([]);
  });
});
