import type { DeployPhaseId, Plan } from '../../../src-shared/model/plan';
import type { PlanContext } from '../context';

/**
 * What each deploy phase waits for on other hosts, in one place. Every job already waits for its own host's earlier
 * jobs (plan order) and for its `needs` (declared by the phase's builder); this adds the phases whose jobs on every
 * host must have settled first. A phase missing here would be a barrier, and a barrier leaves hosts idle while
 * slower hosts finish work that the waiting host does not use.
 */
export const DEPLOY_PHASE_AFTER: Record<DeployPhaseId, DeployPhaseId[]> = {
  preflight: [],
  // The identity check compares every host's machine id and MACs before anything is installed anywhere.
  prepare: ['preflight'],
  binaries: ['preflight'],
  // Members start together (ALL_AT_ONCE_PHASES) once every member has its binaries; other hosts' binaries don't matter.
  etcd: ['preflight'],
  // containerd and the local load balancer need nothing of other hosts: a worker does not wait for etcd.
  runtime: ['preflight'],
  'load-balancer': ['preflight'],
  // Plus its needs: a majority of etcd members.
  'control-plane': ['preflight'],
  // Plus its needs: one control plane answering (the kubelet reaches it through the local load balancer).
  nodes: ['preflight'],
  // Applied to the whole cluster: every kubelet host has settled, so the rollouts see every node.
  addons: ['nodes'],
  // Counts every node.
  verify: ['nodes', 'addons'],
};

/**
 * The deploy's phases with their order: each phase's `after`, and the critical path first where hosts share this
 * computer's uplink. Everyone waits for the etcd members and the masters (control-plane needs etcd, every kubelet
 * needs a control plane), while a worker only waits after its own load balancer. So a worker's binaries go after
 * theirs: the binaries that gate the cluster are not slowed by uploads that nothing waits for yet, and the workers'
 * uploads run while the etcd members and masters start their services.
 */
export function orderDeployPhases(ctx: PlanContext, phases: Plan['phases']): Plan['phases'] {
  const gating = [...new Set([...ctx.etcdHosts, ...ctx.masters].map((h) => h.id))];
  return phases.map((p) => {
    const id = p.id as DeployPhaseId;
    const jobs =
      id === 'binaries' ? p.jobs.map((j) => (gating.includes(j.hostId) ? j : { ...j, after: [{ phase: id, hostIds: gating }] })) : p.jobs;
    return { ...p, jobs, after: DEPLOY_PHASE_AFTER[id] };
  });
}
