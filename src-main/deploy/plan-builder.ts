import type { DeployPhaseId, Plan, PlanJob } from '../../src-shared/model/plan';
import { PHASES } from '../../src-shared/model/plan';
import { planContext, type PlanContext, type PlanInputs } from './context';
import { hashOf } from './hash';
import { localWork } from './timings/tally';
import { addonJobs, chosenAddons, verifyJobs } from './phases/addons';
import { binaryJobs } from './phases/binaries';
import { controlPlaneJobs } from './phases/control-plane';
import { etcdJobs } from './phases/etcd';
import { loadBalancerJobs } from './phases/load-balancer';
import { nodeJobs } from './phases/nodes';
import { orderDeployPhases } from './phases/order';
import { prepareJobs } from './phases/prepare';
import { preflightJobs } from './phases/preflight';
import { runtimeJobs } from './phases/runtime';
import { hostDownloads, transferPlan } from './relay/transfer-plan';

const BUILDERS: Record<DeployPhaseId, (ctx: PlanContext) => PlanJob[]> = {
  preflight: preflightJobs,
  prepare: prepareJobs,
  binaries: binaryJobs,
  etcd: etcdJobs,
  runtime: runtimeJobs,
  'load-balancer': loadBalancerJobs,
  'control-plane': controlPlaneJobs,
  nodes: nodeJobs,
  addons: addonJobs,
  verify: verifyJobs,
};

/** The whole deploy, step by step, from the cluster and what is on this computer. Pure: it touches no host (its time counts as local work of a measured run). */
export function buildPlan(inputs: PlanInputs): Plan {
  return localWork(() => renderPlan(inputs));
}

function renderPlan(inputs: PlanInputs): Plan {
  const ctx = planContext(inputs);
  const phases = orderDeployPhases(
    ctx,
    PHASES.map((id) => ({ id, jobs: BUILDERS[id](ctx).filter((j) => j.steps.length > 0) })),
  );
  const ids = new Set<string>();
  for (const p of phases) {
    for (const j of p.jobs) {
      for (const s of j.steps) {
        if (ids.has(s.id)) throw new Error(`plan: duplicate step id ${s.id}`);
        ids.add(s.id);
      }
    }
  }
  // nginx (the relay's server) is installed by the prepare phase on every kubelet host.
  const downloads = hostDownloads(ctx.cluster, inputs.binaries);
  const transfer = transferPlan(
    { phases },
    ctx.hosts,
    ctx.kubeletHosts.map((h) => h.id),
    inputs.transfer ?? 'relay',
    downloads,
  );
  const hash = hashOf(phases.map((p) => p.jobs.map((j) => [j.hostId, j.needs, j.steps.map((s) => [s.id, s.hash])])));
  return {
    cluster: ctx.cluster.name,
    operation: 'deploy',
    // As the binaries' source names their release (an offline bundle's label), else Kubesmith's pin.
    kubernetesVersion: inputs.binaries.versions.kubernetes ?? ctx.release.kubernetes,
    createdAt: (inputs.now ?? new Date()).toISOString(),
    hash,
    phases,
    warnings: [
      ...(inputs.waive ?? []).map((c) => `The preflight check "${c}" is waived for this run: hosts are not checked for it.`),
      ...chosenAddons(ctx).warnings,
    ],
    ...(transfer ? { transfer } : {}),
  };
}
