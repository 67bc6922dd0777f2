import { describe, expect, it } from 'vitest';
import { ClusterSchema, type Cluster } from '../../../../src-shared/model/cluster';
import type { DeployRun } from '../../../../src-shared/model/deploy-run';
import { validateTopology } from '../../../../src-shared/model/validate-topology';
import { nextAction, type HomeFacts } from './next-action';

const probe = { at: '2026-12-01T00:00:00Z', ok: true, cpus: 4, memoryBytes: 8 * 1024 ** 3 };
const seeded = (roles: string[][], probed = true): Cluster =>
  ClusterSchema.parse({
    name: 'c',
    hosts: roles.map((r, i) => ({ id: `h${i}`, name: `n${i}`, address: `10.0.0.${i + 1}`, roles: r, ...(probed ? { probe } : {}) })),
  });
const run = (state: DeployRun['state']) => ({ state }) as DeployRun;
const healthy = { at: '', etcd: { ok: true, members: [] }, nodes: { ok: true, items: [] }, certificates: [], hosts: [] };
const ha = [['etcd', 'master'], ['etcd', 'master'], ['etcd', 'master'], ['node']];

function facts(cluster: Cluster, more: Partial<HomeFacts> = {}): HomeFacts {
  return {
    cluster,
    report: validateTopology(cluster),
    run: null,
    running: false,
    backups: [],
    now: new Date('2026-12-05T00:00:00Z'),
    ...more,
  };
}

describe('nextAction', () => {
  it('walks a cluster from empty to deployed', () => {
    expect(nextAction(facts(seeded([]))).code).toBe('addHosts');
    expect(nextAction(facts(seeded([[], []], false))).code).toBe('probe');
    expect(nextAction(facts(seeded([[], []])))).toEqual({ code: 'assignRoles', screen: 'topology' });
    expect(nextAction(facts(seeded(ha)))).toEqual({ code: 'deploy', screen: 'deploy' });
    expect(nextAction(facts(seeded(ha), { running: true, run: run('running') })).code).toBe('watchDeploy');
    expect(nextAction(facts(seeded(ha), { run: run('failed') })).code).toBe('fixDeploy');
  });

  it('after a deploy: hosts first, then certificates near expiry, then a backup', () => {
    const done = { run: run('succeeded'), health: healthy };
    const down = { ...healthy, hosts: [{ hostId: 'h0', hostName: 'n0', reachable: false, units: [] }] };
    expect(nextAction(facts(seeded(ha), { ...done, health: down })).code).toBe('fixHosts');
    expect(nextAction(facts(seeded(ha), { ...done, nearestExpiryDays: 12 })).code).toBe('renewCertificates');
    expect(nextAction(facts(seeded(ha), done)).code).toBe('backUp');
    const backup = { id: 'b', cluster: 'c', takenAt: '2026-12-04T00:00:00Z', size: 1, sha256: 'x', member: 'n0', revision: 1, path: '/b' };
    expect(nextAction(facts(seeded(ha), { ...done, nearestExpiryDays: 300, backups: [backup] })).code).toBe('allGood');
    expect(nextAction(facts(seeded(ha), { ...done, backups: [{ ...backup, takenAt: '2026-11-01T00:00:00Z' }] })).code).toBe('backUp');
  });
});
