import { describe, expect, it } from 'vitest';
import { buildPlan } from '../plan-builder';
import { fileTemplates } from '../templates';
import { fakeBinaries, fakePki, labCluster } from '../../../test/support/deploy/fixtures';
import { transferPlan } from './transfer-plan';

const templates = fileTemplates();
const planOf = (cluster: ReturnType<typeof labCluster>, transfer?: 'relay' | 'direct') =>
  buildPlan({ cluster, pki: fakePki(), binaries: fakeBinaries(), templates, now: new Date(0), ...(transfer ? { transfer } : {}) });

describe('how artifacts travel (plan.transfer)', () => {
  it('picks the host that needs the most bytes as the relay; every other host fetches from it', () => {
    const p = planOf(labCluster(6));
    expect(p.transfer?.relay?.hostName).toBe('node1');
    expect(p.transfer?.routes.map((r) => [r.hostName, r.via])).toEqual([
      ['node1', 'direct'],
      ...['node2', 'node3', 'node4', 'node5', 'node6'].map((n) => [n, 'relay']),
    ]);
    // The counts are the plan's own artifacts: a master has the control-plane programs on top of a worker's.
    const [master, , , worker] = p.transfer!.routes;
    expect(master!.bytes).toBeGreaterThan(worker!.bytes);
    expect(master!.files).toBeGreaterThan(worker!.files);
  });

  it('sends everything directly when asked to, and for a single host', () => {
    expect(planOf(labCluster(3), 'direct').transfer?.relay).toBeUndefined();
    expect(planOf(labCluster(3), 'direct').transfer?.routes.every((r) => r.via === 'direct')).toBe(true);
    expect(planOf(labCluster(1)).transfer?.relay).toBeUndefined();
  });

  it('a host named by DNS name or of the other address family gets its files directly; one cannot be the relay', () => {
    const cluster = labCluster(4);
    cluster.hosts[0] = { ...cluster.hosts[0]!, address: 'node1.lan' };
    cluster.hosts[3] = { ...cluster.hosts[3]!, address: 'fd00::4' };
    const p = planOf(cluster);
    expect(p.transfer?.relay?.hostName).toBe('node2');
    expect(p.transfer?.routes.map((r) => [r.hostName, r.via])).toEqual([
      ['node1', 'direct'],
      ['node2', 'direct'],
      ['node3', 'relay'],
      ['node4', 'direct'],
    ]);
  });

  it('only a host that runs nginx (a kubelet host) serves; a plan without artifacts has no transfer', () => {
    const p = planOf(labCluster(3));
    const onlyThird = transferPlan(p, labCluster(3).hosts, ['h3'], 'relay');
    expect(onlyThird?.relay?.hostId).toBe('h3');
    expect(transferPlan({ phases: [] }, labCluster(3).hosts, ['h1'], 'relay')).toBeUndefined();
  });
});
