import { KubesmithError } from '../../../src-shared/errors';
import { KUBERNETES_VERSIONS, kubernetesMinor, type Host } from '../../../src-shared/model/cluster';
import type { Plan, PlanStep } from '../../../src-shared/model/plan';
import type { PlanInputs } from '../../deploy/context';
import { kubectl } from '../../deploy/phases/addons';
import { releaseName, releaseParts, samePrograms, type DeployedRecord } from '../../deploy/deployed-record';
import { buildPlan } from '../../deploy/plan-builder';
import { sh } from '../../ssh/shell';
import { commandStep } from '../../deploy/steps';
import { drainStep, nodeGone } from './node-steps';
import { after, job, operationPlan } from './operation-plan';

const KUBE_PROGRAMS = ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kubectl', 'kubelet', 'kube-proxy'];

/** The patch number of a release label such as 1.35.2 or "1.35.2 (bundle)", when it has one. */
const patchOf = (release: string | undefined): number | undefined => (release ? releaseParts(release)?.patch : undefined);

/**
 * Kubernetes' version skew policy for an upgrade: forward only, one minor version at a time (the control plane
 * first, so no kubelet is ever newer than its apiserver), or a newer patch release of the same minor version; the
 * hosts' kube-* programs tell a patch release apart, as an offline bundle's label may not.
 */
export function checkUpgrade(from: DeployedRecord, target: DeployedRecord): 'minor' | 'patch' {
  const to = target.kubernetesVersion;
  const fromName = releaseName(from);
  const toName = releaseName(target);
  if (!(KUBERNETES_VERSIONS as readonly string[]).includes(to)) {
    throw new KubesmithError('UnsupportedVersion', `Kubernetes ${to} is not supported.`, `Pick one of ${KUBERNETES_VERSIONS.join(', ')}.`);
  }
  const downgrade = () =>
    new KubesmithError(
      'DowngradeRefused',
      `The cluster runs ${fromName}; Kubernetes does not support going back to ${toName}.`,
      'Restore an etcd backup taken before the upgrade on a cluster deployed with the old version instead.',
    );
  if (kubernetesMinor(to) < kubernetesMinor(from.kubernetesVersion)) throw downgrade();
  if (kubernetesMinor(to) === kubernetesMinor(from.kubernetesVersion)) {
    if (!from.programs || samePrograms(from, target)) {
      throw new KubesmithError(
        'NothingToChange',
        `The cluster already runs Kubernetes ${fromName}.`,
        'Pick the next minor version, or a binary source with a newer patch release of this one.',
      );
    }
    const [fromPatch, toPatch] = [patchOf(from.release), patchOf(target.release)];
    if (fromPatch !== undefined && toPatch !== undefined && toPatch < fromPatch) throw downgrade();
    return 'patch';
  }
  if (kubernetesMinor(to) - kubernetesMinor(from.kubernetesVersion) > 1) {
    throw new KubesmithError(
      'VersionSkew',
      `From ${from.kubernetesVersion} to ${to} skips a minor version; Kubernetes upgrades one minor version at a time.`,
      `Upgrade to 1.${kubernetesMinor(from.kubernetesVersion) + 1} first, then to ${to}.`,
    );
  }
  return 'minor';
}

/**
 * The upgrade as a rolling plan on the target version's deploy plan: masters one at a time (new binaries, units,
 * restarts, health), then workers in batches, each drained first (from a master) and uncordoned after. The first
 * failure stops its phase with the cluster still serving from the hosts not yet touched.
 */
export function upgradePlan(inputs: PlanInputs, releases: { from: string; to: string }, batch: number): Plan {
  const { cluster } = inputs;
  const deploy = buildPlan({ ...inputs, allowEvenEtcd: true });
  const stepsOf = (phase: string, host: Host): PlanStep[] =>
    deploy.phases.find((p) => p.id === phase)?.jobs.find((j) => j.hostId === host.id)?.steps ?? [];
  const programs = (host: Host) => stepsOf('binaries', host).filter((s) => KUBE_PROGRAMS.some((n) => s.id === `binaries/${host.id}/${n}`));
  // The target release's images from the offline bundle (a new minor may bring a new pause or CoreDNS image), copied
  // and imported by the deploy's own steps before any kube-* program is replaced; each skips when its digest is there.
  const images = (host: Host) => stepsOf('runtime', host).filter((s) => s.id.startsWith(`runtime/${host.id}/image-`));
  const masters = cluster.hosts.filter((h) => h.roles.includes('master'));
  const workers = cluster.hosts.filter((h) => h.roles.includes('node') && !h.roles.includes('master'));
  const via = masters[0]!;
  const onMaster = (s: PlanStep): PlanStep => ({ ...s, runOn: via.id });
  const workerSteps = (h: Host): PlanStep[] => [
    ...images(h),
    onMaster(drainStep(`nodes/${h.id}/drain`, h)),
    ...programs(h),
    ...stepsOf('nodes', h),
    onMaster(commandStep(`nodes/${h.id}/uncordon`, `Uncordon ${h.name}`, { skipIf: nodeGone(h), run: kubectl(sh`uncordon ${h.name}`) })),
  ];
  return operationPlan(
    cluster,
    'upgrade',
    [
      {
        id: 'control-plane',
        batch: 1,
        jobs: masters.map((m) =>
          job('control-plane', m, [...images(m), ...programs(m), ...stepsOf('control-plane', m), ...stepsOf('nodes', m)]),
        ),
      },
      { id: 'nodes', batch, jobs: workers.map((w) => job('nodes', w, workerSteps(w), [after('control-plane', masters)])) },
    ],
    [
      `Kubernetes ${releases.from} → ${releases.to}: masters one at a time, then workers ${batch === 1 ? 'one at a time' : `${batch} at a time`}; the first failure stops the upgrade with the rest of the cluster serving.`,
      'etcd, containerd and add-ons are left as they are.',
      ...(inputs.binaries.images?.length
        ? [
            `The offline bundle's ${inputs.binaries.images.length} images are imported on every host before its kubelet restarts (skipped where the digest is already there).`,
          ]
        : []),
    ],
  );
}
