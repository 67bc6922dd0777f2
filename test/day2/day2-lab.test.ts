import { copyFile, readFile, writeFile } from 'node:fs/promises';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OperationRequest } from '../../src-shared/contract/operations';
import type { Cluster } from '../../src-shared/model/cluster';
import type { DeployRun } from '../../src-shared/model/deploy-run';
import { OperationsService } from '../../src-main/day2/service';
import { generateClusterPki } from '../../src-main/pki';
import { plainCipher } from '../../src-main/store/secret-cipher';
import { labDown, labUp, type LabHost } from '../lab/lab';
import { labSsh } from '../lab/ssh';
import { labSkipReason, suiteName } from '../lab/support';
import { prepareLabDeploy, type LabDeploy } from '../deploy/lab-cluster';
import { resetDeployedHosts } from '../deploy/lab-reset';
import { putCluster } from '../support/store/test-clusters';

/** The lab's host machine runs hybrid cgroups; the deploy's cgroup v2 check is waived here, as in test/deploy. */
const LAB_WAIVE = ['cgroup2'] as const;
const ENDPOINTS = (n: number) => Array.from({ length: n }, (_, i) => `https://10.231.0.${11 + i}:2379`).join(',');
const etcdctl = (members = 3) =>
  `ETCDCTL_API=3 /usr/local/bin/etcdctl --endpoints=${ENDPOINTS(members)} --cacert=/etc/kubernetes/pki/etcd/ca.crt --cert=/etc/kubernetes/pki/etcd/healthcheck-client.crt --key=/etc/kubernetes/pki/etcd/healthcheck-client.key`;

async function sh(host: LabHost, command: string): Promise<string> {
  const r = await labSsh(host.address, command);
  if (r.code !== 0) throw new Error(`${host.name}: ${command} → exit ${r.code}: ${r.stderr}${r.stdout}`);
  return r.stdout;
}

function explain(run: DeployRun, lab: LabDeploy): string {
  const bad = run.hosts
    .filter((h) => h.state !== 'succeeded')
    .map((h) => ({ host: h.hostName, state: h.state, cause: h.cause, blockedBy: h.blockedBy }));
  return `${JSON.stringify(bad, null, 1)}\n${lab.logs.slice(-40).join('\n')}`;
}

/**
 * Day-2 operations for real on four lab hosts: node1, node2 etcd + master, node3 etcd + worker (deployed with the
 * kube-* stand-ins), node4 spare. Backup/restore, etcd membership, adding and removing a node, reset, refusals.
 */
describe.skipIf(labSkipReason)(suiteName('day-2 operations on lab hosts'), () => {
  let hosts: LabHost[];
  let lab: LabDeploy;
  let ops: OperationsService;
  let node1: LabHost, node3: LabHost, node4: LabHost;

  const cluster = (): Promise<Cluster> => lab.workspace.get('lab');
  /** A change on the canvas, then the Certificates screen's Generate (new hosts get their certificates). */
  const setRoles = async (name: string, roles: Cluster['hosts'][number]['roles']) => {
    const c = await cluster();
    const saved = await putCluster(lab.workspace, { ...c, hosts: c.hosts.map((h) => (h.name === name ? { ...h, roles } : h)) });
    await generateClusterPki(saved, { pkiDir: lab.workspace.pkiDir('lab'), cipher: plainCipher });
  };
  const run = async (operation: OperationRequest, confirm?: (text: string | undefined) => string | undefined): Promise<DeployRun> => {
    const planned = await ops.plan('lab', operation, LAB_WAIVE);
    const confirmText = confirm ? confirm(planned.confirmText) : planned.confirmText;
    const { done } = await ops.start('lab', operation, {
      planHash: planned.plan.hash,
      ...(confirmText !== undefined ? { confirm: confirmText } : {}),
    });
    const result = await done;
    expect(result.state, explain(result, lab)).toBe('succeeded');
    return result;
  };

  beforeAll(async () => {
    hosts = await labUp(4);
    [node1, , node3, node4] = hosts as [LabHost, LabHost, LabHost, LabHost];
    await resetDeployedHosts(hosts);
    // Roles as in the deploy suite (3 hosts), node4 in the inventory without a role.
    lab = await prepareLabDeploy(hosts, {
      user: (h) => (h.name === 'node4' ? { roles: [] } : { roles: h.name === 'node3' ? ['etcd', 'node'] : ['etcd', 'master'] }),
    });
    ops = new OperationsService({ workspace: lab.workspace, cipher: plainCipher, deploy: lab.service, emit: () => undefined });
    const first = await (await lab.service.start('lab', { mode: 'fresh', stopAfter: 'nodes', waive: LAB_WAIVE })).done;
    expect(first.state, explain(first, lab)).toBe('succeeded');
  });
  afterAll(async () => {
    await labDown();
    if (lab) rmSync(lab.dataDir, { recursive: true, force: true });
  });

  it('health: every unit of every role active, three etcd members healthy with one leader', async () => {
    const health = await ops.health('lab');
    for (const h of health.hosts) {
      expect(h.reachable, h.hostName).toBe(true);
      for (const u of h.units) expect(`${h.hostName} ${u.unit} ${u.state}`).toBe(`${h.hostName} ${u.unit} active`);
    }
    expect(health.hosts.map((h) => h.hostName)).toEqual(['node1', 'node2', 'node3']);
    expect(health.etcd.ok).toBe(true);
    expect(health.etcd.members.map((m) => [m.name, m.healthy])).toEqual(
      expect.arrayContaining([
        ['node1', true],
        ['node2', true],
        ['node3', true],
      ]),
    );
    expect(health.etcd.members.filter((m) => m.leader)).toHaveLength(1);
    expect(health.certificates.length).toBeGreaterThan(20);
    // The stand-in kubectl lists no nodes: the dashboard says so instead of failing.
    expect(health.nodes.ok).toBe(false);
    expect(health.nodes.error).toMatch(/node1/);
  });

  it('backs up etcd to this computer, and a restore brings back exactly that state', async () => {
    await sh(node1, `${etcdctl()} put kubesmith/before-backup yes`);
    await run({ kind: 'backup' });
    const [backup] = await ops.backups('lab');
    expect(backup).toMatchObject({ cluster: 'lab', member: expect.stringMatching(/^node[123]$/) });
    expect(backup!.size).toBeGreaterThan(10_000);
    // The snapshot was copied whole, and left nothing on the host.
    expect((await readFile(backup!.path)).length).toBe(backup!.size);
    expect(await sh(node1, 'ls /var/lib/kubesmith/backups/ 2>/dev/null | wc -l; true')).toBe('0\n');

    await sh(node1, `${etcdctl()} put kubesmith/after-backup yes`);
    const restore: OperationRequest = { kind: 'restore', backupId: backup!.id };
    const planned = await ops.plan('lab', restore);
    expect(planned.confirmText).toBe('lab');
    expect(planned.consequences.join(' ')).toContain(`after ${backup!.takenAt}`);
    // The wrong confirmation changes nothing.
    await expect(ops.start('lab', restore, { planHash: planned.plan.hash, confirm: 'yes' })).rejects.toMatchObject({
      name: 'NotConfirmed',
    });
    expect(await sh(node1, `${etcdctl()} get kubesmith/after-backup --print-value-only`)).toBe('yes\n');

    await run(restore);
    expect(await sh(node1, `${etcdctl()} get kubesmith/after-backup --print-value-only`)).toBe('');
    expect(await sh(node1, `${etcdctl()} get kubesmith/before-backup --print-value-only`)).toBe('yes\n');
    expect(await sh(node1, `${etcdctl()} endpoint health 2>&1`)).toMatch(/is healthy[\s\S]*is healthy[\s\S]*is healthy/);
    expect(await sh(node1, 'systemctl is-active kube-apiserver')).toBe('active\n');
    // The previous data is kept aside on every member.
    for (const h of hosts.slice(0, 3)) expect(await sh(h, `ls -d /var/lib/etcd.before-${backup!.id}`)).toContain('before');
  });

  it('refuses to restore a snapshot of another cluster, and changes nothing', async () => {
    const [backup] = await ops.backups('lab');
    const store = ops.backupStore('lab');
    const foreign = 'lab-20200101-000000';
    await copyFile(backup!.path, store.snapshotPath(foreign));
    const record = JSON.parse(await readFile(join(store.dir, `${backup!.id}.json`), 'utf8')) as Record<string, unknown>;
    await writeFile(join(store.dir, `${foreign}.json`), JSON.stringify({ ...record, cluster: 'prod' }));
    await expect(ops.plan('lab', { kind: 'restore', backupId: foreign })).rejects.toMatchObject({
      name: 'SnapshotOfAnotherCluster',
      message: expect.stringContaining('"prod"'),
    });
    expect(await sh(node1, `${etcdctl()} get kubesmith/before-backup --print-value-only`)).toBe('yes\n');
  });

  it('schedules backups on the etcd hosts: the timer fires a snapshot, old ones are pruned, "off" removes the timer', async () => {
    await run({ kind: 'backup-schedule', schedule: 'daily', keep: 2 });
    for (const h of hosts.slice(0, 3)) expect(await sh(h, 'systemctl is-enabled kubesmith-etcd-backup.timer')).toBe('enabled\n');
    // What the timer starts, started by hand three times: each run a snapshot, the oldest pruned to keep two.
    for (let i = 0; i < 3; i++) {
      await sh(node1, 'systemctl start kubesmith-etcd-backup.service');
      await sh(node1, 'sleep 1.1');
    }
    const files = (await sh(node1, 'ls /var/backups/kubesmith-etcd/')).trim().split('\n');
    expect(files).toHaveLength(2);
    for (const f of files) expect(f).toMatch(/^lab-node1-\d{8}-\d{6}\.db$/);
    expect(Number(await sh(node1, `stat -c %s /var/backups/kubesmith-etcd/${files[0]}`))).toBeGreaterThan(10_000);
    await run({ kind: 'backup-schedule', schedule: 'off', keep: 2 });
    expect((await labSsh(node1.address, 'systemctl is-enabled kubesmith-etcd-backup.timer')).code).not.toBe(0);
    expect((await sh(node1, 'ls /var/backups/kubesmith-etcd/')).trim().split('\n')).toHaveLength(2);
  });

  it('refuses an etcd member that would cost the quorum, then adds it once all members are back', async () => {
    await setRoles('node4', ['etcd']);
    await sh(node3, 'systemctl stop etcd');
    try {
      await expect(ops.plan('lab', { kind: 'etcd-membership' }, LAB_WAIVE)).rejects.toMatchObject({
        name: 'QuorumAtRisk',
        message: expect.stringContaining('only 2 are healthy now (node3 is not)'),
      });
    } finally {
      await sh(node3, 'systemctl start etcd');
    }
    expect((await sh(node1, `${etcdctl()} member list`)).trim().split('\n')).toHaveLength(3);
    await sh(node1, `for i in $(seq 1 30); do ${etcdctl()} endpoint health >/dev/null 2>&1 && exit 0; sleep 1; done; exit 1`);

    await run({ kind: 'etcd-membership' });
    const list = await sh(node1, `${etcdctl(4)} member list`);
    expect(list.match(/started, node\d/g)?.sort()).toEqual(['started, node1', 'started, node2', 'started, node3', 'started, node4']);
    expect(await sh(node4, `${etcdctl(4)} --endpoints=https://10.231.0.14:2379 get kubesmith/before-backup --print-value-only`)).toBe(
      'yes\n',
    );
  });

  it('removes the member again: three left, quorum and data intact, the removed one stopped', async () => {
    await setRoles('node4', []);
    await run({ kind: 'etcd-membership' });
    const list = await sh(node1, `${etcdctl()} member list`);
    expect(list.trim().split('\n')).toHaveLength(3);
    expect(list).not.toContain('node4');
    expect(await sh(node1, `${etcdctl()} get kubesmith/before-backup --print-value-only`)).toBe('yes\n');
    expect((await labSsh(node4.address, 'systemctl is-active etcd')).stdout.trim()).not.toBe('active');
    expect(await sh(node4, 'ls -d /var/lib/etcd.removed-* | wc -l')).toBe('1\n');
    await expect(ops.plan('lab', { kind: 'etcd-membership' })).rejects.toMatchObject({ name: 'NothingToChange' });
  });

  it('adds node4 as a worker with a Resume of the deploy: only its steps run, the others are left alone', async () => {
    const lbBefore = await sh(node1, 'stat -c %Y /etc/kube-lb/nginx.conf');
    await setRoles('node4', ['node']);
    const { done } = await lab.service.start('lab', { mode: 'resume', stopAfter: 'nodes', waive: LAB_WAIVE });
    const result = await done;
    expect(result.state, explain(result, lab)).toBe('succeeded');
    expect(await sh(node4, 'systemctl is-active kubelet kube-proxy kube-lb containerd')).toBe('active\nactive\nactive\nactive\n');
    expect(await sh(node1, 'stat -c %Y /etc/kube-lb/nginx.conf')).toBe(lbBefore);
    expect(result.counts.journaled).toBeGreaterThan(result.counts.changed);
  });

  it('refuses to remove the last master, an etcd member, or to reset a host that still holds roles', async () => {
    await setRoles('node2', ['etcd']);
    try {
      await expect(ops.plan('lab', { kind: 'remove-host', hostId: 'id-node1' })).rejects.toMatchObject({ name: 'LastMaster' });
    } finally {
      await setRoles('node2', ['etcd', 'master']);
    }
    await expect(ops.plan('lab', { kind: 'remove-host', hostId: 'id-node1' })).rejects.toMatchObject({ name: 'StillEtcdMember' });
    await expect(ops.plan('lab', { kind: 'reset', hostIds: ['id-node4'] })).rejects.toMatchObject({ name: 'HostStillInCluster' });
    expect(await sh(node4, 'systemctl is-active kubelet')).toBe('active\n');
  });

  it('removes node4 from the cluster: drained, cleaned of everything Kubesmith put there, no role left', async () => {
    const planned = await ops.plan('lab', { kind: 'remove-host', hostId: 'id-node4' });
    expect(planned.confirmText).toBe('node4');
    expect(planned.plan.phases.map((p) => p.id)).toEqual(['drain', 'reset']);
    await run({ kind: 'remove-host', hostId: 'id-node4' });
    expect((await cluster()).hosts.find((h) => h.name === 'node4')?.roles).toEqual([]);
    // Nothing of ours left: units, binaries, files, processes, the hosts block.
    expect(await sh(node4, 'ls /etc/systemd/system/ | grep -E "^(kube|etcd|containerd)" | wc -l')).toBe('0\n');
    expect(await sh(node4, 'ls /usr/local/bin | grep -E "^(kube|etcd|containerd|ctr|runc)" | wc -l')).toBe('0\n');
    expect(
      await sh(
        node4,
        'ls -d /etc/kubernetes /var/lib/kubelet /var/lib/etcd* /etc/kube-lb /etc/containerd /opt/cni /var/lib/kubesmith 2>/dev/null | wc -l',
      ),
    ).toBe('0\n');
    expect(await sh(node4, 'pgrep -f "^/usr/local/bin/" | wc -l')).toBe('0\n');
    expect(await sh(node4, 'grep -c "BEGIN kubesmith" /etc/hosts; true')).toBe('0\n');
    // A second run finds nothing to do.
    const again = await ops.plan('lab', { kind: 'reset', hostIds: ['id-node4'] });
    const { done } = await ops.start('lab', { kind: 'reset', hostIds: ['id-node4'] }, { planHash: again.plan.hash, confirm: 'node4' });
    const second = await done;
    expect(second.state, explain(second, lab)).toBe('succeeded');
    expect(second.counts.changed).toBe(0);
    // The rest of the cluster still answers through the load balancer.
    expect(await sh(node1, 'kubectl --kubeconfig /etc/kubernetes/admin.conf get --raw /healthz')).toContain('ok');
  });

  it('renews every leaf certificate and installs them one host at a time; the cluster serves with the new ones', async () => {
    const serial = async (h: LabHost, file: string) => (await sh(h, `openssl x509 -noout -serial -in ${file}`)).trim();
    const [, node2] = hosts as [LabHost, LabHost];
    const before = await serial(node1, '/etc/kubernetes/pki/apiserver.crt');
    const planned = await ops.plan('lab', { kind: 'renew-certificates' });
    expect(planned.plan.phases.map((p) => [p.id, p.batch, p.jobs.map((j) => j.hostName)])).toEqual([
      ['renew', 1, ['node1', 'node2', 'node3']],
    ]);
    // Nothing changes before the run: the renewal waits in a copy of pki/.
    expect(await serial(node1, '/etc/kubernetes/pki/apiserver.crt')).toBe(before);
    await run({ kind: 'renew-certificates' });
    const after = await serial(node1, '/etc/kubernetes/pki/apiserver.crt');
    expect(after).not.toBe(before);
    const onDisk = (await readFile(join(lab.workspace.pkiDir('lab'), 'apiserver.crt'), 'utf8')).trim();
    expect(await sh(node1, 'cat /etc/kubernetes/pki/apiserver.crt')).toContain(onDisk.split('\n')[1]);
    for (const h of [node1, node2]) expect(await sh(h, 'systemctl is-active etcd kube-apiserver kubelet')).toBe('active\nactive\nactive\n');
    const startedAt = async (h: LabHost) =>
      Number((await sh(h, 'systemctl show -p ActiveEnterTimestampMonotonic --value kube-apiserver')).trim());
    expect(await startedAt(node1)).toBeLessThan(await startedAt(node2));
    expect(await sh(node1, `${etcdctl()} endpoint health 2>&1`)).toMatch(/is healthy[\s\S]*is healthy[\s\S]*is healthy/);
    expect(await sh(node1, 'kubectl --kubeconfig /etc/kubernetes/admin.conf get --raw /healthz')).toContain('ok');
  });

  it('rotates the CAs in three steps with the cluster serving; old certificates are refused only after the last', async () => {
    const [, node2] = hosts as [LabHost, LabHost];
    const certCount = async (h: LabHost, file: string) => Number((await sh(h, `grep -c 'BEGIN CERTIFICATE' ${file}`)).trim());
    // A client certificate from the old CA, as an admin kubeconfig exported before the rotation holds it.
    await sh(
      node1,
      'sed -n "s/^ *client-certificate-data: //p" /etc/kubernetes/admin.conf | base64 -d > /root/old.crt; sed -n "s/^ *client-key-data: //p" /etc/kubernetes/admin.conf | base64 -d > /root/old.key',
    );
    const viaLbWithOld = `curl -sS --fail --max-time 5 --cacert /etc/kubernetes/pki/ca.crt --cert /root/old.crt --key /root/old.key https://127.0.0.1:6443/healthz`;
    const healthy = async () => {
      expect(await sh(node1, 'kubectl --kubeconfig /etc/kubernetes/admin.conf get --raw /healthz')).toContain('ok');
      expect(await sh(node1, `${etcdctl()} endpoint health 2>&1`)).toMatch(/is healthy[\s\S]*is healthy[\s\S]*is healthy/);
    };
    const oldCa = await readFile(join(lab.workspace.pkiDir('lab'), 'ca.crt'), 'utf8');

    await expect(ops.plan('lab', { kind: 'rotate-ca', stage: 'reissue' })).rejects.toMatchObject({ name: 'CaRotationOrder' });
    await run({ kind: 'rotate-ca', stage: 'trust-both' });
    for (const h of [node1, node2, node3]) expect(await certCount(h, '/etc/kubernetes/pki/ca.crt')).toBe(2);
    expect(await certCount(node1, '/etc/kubernetes/pki/etcd/ca.crt')).toBe(2);
    await healthy();

    await run({ kind: 'rotate-ca', stage: 'reissue' });
    await healthy();
    // Still trusted while both CAs are: the old admin certificate gets through.
    expect(await sh(node1, viaLbWithOld)).toContain('ok');

    const finish = await ops.plan('lab', { kind: 'rotate-ca', stage: 'finish' });
    expect(finish.confirmText).toBe('lab');
    await run({ kind: 'rotate-ca', stage: 'finish' });
    await healthy();
    for (const h of [node1, node2, node3]) expect(await certCount(h, '/etc/kubernetes/pki/ca.crt')).toBe(1);
    const newCa = await readFile(join(lab.workspace.pkiDir('lab'), 'ca.crt'), 'utf8');
    expect(newCa).not.toBe(oldCa);
    expect((await sh(node2, 'cat /etc/kubernetes/pki/ca.crt')).trim()).toBe(newCa.trim());
    // The old CA's certificate is refused now, through the load balancer as directly.
    expect((await labSsh(node1.address, viaLbWithOld)).code).not.toBe(0);
    expect((await labSsh(node1.address, viaLbWithOld.replace('127.0.0.1', '10.231.0.12'))).code).not.toBe(0);
  });
});
