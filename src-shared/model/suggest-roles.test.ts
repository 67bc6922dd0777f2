import { describe, expect, it } from 'vitest';
import { HostSchema, type Host, type Role } from './cluster';
import { suggestRoles } from './suggest-roles';
import { validateTopology } from './validate-topology';
import { ClusterSchema } from './cluster';

const GiB = 1024 ** 3;

function hosts(specs: Array<[cpus: number, memoryGiB: number] | 'failed' | 'unprobed'>): Host[] {
  return specs.map((s, i) =>
    HostSchema.parse({
      id: `h${i + 1}`,
      name: `host${i + 1}`,
      address: `10.0.0.${i + 1}`,
      ...(s === 'unprobed'
        ? {}
        : s === 'failed'
          ? { probe: { at: '2026-12-05T00:00:00Z', ok: false, error: { name: 'SshError', message: 'refused' } } }
          : { probe: { at: '2026-12-05T00:00:00Z', ok: true, cpus: s[0], memoryBytes: s[1] * GiB } }),
    }),
  );
}

const layout = (roles: Record<string, Role[]>) => Object.values(roles).map((r) => r.join('+') || '-');
const report = (list: Host[], roles: Record<string, Role[]>) =>
  validateTopology(ClusterSchema.parse({ name: 'x', hosts: list.map((h) => ({ ...h, roles: roles[h.id] })) }));

describe('suggestRoles', () => {
  it('lays out the seed for 8 hosts: 3 etcd of their own, 2 control planes on the strongest, 3 workers; HA, no finding', () => {
    const list = hosts([
      [2, 4],
      [2, 4],
      [8, 16],
      [2, 4],
      [4, 16],
      [2, 4],
      [2, 4],
      [4, 8],
    ]);
    const s = suggestRoles(list);
    expect(s.reason).toEqual({ code: 'separateEtcd', params: { etcd: 3, masters: 2, workers: 3, skipped: 0 } });
    expect(s.roles.h3).toEqual(['master']);
    expect(s.roles.h5).toEqual(['master']);
    // Next strongest (h8), then inventory order among equals.
    expect([s.roles.h8, s.roles.h1, s.roles.h2]).toEqual([['etcd'], ['etcd'], ['etcd']]);
    expect([s.roles.h4, s.roles.h6, s.roles.h7]).toEqual([['node'], ['node'], ['node']]);
    const r = report(list, s.roles);
    expect(r.ha).toBe(true);
    expect(r.findings).toEqual([]);
  });

  it('stacks etcd on three control planes when there are 4 to 6 hosts', () => {
    for (const n of [4, 5, 6]) {
      const list = hosts(Array.from({ length: n }, () => [4, 8] as [number, number]));
      const s = suggestRoles(list);
      expect(s.reason).toEqual({ code: 'stacked', params: { masters: 3, workers: n - 3, skipped: 0 } });
      expect(layout(s.roles).filter((r) => r === 'etcd+master')).toHaveLength(3);
      expect(report(list, s.roles).ha).toBe(true);
    }
  });

  it('gives every role to all three of 3 hosts, and everything to the stronger of 1 or 2', () => {
    expect(
      layout(
        suggestRoles(
          hosts([
            [2, 4],
            [2, 4],
            [2, 4],
          ]),
        ).roles,
      ),
    ).toEqual(['etcd+master+node', 'etcd+master+node', 'etcd+master+node']);
    expect(
      layout(
        suggestRoles(
          hosts([
            [2, 4],
            [4, 4],
          ]),
        ).roles,
      ),
    ).toEqual(['node', 'etcd+master+node']);
    const single = suggestRoles(hosts([[1, 1]]));
    expect(single.reason.code).toBe('single');
    expect(layout(single.roles)).toEqual(['etcd+master+node']);
  });

  it('grows to 3 control planes from 10 hosts and 5 etcd members from 15', () => {
    const ten = suggestRoles(hosts(Array.from({ length: 10 }, () => [2, 4] as [number, number])));
    expect(ten.reason).toEqual({ code: 'separateEtcd', params: { etcd: 3, masters: 3, workers: 4, skipped: 0 } });
    const fifteen = suggestRoles(hosts(Array.from({ length: 15 }, () => [2, 4] as [number, number])));
    expect(fifteen.reason).toEqual({ code: 'separateEtcd', params: { etcd: 5, masters: 3, workers: 7, skipped: 0 } });
  });

  it('leaves out hosts whose probe failed, and counts unprobed ones as usable', () => {
    const list = hosts(['failed', 'unprobed', [2, 4], [2, 4], 'unprobed']);
    const s = suggestRoles(list);
    expect(s.roles.h1).toEqual([]);
    expect(s.reason).toEqual({ code: 'stacked', params: { masters: 3, workers: 1, skipped: 1 } });
    // Probed machines before unknown ones for the control plane.
    expect([s.roles.h3, s.roles.h4]).toEqual([
      ['etcd', 'master'],
      ['etcd', 'master'],
    ]);
    expect(suggestRoles(hosts(['failed'])).reason).toEqual({ code: 'none', params: { skipped: 1 } });
  });
});
