import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeployRun } from '../../src-shared/model/deploy-run';
import { OperationsService } from '../../src-main/day2/service';
import { plainCipher } from '../../src-main/store/secret-cipher';
import { fillDisk, freeDisk } from '../lab/faults';
import { ensureImage, labDown, labUp, type LabHost } from '../lab/lab';
import { labSsh } from '../lab/ssh';
import { labSkipReason, suiteName } from '../lab/support';
import { buildLabBundle } from '../deploy/lab-bundle';
import { prepareLabDeploy, type LabDeploy } from '../deploy/lab-cluster';
import { resetDeployedHosts } from '../deploy/lab-reset';
import { putCluster } from '../support/store/test-clusters';

const LAB_WAIVE = ['cgroup2'] as const;

async function sh(host: LabHost, command: string): Promise<string> {
  const r = await labSsh(host.address, command);
  if (r.code !== 0) throw new Error(`${host.name}: ${command} → exit ${r.code}: ${r.stderr}${r.stdout}`);
  return r.stdout;
}

const versionOf = async (host: LabHost, program: string) =>
  (await sh(host, `/usr/local/bin/${program} --version`)).match(/Kubernetes (1\.\d+)/)?.[1];

/**
 * An upgrade 1.35 → 1.36 on three lab hosts with the kube-* stand-ins of each version (they say which version they
 * are): masters one at a time, then the worker; a failure on the second master stops it with the cluster serving.
 * Then a newer patch release of 1.36 the same way.
 */
describe.skipIf(labSkipReason)(suiteName('upgrade on lab hosts'), () => {
  let hosts: LabHost[];
  let lab: LabDeploy;
  let ops: OperationsService;

  const explain = (run: DeployRun) =>
    `${JSON.stringify(
      run.hosts.filter((h) => h.state !== 'succeeded'),
      null,
      1,
    )}\n${lab.logs.slice(-30).join('\n')}`;

  beforeAll(async () => {
    hosts = await labUp(3);
    await resetDeployedHosts(hosts);
    lab = await prepareLabDeploy(hosts, { settings: { kubernetesVersion: '1.35' } });
    ops = new OperationsService({ workspace: lab.workspace, cipher: plainCipher, deploy: lab.service, emit: () => undefined });
    const first = await (await lab.service.start('lab', { mode: 'fresh', stopAfter: 'nodes', waive: LAB_WAIVE })).done;
    expect(first.state, explain(first)).toBe('succeeded');
    // The 1.36 binaries come from their own bundle, as a new release would from the mirror.
    const bundle = join(lab.dataDir, 'bundle-1.36');
    buildLabBundle(bundle, (await ensureImage()).rootfs, '1.36');
    const c = await lab.workspace.get('lab');
    await putCluster(lab.workspace, { ...c, settings: { ...c.settings, binarySource: { kind: 'offline', folder: bundle } } });
  });
  afterAll(async () => {
    await labDown();
    if (lab) rmSync(lab.dataDir, { recursive: true, force: true });
  });

  it('refuses a downgrade, and binaries of another minor version as a patch release', async () => {
    await expect(ops.plan('lab', { kind: 'upgrade', to: '1.34', batch: 1 })).rejects.toMatchObject({ name: 'DowngradeRefused' });
    // The binary source already holds 1.36: it cannot be a patch release of 1.35.
    await expect(ops.plan('lab', { kind: 'upgrade', to: '1.35', batch: 1 })).rejects.toMatchObject({
      name: 'BinariesMismatch',
      message: 'The binary source holds Kubernetes 1.36 (stand-ins), not 1.35.',
    });
  });

  it('stops at the first failing master with the cluster still serving, then Resume finishes the rest', async () => {
    const [m1, m2, worker] = hosts as [LabHost, LabHost, LabHost];
    const request = { kind: 'upgrade' as const, to: '1.36' as const, batch: 1 };
    const planned = await ops.plan('lab', request, LAB_WAIVE);
    expect(planned.plan.phases.map((p) => [p.id, p.batch, p.jobs.map((j) => j.hostName)])).toEqual([
      ['control-plane', 1, ['node1', 'node2']],
      ['nodes', 1, ['node3']],
    ]);
    await fillDisk(m2, '/usr/local/bin', 4);
    let failed: DeployRun;
    try {
      failed = await (await ops.start('lab', request, { planHash: planned.plan.hash })).done;
    } finally {
      await freeDisk(m2, '/usr/local/bin');
    }
    expect(failed.hosts.map((h) => [h.hostName, h.state])).toEqual([
      ['node1', 'succeeded'],
      ['node2', 'failed'],
      ['node3', 'blocked'],
    ]);
    expect(failed.hosts[1]!.cause?.name).toBe('DiskFull');
    expect(await versionOf(m1, 'kube-apiserver')).toBe('1.36');
    expect(await versionOf(m2, 'kube-apiserver')).toBe('1.35');
    expect(await versionOf(worker, 'kubelet')).toBe('1.35');
    // Still serving: the worker reaches an apiserver through its load balancer with its own credentials.
    await sh(
      worker,
      'sed -n "s/^ *client-certificate-data: //p" /etc/kubernetes/kubelet.conf | base64 -d > /tmp/c.crt; sed -n "s/^ *client-key-data: //p" /etc/kubernetes/kubelet.conf | base64 -d > /tmp/c.key',
    );
    expect(
      await sh(
        worker,
        'curl -sS --fail --max-time 5 --cacert /etc/kubernetes/pki/ca.crt --cert /tmp/c.crt --key /tmp/c.key https://127.0.0.1:6443/healthz',
      ),
    ).toContain('ok');
    expect((await lab.workspace.get('lab')).settings.kubernetesVersion).toBe('1.35');

    const resumed = await (await ops.start('lab', request, { planHash: planned.plan.hash, mode: 'resume' })).done;
    expect(resumed.state, explain(resumed)).toBe('succeeded');
    for (const m of [m1, m2]) {
      for (const p of ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kubelet'])
        expect(`${m.name} ${p} ${await versionOf(m, p)}`).toBe(`${m.name} ${p} 1.36`);
      expect(await sh(m, 'systemctl is-active kube-apiserver kube-controller-manager kube-scheduler kubelet')).toBe(
        'active\nactive\nactive\nactive\n',
      );
    }
    expect(await versionOf(worker, 'kubelet')).toBe('1.36');
    expect(await versionOf(worker, 'kube-proxy')).toBe('1.36');
    expect(await sh(worker, 'systemctl is-active kubelet kube-proxy')).toBe('active\nactive\n');
    // The running processes are the new ones: each unit restarted after its binary changed.
    const started = async (h: LabHost, unit: string) =>
      Number((await sh(h, `systemctl show -p ActiveEnterTimestampMonotonic --value ${unit}`)).trim());
    expect(await started(m1, 'kube-apiserver')).toBeLessThan(await started(m2, 'kube-apiserver'));
    expect((await lab.workspace.get('lab')).settings.kubernetesVersion).toBe('1.36');
    expect(await lab.service.deployed('lab')).toMatchObject({ kubernetesVersion: '1.36', release: '1.36 (stand-ins)' });
  });

  it('installs a newer patch release of the same minor version the same rolling way, and then has nothing to change', async () => {
    const request = { kind: 'upgrade' as const, to: '1.36' as const, batch: 1 };
    await expect(ops.plan('lab', request, LAB_WAIVE)).rejects.toMatchObject({
      name: 'NothingToChange',
      message: 'The cluster already runs Kubernetes 1.36 (stand-ins).',
    });
    // A newer patch release arrives as a new bundle (or a newer pin of the official source) with other kube-* programs.
    const bundle = join(lab.dataDir, 'bundle-1.36.1');
    buildLabBundle(bundle, (await ensureImage()).rootfs, '1.36', '1.36.1');
    const c = await lab.workspace.get('lab');
    await putCluster(lab.workspace, { ...c, settings: { ...c.settings, binarySource: { kind: 'offline', folder: bundle } } });

    // The deploy would swap them everywhere at once, and says so; the upgrade rolls them out.
    expect((await lab.service.plan('lab', LAB_WAIVE)).plan.warnings[0]).toBe(
      'The hosts run Kubernetes 1.36 (stand-ins); this deploy replaces it with 1.36.1 (stand-ins) on every host at once, without draining. Operations → Upgrade does it host by host.',
    );
    const planned = await ops.plan('lab', request, LAB_WAIVE);
    expect(planned.plan.warnings[0]).toMatch(/^Kubernetes 1\.36 \(stand-ins\) → 1\.36\.1 \(stand-ins\): masters one at a time/);
    expect(planned.plan.phases.map((p) => [p.id, p.jobs.map((j) => j.hostName)])).toEqual([
      ['control-plane', ['node1', 'node2']],
      ['nodes', ['node3']],
    ]);
    const run = await (await ops.start('lab', request, { planHash: planned.plan.hash })).done;
    expect(run.state, explain(run)).toBe('succeeded');

    const release = async (h: LabHost, program: string) =>
      (await sh(h, `/usr/local/bin/${program} --version`)).match(/Kubernetes (\S+)/)?.[1];
    const [m1, m2, worker] = hosts as [LabHost, LabHost, LabHost];
    for (const [h, programs] of [
      [m1, ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kubelet']],
      [m2, ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kubelet']],
      [worker, ['kubelet', 'kube-proxy']],
    ] as const) {
      for (const p of programs) expect(`${h.name} ${p} ${await release(h, p)}`).toBe(`${h.name} ${p} 1.36.1`);
    }
    expect(await sh(worker, 'systemctl is-active kubelet kube-proxy')).toBe('active\nactive\n');
    expect(await lab.service.deployed('lab')).toMatchObject({ kubernetesVersion: '1.36', release: '1.36.1 (stand-ins)' });
    await expect(ops.plan('lab', request, LAB_WAIVE)).rejects.toMatchObject({ name: 'NothingToChange' });
  });
});
