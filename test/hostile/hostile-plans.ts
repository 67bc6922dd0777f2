import type { Backup, EtcdMemberState } from '../../src-shared/contract/operations';
import { ClusterSchema, type Cluster, type Host } from '../../src-shared/model/cluster';
import { planSteps, type Plan } from '../../src-shared/model/plan';
import { backupPlan } from '../../src-main/day2/plans/backup';
import { backupSchedulePlan } from '../../src-main/day2/plans/backup-schedule';
import { membershipPlan } from '../../src-main/day2/plans/membership';
import { job, operationPlan } from '../../src-main/day2/plans/operation-plan';
import { removeHostPlan } from '../../src-main/day2/plans/remove-host';
import { resetSteps } from '../../src-main/day2/plans/reset';
import { restorePlan } from '../../src-main/day2/plans/restore';
import { renewPlan } from '../../src-main/day2/plans/renew';
import { caRotationPlan, CA_ROTATION_STAGES, rotationPki } from '../../src-main/day2/plans/rotate-ca';
import { upgradePlan } from '../../src-main/day2/plans/upgrade';
import type { PlanInputs } from '../../src-main/deploy/context';
import { etcdPeerUrl, etcdClientUrl } from '../../src-main/deploy/phases/etcd';
import { buildPlan } from '../../src-main/deploy/plan-builder';
import { fileTemplates } from '../../src-main/deploy/templates';
import { fakeBinaries, fakePki } from '../support/deploy/fixtures';
import { atomicWriteCommand, fileStatesScript } from '../../src-main/deploy/engine/file-step';

/** Every injected payload creates a file named after it under /tmp when a shell ever runs it. */
export const MARKER_PREFIX = '/tmp/ks-injected-';
const payloads = (tag: string): string[] => [
  `$(>${MARKER_PREFIX}${tag}-subst)`,
  `\`>${MARKER_PREFIX}${tag}-backtick\``,
  `;>${MARKER_PREFIX}${tag}-semicolon;`,
  `$(touch ${MARKER_PREFIX}${tag}-touch)`,
  `'"$(>${MARKER_PREFIX}${tag}-quotes)"'`,
];
const hostile = (base: string, tag: string): string => `${base} ${payloads(tag).join(' ')} %i $HOME \\x`;

/**
 * Hostile but valid: every value the model lets through carries shell payloads (host names, users, key paths, the
 * offline bundle folder, the mirror URL), and the ones the validators restrict are as odd as they allow (IPv6
 * addresses, DNS names, a mirror URL with ? and $).
 */
export function hostileCluster(): Cluster {
  const addresses = ['10.231.0.11', 'fd00:231::12', '10.231.0.13', 'fd00:231::14', '10.231.0.15', 'node-6.lab.example', '10.231.0.17'];
  const roles: Array<Array<'etcd' | 'master' | 'node'>> = [
    ['etcd', 'master'],
    ['etcd', 'master'],
    ['etcd', 'master'],
    ['master'],
    ['node'],
    ['node'],
    [],
  ];
  const hosts = addresses.map((address, i) => ({
    id: `h${i + 1}`,
    name: hostile(`n${i + 1}`, `name${i + 1}`),
    address,
    user: hostile('deployer', `user${i + 1}`),
    auth: { kind: 'key', keyPath: `/home/me/.ssh/${hostile('id', `key${i + 1}`)}` },
    roles: roles[i],
  }));
  return ClusterSchema.parse({
    name: 'lab',
    hosts,
    settings: {
      cni: 'flannel',
      clusterDomain: 'k8s-lab.example',
      extraSans: ['*.apps.lab.example', 'fd00:231::100'],
      // The most a mirror may hold since the gate: a port, a path, a percent sign.
      registryMirrors: { 'docker.io': 'https://mirror.lab.example:5000/cache/%41-mirror' },
      binarySource: { kind: 'offline', folder: `/srv/${hostile('bundle', 'bundle')}` },
    },
  });
}

const inputs = (cluster: Cluster): PlanInputs => ({ cluster, pki: fakePki(), binaries: fakeBinaries(), templates: fileTemplates() });
const hostById = (c: Cluster, id: string): Host => c.hosts.find((h) => h.id === id)!;
const member = (h: Host, name = h.name): EtcdMemberState => ({
  id: `m-${h.id}`,
  name,
  peerUrl: etcdPeerUrl(h),
  clientUrl: etcdClientUrl(h),
  started: true,
  healthy: true,
});
const withRoles = (c: Cluster, id: string, roles: Host['roles']): Cluster => ({
  ...c,
  hosts: c.hosts.map((h) => (h.id === id ? { ...h, roles } : h)),
});

/** The deploy plan and every day-2 operation's plan, built from the hostile cluster. */
export function hostilePlans(): Array<{ name: string; plan: Plan }> {
  const c = hostileCluster();
  const members = ['h1', 'h2', 'h3'].map((id) => member(hostById(c, id)));
  const backup: Backup = {
    id: 'lab-20261205-101500',
    cluster: 'lab',
    takenAt: '2026-12-05T10:15:00Z',
    size: 20480,
    sha256: 'a'.repeat(64),
    member: hostById(c, 'h1').name,
    revision: 9,
    path: `/data/${hostile('backups', 'backup-path')}/lab-20261205-101500.db`,
  };
  const etcd = c.hosts.filter((h) => h.roles.includes('etcd'));
  const masters = c.hosts.filter((h) => h.roles.includes('master'));
  const bundled = {
    ...inputs(c),
    binaries: { ...fakeBinaries(), packages: [{ name: 'nginx', localPath: '/srv/x.deb', sha256: 'b', size: 1 }] },
  };
  const spare = hostById(c, 'h7');
  return [
    { name: 'deploy', plan: buildPlan(inputs(c)) },
    { name: 'deploy (offline packages)', plan: buildPlan(bundled) },
    { name: 'backup', plan: backupPlan(c, hostById(c, 'h2'), backup.id, backup.path) },
    { name: 'backup-schedule daily', plan: backupSchedulePlan(c, 'daily', 5) },
    { name: 'backup-schedule off', plan: backupSchedulePlan(c, 'off', 5) },
    { name: 'restore', plan: restorePlan(c, backup, etcd, masters) },
    { name: 'etcd-membership add', plan: membershipPlan(inputs(withRoles(c, 'h5', ['etcd', 'node'])), members).plan },
    { name: 'etcd-membership remove', plan: membershipPlan(inputs(withRoles(c, 'h3', ['master'])), members).plan },
    { name: 'remove-host worker', plan: removeHostPlan(inputs(c), hostById(c, 'h5')) },
    { name: 'remove-host master', plan: removeHostPlan(inputs(c), hostById(c, 'h4')) },
    {
      name: 'reset',
      plan: operationPlan(
        c,
        'reset',
        [
          {
            id: 'reset',
            jobs: [
              job(
                'reset',
                spare,
                resetSteps(spare, (n) => `reset/h7/${n}`),
              ),
            ],
          },
        ],
        [],
      ),
    },
    { name: 'upgrade', plan: upgradePlan(inputs(c), { from: '1.35.0', to: '1.36.0' }, 2) },
    { name: 'renew-certificates', plan: renewPlan(inputs(c), ['apiserver']) },
    ...CA_ROTATION_STAGES.map((stage) => ({
      name: `rotate-ca ${stage}`,
      plan: caRotationPlan({ ...inputs(c), pki: rotationPki(fakePki(), fakePki(), stage) }, stage),
    })),
  ];
}

export interface RenderedCommand {
  where: string;
  command: string;
}

/** Every command the plans and the engine run on a host: run, skipIf, chooseBy, the engine's own file commands. */
export function hostileCommands(): RenderedCommand[] {
  const out: RenderedCommand[] = [];
  for (const { name, plan } of hostilePlans()) {
    for (const s of planSteps(plan)) {
      const a = s.action;
      if (a.kind === 'command') {
        out.push({ where: `${name}: ${s.id} run`, command: a.run });
        if (a.skipIf) out.push({ where: `${name}: ${s.id} skipIf`, command: a.skipIf });
      } else if (a.chooseBy) out.push({ where: `${name}: ${s.id} chooseBy`, command: a.chooseBy });
    }
  }
  const path = `/tmp/ks-hostile-files/${hostile('file', 'path')}`;
  out.push({ where: 'engine: atomic write', command: atomicWriteCommand(path, 'c'.repeat(64), '0644').command });
  out.push({ where: 'engine: file states', command: fileStatesScript([path, '/etc/hosts'], `/tmp/${hostile('sums', 'sums')}`).command });
  return out;
}

/** Text files the plans write (units, env files, scripts, configs), by plan and step. */
export function hostileFiles(): Array<{ where: string; path: string; text: string }> {
  const out: Array<{ where: string; path: string; text: string }> = [];
  for (const { name, plan } of hostilePlans()) {
    for (const s of planSteps(plan)) {
      const a = s.action;
      if (a.kind !== 'file') continue;
      for (const v of a.variants ?? [{ text: a.text, label: '' }]) {
        if (v.text !== undefined) out.push({ where: `${name}: ${s.id} ${v.label}`.trim(), path: a.path, text: v.text });
      }
    }
  }
  return out;
}
