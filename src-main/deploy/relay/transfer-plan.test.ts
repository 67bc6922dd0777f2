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

describe('hosts downloading from the binary source (plan.transfer with artifactTransfer "hostsDownload")', () => {
  /** The fake binaries with origins as a download records them (kube-* single files, etcd from its archive). */
  const withOrigins = (prefix: string) => {
    const b = fakeBinaries();
    return {
      ...b,
      files: b.files.map((f) =>
        f.component === 'kubernetes'
          ? { ...f, origin: { url: `${prefix}/dl.k8s.io/release/v1/bin/linux/amd64/${f.name}`, sha256: 'c'.repeat(64) } }
          : f.component === 'etcd'
            ? { ...f, origin: { url: `https://github.com/etcd-io/etcd/e.tar.gz`, sha256: 'd'.repeat(64), member: `e/${f.name}` } }
            : f,
      ),
    };
  };
  const plan = (cluster: ReturnType<typeof labCluster>, binaries = withOrigins('https://mirror.lab/k8s')) =>
    buildPlan({ cluster, pki: fakePki(), binaries, templates, now: new Date(0) });
  const mirror = { kind: 'mirror', prefix: 'https://mirror.lab/k8s' } as const;

  it('each host downloads the binaries with a known origin itself; the rest still travel from this computer, over the relay', () => {
    const before = plan(labCluster(4, { binarySource: mirror })).transfer!;
    const p = plan(labCluster(4, { binarySource: mirror, artifactTransfer: 'hostsDownload' })).transfer!;
    expect(before.source).toBeUndefined();
    expect(before.routes.every((r) => r.downloads === undefined)).toBe(true);
    expect(p.source).toBe('https://mirror.lab/k8s');
    expect(p.relay?.hostName).toBe('node1');
    for (const [i, r] of p.routes.entries()) {
      const old = before.routes[i]!;
      // Nothing is lost or counted twice: downloaded + sent is what the host received from this computer before.
      expect(r.downloads!.files + r.files, r.hostName).toBe(old.files);
      expect(r.downloads!.bytes + r.bytes, r.hostName).toBe(old.bytes);
      expect(r.downloads!.files).toBeGreaterThan(0);
      expect(r.via).toBe(old.via);
    }
    // A master downloads the control-plane programs and etcd on top of what a worker downloads.
    expect(p.routes[0]!.downloads!.files).toBeGreaterThan(p.routes[3]!.downloads!.files);
  });

  it('names the official sites when there is no mirror', () => {
    const p = plan(labCluster(3, { artifactTransfer: 'hostsDownload' }), withOrigins('https:/')).transfer!;
    expect(p.source).toBe('dl.k8s.io, github.com');
  });

  it('nothing is downloaded by the hosts from an offline bundle, or when no binary has a recorded origin', () => {
    const offline = plan(labCluster(3, { binarySource: { kind: 'offline', folder: '/b' }, artifactTransfer: 'hostsDownload' })).transfer!;
    expect(offline.source).toBeUndefined();
    expect(offline.routes.every((r) => r.downloads === undefined)).toBe(true);
    const noOrigins = plan(labCluster(3, { binarySource: mirror, artifactTransfer: 'hostsDownload' }), fakeBinaries()).transfer!;
    expect(noOrigins.source).toBeUndefined();
  });
});
