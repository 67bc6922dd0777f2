import { describe, expect, it } from 'vitest';
import { ClusterSchema } from '../../../../src-shared/model/cluster';
import { validateTopology } from '../../../../src-shared/model/validate-topology';
import { groupFindings } from './group-findings';

const cluster = (roles: string[][]) =>
  ClusterSchema.parse({ name: 'c', hosts: roles.map((r, i) => ({ id: `h${i}`, name: `n${i}`, address: `10.0.0.${i + 1}`, roles: r })) });

describe('groupFindings', () => {
  it('shows 5 hosts without a role as one line naming them, after the errors it came with', () => {
    const lines = groupFindings(validateTopology(cluster([[], [], [], [], []])).findings);
    expect(lines.map((l) => (l.kind === 'group' ? `${l.code}×${l.findings.length}` : l.finding.code))).toEqual([
      'etcdNone',
      'masterNone',
      'noRole×5',
    ]);
    const group = lines[2]!;
    expect(group.kind === 'group' && group.params).toMatchObject({ count: 5, names: 'n0, n1, n2, n3, n4' });
  });

  it('keeps a lone per-host finding as it is', () => {
    const lines = groupFindings(validateTopology(cluster([['etcd', 'master', 'node'], []])).findings);
    expect(lines.filter((l) => l.kind === 'single' && l.finding.code === 'noRole')).toHaveLength(1);
    expect(lines.some((l) => l.kind === 'group')).toBe(false);
  });
});
