import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NEW_CLUSTER_VERSIONS, type Cluster } from '../../src-shared/model/cluster';
import { planSteps, type Plan } from '../../src-shared/model/plan';
import { loadBundle } from '../../src-main/deploy/binaries/bundle';
import { resolveBinaries } from '../../src-main/deploy/binaries/source';
import type { BinarySet } from '../../src-main/deploy/binaries/types';
import { DOWNLOAD_DIR } from '../../src-main/deploy/relay/source-commands';
import { RELEASES } from '../../src-main/deploy/versions';
import { ROOT_ADDRESS } from '../lab/config';
import { ensureImage, labDown, labUp, type LabHost } from '../lab/lab';
import { labSsh } from '../lab/ssh';
import { labSkipReason, suiteName } from '../lab/support';
import { countingTransports, newLinkCount, type LinkCount } from './counting-transports';
import { prepareLabDeploy, type LabDeploy } from './lab-cluster';
import { startLabMirror, type LabMirror } from './lab-mirror';
import { resetDeployedHosts } from './lab-reset';

const WAIVE = ['cgroup2'] as const;
const MINOR = NEW_CLUSTER_VERSIONS[0];

/** Per host: install path → SHA-256 and local path, of the plan's artifacts. */
function artifacts(plan: Plan): Map<string, Array<{ path: string; sha256: string; localPath: string }>> {
  const byHost = new Map<string, Array<{ path: string; sha256: string; localPath: string }>>();
  for (const s of planSteps(plan)) {
    if (s.action.kind !== 'file' || !s.action.localPath) continue;
    const list = byHost.get(s.hostId) ?? [];
    list.push({ path: s.action.path, sha256: s.action.sha256, localPath: s.action.localPath });
    byHost.set(s.hostId, list);
  }
  return byHost;
}

async function remoteSums(host: LabHost, paths: string[]): Promise<string[]> {
  const script = paths.map((p) => `if [ -f '${p}' ]; then sha256sum '${p}' | cut -c1-64; else echo -; fi`).join('; ');
  return (await labSsh(host.address, script)).stdout.trim().split('\n');
}

describe.skipIf(labSkipReason)(suiteName('hosts download the binaries from a mirror, SHA-256 checked, upload as fallback'), () => {
  let hosts: LabHost[];
  let mirror: LabMirror;
  const dirs: string[] = [];
  let dataDir = '';
  /** The desktop's binaries from the mirror (its own verified download), plus the lab bundle's packages (debs the lab image lacks). */
  const binaries = async (cluster: Cluster, bundle: string): Promise<BinarySet> => ({
    ...(await resolveBinaries(cluster, dataDir)),
    packages: (await loadBundle(bundle)).packages,
  });
  const deploy = async (count: LinkCount): Promise<LabDeploy> => {
    await resetDeployedHosts(hosts);
    dataDir = mkdtempSync(join(tmpdir(), 'ks-lab-source-'));
    dirs.push(dataDir);
    return prepareLabDeploy(hosts, {
      dataDir,
      settings: { binarySource: { kind: 'mirror', prefix: mirror.prefix }, artifactTransfer: 'hostsDownload' },
      binaries,
      wrap: (p) => countingTransports(p, count),
    });
  };
  const installedRight = async (plan: Plan): Promise<void> => {
    const byHost = artifacts(plan);
    for (const host of hosts) {
      const want = byHost.get(`id-${host.name}`)!;
      expect(
        await remoteSums(
          host,
          want.map((f) => f.path),
        ),
        host.name,
      ).toEqual(want.map((f) => f.sha256));
    }
  };
  /** The artifact URLs under the mirror each host downloaded, by its address. */
  const fetchedBy = (host: LabHost): Map<string, number> => mirror.requests.get(host.address) ?? new Map();

  beforeAll(async () => {
    hosts = await labUp(3);
    const image = await ensureImage();
    mirror = await startLabMirror(image.rootfs, RELEASES[MINOR]!, MINOR);
  });
  afterAll(async () => {
    await Promise.all(hosts.map((h) => labSsh(h.address, 'iptables -F OUTPUT').catch(() => undefined)));
    await resetDeployedHosts(hosts).catch(() => undefined);
    await mirror?.close();
    await labDown();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('each host downloads its binaries from the mirror: none of their bytes cross this computer link, every SHA-256 right', async () => {
    const count = newLinkCount();
    const lab = await deploy(count);
    const { plan } = await lab.service.plan('lab', [...WAIVE]);
    expect(plan.transfer?.source).toBe(mirror.prefix);
    for (const r of plan.transfer!.routes) expect(r.downloads?.files, r.hostName).toBeGreaterThan(0);
    mirror.requests.clear();
    const run = await (await lab.service.start('lab', { mode: 'fresh', stopAfter: 'binaries', waive: WAIVE })).done;
    expect(run.state, JSON.stringify(run.hosts.map((h) => h.cause))).toBe('succeeded');
    await installedRight(plan);

    const bin = await binaries(lab.cluster, join(lab.dataDir, 'bundle'));
    const originOf = new Map(bin.files.map((f) => [f.localPath, f.origin!]));
    for (const host of hosts) {
      const mine = artifacts(plan).get(`id-${host.name}`)!;
      const downloaded = mine.filter((f) => originOf.has(f.localPath));
      expect(downloaded.length, host.name).toBeGreaterThan(0);
      for (const f of downloaded) {
        // The host asked the mirror for it, and this computer sent none of its bytes.
        expect(fetchedBy(host).get(new URL(originOf.get(f.localPath)!.url).pathname), `${host.name} ${f.path}`).toBeGreaterThan(0);
        expect(count.byLocalPath.get(f.localPath) ?? 0, `${host.name} ${f.path}`).toBe(0);
      }
      expect(
        lab.logs.filter((l) => l.startsWith(`id-${host.name}:`) && l.includes(`downloaded by the host from ${ROOT_ADDRESS}`)).length,
      ).toBe(downloaded.length);
      // The downloads are removed at the run's end.
      expect((await labSsh(host.address, `ls -A ${DOWNLOAD_DIR} 2>&1 | head -1`)).stdout).toMatch(/No such file/);
    }
    // Only the packages (not on the mirror) crossed the link.
    const sentLocal = [...count.byLocalPath.entries()].filter(([, n]) => n > 0).map(([p]) => p);
    const hostBytes = [...artifacts(plan).values()]
      .flat()
      .reduce((n, f) => n + (bin.files.find((b) => b.localPath === f.localPath)?.size ?? 0), 0);
    const requests = hosts.reduce((n, h) => n + [...fetchedBy(h).values()].reduce((a, b) => a + b, 0), 0);
    console.log(
      `hosts downloaded ${(hostBytes / 1e6).toFixed(1)} MB of binaries in ${requests} requests; this computer's link carried ${(count.bytes / 1e6).toFixed(2)} MB in all (packages and commands)`,
    );
    expect(
      sentLocal.every((p) => p.endsWith('.deb')),
      sentLocal.join(', '),
    ).toBe(true);
  });

  it('a host blocked from the mirror and one served other bytes get those files uploaded; nothing altered is installed', async () => {
    const count = newLinkCount();
    const [, node2, node3] = hosts as [LabHost, LabHost, LabHost];
    const port = new URL(mirror.prefix).port;
    await labSsh(node3.address, `iptables -I OUTPUT -p tcp -d ${ROOT_ADDRESS} --dport ${port} -j REJECT --reject-with tcp-reset`);
    const lab = await deploy(count);
    const { plan } = await lab.service.plan('lab', [...WAIVE]);
    const bin = await binaries(lab.cluster, join(lab.dataDir, 'bundle'));
    const kubelet = bin.files.find((f) => f.name === 'kubelet')!;
    const containerd = bin.files.find((f) => f.name === 'containerd')!;
    // node2 is served altered bytes of a single binary and of an archive (after this computer downloaded the true ones).
    mirror.alter.set(node2.address, new Set([kubelet.origin!.url, containerd.origin!.url].map((u) => new URL(u).pathname)));
    mirror.requests.clear();
    try {
      const run = await (await lab.service.start('lab', { mode: 'fresh', stopAfter: 'binaries', waive: WAIVE })).done;
      expect(run.state, JSON.stringify(run.hosts.map((h) => h.cause))).toBe('succeeded');
    } finally {
      mirror.alter.clear();
      await labSsh(node3.address, `iptables -D OUTPUT -p tcp -d ${ROOT_ADDRESS} --dport ${port} -j REJECT --reject-with tcp-reset`);
    }
    await installedRight(plan);
    const logsOf = (h: LabHost) => lab.logs.filter((l) => l.startsWith(`id-${h.name}:`));
    // node3: one attempt, the reason, then everything from this computer.
    expect(logsOf(node3).some((l) => /could not download it from .*curl: \(7\)/.test(l))).toBe(true);
    expect(
      logsOf(node3).some((l) => l.includes(`node3 cannot reach ${mirror.prefix}: its other binaries are sent from this computer`)),
    ).toBe(true);
    expect(logsOf(node3).some((l) => l.includes('downloaded by the host'))).toBe(false);
    expect(mirror.requests.get(node3.address)).toBeUndefined();
    // node2: every binary of the altered archive is refused (the archive is checked before anything is taken out of
    // it) and sent from this computer; after three refusals node2 stops downloading, so kubelet (altered too) is
    // refused or sent after that: never downloaded.
    const refused = logsOf(node2).filter((l) => l.includes('sent other bytes than its published SHA-256'));
    expect(refused.some((l) => l.includes('/usr/local/bin/containerd:'))).toBe(true);
    expect(logsOf(node2).some((l) => l.includes('failed on node2: its other binaries are sent from this computer'))).toBe(true);
    expect(logsOf(node2).some((l) => l.includes('/usr/local/bin/kubelet: downloaded by the host'))).toBe(false);
    // Bytes for the fallback went over this computer's link (directly or once to the relay host).
    expect(count.byLocalPath.get(kubelet.localPath) ?? 0).toBeGreaterThanOrEqual(kubelet.size);
  });
});
