import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { Backup, EtcdMemberState } from '../../../src-shared/contract/operations';
import { planSteps, type Plan } from '../../../src-shared/model/plan';
import { fileTemplates } from '../../deploy/templates';
import { fakeBinaries, fakePki, labCluster } from '../../../test/support/deploy/fixtures';
import { backupPlan } from './backup';
import { backupSchedulePlan, backupScript } from './backup-schedule';
import { membershipPlan } from './membership';
import { checkRemovable, removeHostPlan } from './remove-host';
import { checkResetTargets, resetSteps } from './reset';
import { restorePlan } from './restore';
import { caRotationPlan, rotationPki } from './rotate-ca';
import { checkUpgrade, upgradePlan } from './upgrade';
import type { LocalImage } from '../../deploy/binaries/types';
import { imagesFor } from '../../deploy/images';
import { RELEASES } from '../../deploy/versions';

const cluster = labCluster(5);
const [n1, n2, n3, n4] = cluster.hosts;
const inputs = (c = cluster) => ({ cluster: c, pki: fakePki(), binaries: fakeBinaries(), templates: fileTemplates() });
const member = (n: number): EtcdMemberState => ({
  id: `m${n}`,
  name: `node${n}`,
  peerUrl: `https://10.231.0.${10 + n}:2380`,
  clientUrl: `https://10.231.0.${10 + n}:2379`,
  started: true,
  healthy: true,
});
const three = [member(1), member(2), member(3)];
const layout = (p: Plan) => p.phases.map((ph) => `${ph.id}: ${ph.jobs.map((j) => j.hostName).join(' ')}`);
const run = (p: Plan, id: string) => {
  const s = planSteps(p).find((x) => x.id === id);
  if (!s || s.action.kind !== 'command') throw new Error(`no command step ${id}`);
  return s.action;
};

describe('day-2 plans', () => {
  it('backup: one snapshot from the chosen member, written under a temporary name first', () => {
    const p = backupPlan(cluster, n2!, 'lab-20261127-031500', '/data/backups/lab-20261127-031500.db');
    expect(p.operation).toBe('backup');
    expect(layout(p)).toEqual(['backup: node2']);
    const a = run(p, 'backup/h2/snapshot');
    expect(a.run).toContain('--endpoints=https://10.231.0.12:2379 ');
    expect(a.run).toMatch(/snapshot save \/var\/lib\/kubesmith\/backups\/lab-20261127-031500\.db\.part && mv/);
    expect(p.warnings[0]).toContain('/data/backups/lab-20261127-031500.db');
  });

  it('restore: apiservers stopped, every member restored into a new cluster, etcd started together, apiservers back', () => {
    const backup: Backup = {
      id: 'lab-20261127-031500',
      cluster: 'lab',
      takenAt: '2026-11-27T03:15:00Z',
      size: 20480,
      sha256: 'a'.repeat(64),
      member: 'node1',
      revision: 9,
      path: '/data/b.db',
    };
    const etcd = [n1!, n2!, n3!];
    const p = restorePlan(cluster, backup, etcd, etcd);
    expect(layout(p)).toEqual([
      'stop-apiservers: node1 node2 node3',
      'restore: node1 node2 node3',
      'start-etcd: node1 node2 node3',
      'start-apiservers: node1 node2 node3',
    ]);
    const upload = planSteps(p).find((s) => s.id === 'restore/h2/upload')!;
    expect(upload.action).toMatchObject({ kind: 'file', mode: '0600', sha256: backup.sha256, localPath: '/data/b.db', secret: true });
    const restore = run(p, 'restore/h2/restore');
    expect(restore.skipIf).toBe('[ -f /var/lib/kubesmith/restored/lab-20261127-031500 ]');
    expect(restore.run).toContain('--name=node2');
    expect(restore.run).toContain(
      '--initial-cluster=node1=https://10.231.0.11:2380,node2=https://10.231.0.12:2380,node3=https://10.231.0.13:2380',
    );
    expect(restore.run).toContain('--initial-cluster-token=kubesmith-lab-20261127-031500');
    expect(restore.run).toMatch(/mv \/var\/lib\/etcd \/var\/lib\/etcd\.before-lab-20261127-031500/);
    // etcdutl where the host has it (etcd 3.5+), etcdctl's copy otherwise.
    expect(restore.run).toMatch(
      /if \[ -x \/usr\/local\/bin\/etcdutl \]; then .*etcdutl snapshot restore.*else ETCDCTL_API=3 .*etcdctl snapshot restore/,
    );
    expect(p.phases[2]!.jobs[0]!.needs).toEqual([{ phase: 'restore', hostIds: ['h1', 'h2', 'h3'], quantity: 'all' }]);
  });

  it('etcd membership: a new member is prepared like a deploy would, joins with member add, then starts', () => {
    const c = { ...cluster, hosts: cluster.hosts.map((h) => (h.id === 'h4' ? { ...h, roles: ['etcd' as const, 'node' as const] } : h)) };
    const { plan, change } = membershipPlan(inputs(c), three);
    expect(change.kind).toBe('add');
    expect(layout(plan)).toEqual(['preflight: node4', 'prepare: node4', 'binaries: node4', 'etcd-member: node4']);
    const join = run(plan, 'etcd-member/h4/member-add');
    expect(join.run).toMatch(/n=\$\(.*endpoint health.*\); if \[ "\$n" -lt 3 \]/);
    expect(join.run).toContain('member add node4 --peer-urls=https://10.231.0.14:2380');
    expect(join.run).toContain('ETCD_INITIAL_CLUSTER_STATE=existing');
    const steps = plan.phases.at(-1)!.jobs[0]!.steps.map((s) => s.id.split('/').slice(-1)[0]);
    expect(steps.slice(-4)).toEqual(['member-add', 'data-dir', 'start', 'healthy']);
    expect(plan.warnings.join(' ')).toContain('even number');
  });

  it('etcd membership: removal runs through a member that stays, then retires the removed one', () => {
    const c = { ...cluster, hosts: cluster.hosts.map((h) => (h.id === 'h3' ? { ...h, roles: ['master' as const] } : h)) };
    const { plan } = membershipPlan(inputs(c), three);
    expect(layout(plan)).toEqual(['etcd-member: node1', 'reset: node3']);
    expect(run(plan, 'etcd-member/h1/member-remove').run).toContain('--endpoints=https://10.231.0.11:2379,https://10.231.0.12:2379 ');
    expect(run(plan, 'reset/h3/retire-etcd').run).toMatch(/mv \/var\/lib\/etcd \/var\/lib\/etcd\.removed-/);
  });

  it('remove host: a worker is drained from a master, then reset; a master also updates every load balancer', () => {
    const worker = removeHostPlan(inputs(), checkRemovable(cluster, 'h5', three));
    expect(layout(worker)).toEqual(['drain: node1', 'reset: node5']);
    expect(run(worker, 'drain/h5/drain').run).toContain('drain node5 --ignore-daemonsets --delete-emptydir-data --timeout=300s');
    expect(run(worker, 'drain/h5/cordon').skipIf).toMatch(/get node node5.*grep -q NotFound/);
    const masterOnly = { ...cluster, hosts: cluster.hosts.map((h) => (h.id === 'h3' ? { ...h, roles: ['master' as const] } : h)) };
    const master = removeHostPlan(inputs(masterOnly), checkRemovable(masterOnly, 'h3', [member(1), member(2)]));
    expect(layout(master)).toEqual(['drain: node1', 'load-balancer: node1 node2 node4 node5', 'reset: node3']);
    const lb = planSteps(master).find((s) => s.id === 'load-balancer/h4/config')!;
    expect(lb.action.kind === 'file' && lb.action.variants?.[0]?.text).not.toContain('10.231.0.13');
  });

  it('refuses to remove the last master, an etcd member, a host without a role', () => {
    const oneMaster = {
      ...cluster,
      hosts: cluster.hosts.map((h) => (h.id === 'h2' || h.id === 'h3' ? { ...h, roles: ['etcd' as const] } : h)),
    };
    expect(() => checkRemovable(oneMaster, 'h1', [])).toThrow(expect.objectContaining({ name: 'LastMaster' }));
    expect(() => checkRemovable(cluster, 'h2', three)).toThrow(expect.objectContaining({ name: 'StillEtcdMember' }));
    const spare = { ...cluster, hosts: cluster.hosts.map((h) => (h.id === 'h5' ? { ...h, roles: [] } : h)) };
    expect(() => checkRemovable(spare, 'h5', three)).toThrow(expect.objectContaining({ name: 'HostNotInCluster' }));
  });

  it('reset: hosts without a role, or the whole cluster; never part of a running cluster', () => {
    expect(() => checkResetTargets(cluster, ['h4'])).toThrow(expect.objectContaining({ name: 'HostStillInCluster' }));
    expect(
      checkResetTargets(
        cluster,
        cluster.hosts.map((h) => h.id),
      ).wholeCluster,
    ).toBe(true);
    const spare = { ...cluster, hosts: cluster.hosts.map((h) => (h.id === 'h5' ? { ...h, roles: [] } : h)) };
    expect(checkResetTargets(spare, ['h5'])).toMatchObject({ wholeCluster: false, hosts: [expect.objectContaining({ name: 'node5' })] });
    expect(() => checkResetTargets(spare, ['nope'])).toThrow(expect.objectContaining({ name: 'NoSuchHost' }));
  });

  it('reset steps are valid sh and each is skipped once its work is done', () => {
    const steps = resetSteps(n4!, (name) => `reset/h4/${name}`);
    expect(steps.map((s) => s.id.split('/')[2])).toEqual([
      'stop-units',
      'processes',
      'mounts',
      'unit-files',
      'binaries',
      'files',
      'network',
      'hosts',
    ]);
    for (const s of steps) {
      if (s.action.kind !== 'command') throw new Error('reset steps are commands');
      expect(s.action.skipIf, s.id).toBeTruthy();
      for (const script of [s.action.run, s.action.skipIf!])
        expect(spawnSync('sh', ['-n', '-c', script]).status, `${s.id}: ${script}`).toBe(0);
    }
  });

  it('upgrade: forward, one minor version at a time, or a newer patch release of the same one', () => {
    const programs = (tag: string) => ({ 'kube-apiserver': `a${tag}`, kubelet: `k${tag}` });
    const at = (kubernetesVersion: string, release?: string, tag = release ?? kubernetesVersion) => ({
      kubernetesVersion,
      ...(release ? { release } : {}),
      programs: programs(tag),
    });
    expect(checkUpgrade(at('1.35', '1.35.0'), at('1.36', '1.36.0'))).toBe('minor');
    expect(() => checkUpgrade(at('1.34'), at('1.36'))).toThrow(
      expect.objectContaining({ name: 'VersionSkew', hint: 'Upgrade to 1.35 first, then to 1.36.' }),
    );
    expect(() => checkUpgrade(at('1.36', '1.36.0'), at('1.35', '1.35.4'))).toThrow(
      expect.objectContaining({
        name: 'DowngradeRefused',
        message: 'The cluster runs 1.36.0; Kubernetes does not support going back to 1.35.4.',
      }),
    );
    expect(() => checkUpgrade(at('1.36', '1.36.0'), at('1.36', '1.36.0'))).toThrow(
      expect.objectContaining({ name: 'NothingToChange', message: 'The cluster already runs Kubernetes 1.36.0.' }),
    );
    // The same minor with other kube-* programs: a patch release, told by the programs even when labels say nothing.
    expect(checkUpgrade(at('1.36', '1.36.0'), at('1.36', '1.36.2'))).toBe('patch');
    expect(checkUpgrade(at('1.36', 'my bundle', 'x'), at('1.36', 'my bundle', 'y'))).toBe('patch');
    expect(() => checkUpgrade(at('1.36', '1.36.2 (bundle)'), at('1.36', '1.36.1 (bundle)'))).toThrow(
      expect.objectContaining({ name: 'DowngradeRefused' }),
    );
    // A record from before programs were kept cannot tell a patch release apart: nothing to change.
    expect(() => checkUpgrade({ kubernetesVersion: '1.36' }, at('1.36', '1.36.2'))).toThrow(
      expect.objectContaining({ name: 'NothingToChange' }),
    );
    expect(() => checkUpgrade(at('1.36'), at('1.38'))).toThrow(expect.objectContaining({ name: 'UnsupportedVersion' }));
    // 1.34, past end of life, is still a source: its clusters move to 1.35, and on to 1.37 one minor at a time.
    expect(checkUpgrade(at('1.34', '1.34.2'), at('1.35', '1.35.4'))).toBe('minor');
    expect(checkUpgrade(at('1.36', '1.36.0'), at('1.37', '1.37.0'))).toBe('minor');
    expect(() => checkUpgrade(at('1.35'), at('1.37'))).toThrow(
      expect.objectContaining({ name: 'VersionSkew', hint: 'Upgrade to 1.36 first, then to 1.37.' }),
    );
  });

  it('upgrade: masters one at a time, then workers in batches, each drained from a master and uncordoned', () => {
    const p = upgradePlan(inputs(), { from: '1.35.0', to: '1.36.0' }, 2);
    expect(p.phases.map((ph) => [ph.id, ph.batch, ph.jobs.map((j) => j.hostName)])).toEqual([
      ['control-plane', 1, ['node1', 'node2', 'node3']],
      ['nodes', 2, ['node4', 'node5']],
    ]);
    const worker = p.phases[1]!.jobs[0]!;
    const ids = worker.steps.map((s) => s.id);
    expect(ids[0]).toBe('nodes/h4/drain');
    expect(ids.at(-1)).toBe('nodes/h4/uncordon');
    expect(worker.steps[0]!.runOn).toBe('h1');
    expect(ids).toEqual(expect.arrayContaining(['binaries/h4/kubelet', 'binaries/h4/kube-proxy', 'nodes/h4/kubelet-start']));
    expect(ids).not.toContain('binaries/h4/containerd');
    const master = p.phases[0]!.jobs[0]!.steps.map((s) => s.id);
    expect(master).toEqual(
      expect.arrayContaining(['binaries/h1/kube-apiserver', 'control-plane/h1/apiserver-start', 'nodes/h1/kubelet-start']),
    );
    expect(master.some((id) => id.startsWith('etcd/'))).toBe(false);
    expect(p.warnings[0]).toMatch(/^Kubernetes 1\.35\.0 → 1\.36\.0: masters one at a time, then workers 2 at a time/);
  });

  it('upgrade with an offline bundle: every host copies and imports its images, by digest, before its programs change', () => {
    const release = RELEASES[cluster.settings.kubernetesVersion]!;
    const images: LocalImage[] = imagesFor(release, { cni: [cluster.settings.cni], addons: cluster.settings.addons }).map((w, i) => ({
      role: w.role,
      ref: w.ref,
      digest: `sha256:${String(i).repeat(64)}`,
      localPath: `/bundle/images/${w.role}.tar`,
      sha256: String(i).repeat(64),
      size: 1000 + i,
    }));
    const p = upgradePlan({ ...inputs(), binaries: { ...fakeBinaries(), images } }, { from: '1.35.0', to: '1.36.0' }, 1);
    for (const j of p.phases.flatMap((ph) => ph.jobs)) {
      const ids = j.steps.map((s) => s.id);
      const imported = j.steps.filter((s) => /^runtime\/[^/]+\/image-[A-Za-z]+$/.test(s.id));
      expect(
        imported.map((s) => s.title.match(/sha256:\d+/)![0]),
        j.hostName,
      ).toEqual(images.map((i) => i.digest.slice(0, 19)));
      for (const [n, s] of imported.entries()) {
        expect(s.action.kind === 'command' && s.action.skipIf).toContain(`grep -qF ${images[n]!.digest}`);
        expect(ids.indexOf(s.id)).toBeLessThan(ids.indexOf(`binaries/${j.hostId}/kubelet`));
        expect(ids.indexOf(`${s.id}-file`)).toBe(ids.indexOf(s.id) - 1);
      }
      if (j.phase === 'nodes')
        expect(ids.indexOf(`runtime/${j.hostId}/image-pauseImage`)).toBeLessThan(ids.indexOf(`nodes/${j.hostId}/drain`));
    }
    expect(p.warnings.at(-1)).toContain(`${images.length} images are imported on every host before its kubelet restarts`);
    // Without images in the binary source the upgrade imports nothing.
    expect(planSteps(upgradePlan(inputs(), { from: '1.35.0', to: '1.36.0' }, 1)).some((s) => s.id.includes('/image-'))).toBe(false);
  });

  it('scheduled backups: a timer and a snapshot script on every etcd host; "off" removes them', () => {
    const p = backupSchedulePlan(cluster, 'daily', 5);
    expect(layout(p)).toEqual(['backup: node1 node2 node3']);
    const files = planSteps(p).filter((s) => s.hostId === 'h2' && s.action.kind === 'file');
    const text = (suffix: string) => {
      const f = files.find((s) => s.id.endsWith(suffix))!;
      return f.action.kind === 'file' ? f.action.text! : '';
    };
    expect(text('schedule-timer')).toContain('OnCalendar=daily');
    expect(text('schedule-service')).toMatch(/Type=oneshot[\s\S]*ExecStart=\/etc\/kubernetes\/etcd-backup\.sh[\s\S]*Restart=no/);
    const script = backupScript(cluster, n2!, 5);
    expect(spawnSync('sh', ['-n', '-c', script]).status).toBe(0);
    expect(script).toContain('--endpoints=https://10.231.0.12:2379 ');
    expect(script).toContain('tail -n +6');
    expect(planSteps(p).find((s) => s.id === 'backup/h2/schedule-enable')!.action).toMatchObject({
      kind: 'command',
      unit: 'kubesmith-etcd-backup.timer',
    });
    expect(planSteps(backupSchedulePlan(cluster, 'off', 5)).map((s) => s.id)).toEqual([
      'backup/h1/schedule-remove',
      'backup/h2/schedule-remove',
      'backup/h3/schedule-remove',
    ]);
  });

  it('CA rotation: both CAs trusted until the last step, leaves from the new PKI from the second, the SA key never changes', () => {
    const current = fakePki();
    const next = {
      ...fakePki(),
      ca: { kubernetes: 'NEW-CA\n', etcd: 'NEW-ETCD-CA\n', frontProxy: 'NEW-FP-CA\n' },
      admin: { cert: 'NEW-ADMIN', key: 'K' },
    };
    next.serviceAccount = { key: 'OTHER-SA', pub: 'OTHER-SA-PUB' };
    const trust = rotationPki(current, next, 'trust-both');
    expect(trust.ca.kubernetes).toBe(`${current.ca.kubernetes.trim()}\nNEW-CA\n`);
    expect(trust.admin).toBe(current.admin);
    const reissue = rotationPki(current, next, 'reissue');
    // The signing CA first: the new one now, as the new CA key is the one controller-manager signs with.
    expect(reissue.ca.etcd).toBe(`NEW-ETCD-CA\n${current.ca.etcd.trim()}\n`);
    expect(reissue.kubernetesCaKey).toBe(next.kubernetesCaKey);
    expect(reissue.admin.cert).toBe('NEW-ADMIN');
    const finish = rotationPki(current, next, 'finish');
    expect(finish.ca.kubernetes).toBe('NEW-CA\n');
    for (const p of [trust, reissue, finish]) expect(p.serviceAccount).toBe(current.serviceAccount);

    const plan = caRotationPlan(inputs(cluster), 'trust-both');
    expect(plan.operation).toBe('rotate-ca');
    expect(plan.phases.map((ph) => [ph.id, ph.batch])).toEqual([['renew', 1]]);
    expect(plan.warnings[0]).toMatch(/^Step 1 of 3/);
  });
});
