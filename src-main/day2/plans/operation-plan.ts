import type { Cluster, Host } from '../../../src-shared/model/cluster';
import type { Need, Operation, PhaseId, Plan, PlanJob, PlanStep } from '../../../src-shared/model/plan';
import { hashOf } from '../../deploy/hash';
import { checkPlanValues } from '../../deploy/plan-values';
import { RELEASES } from '../../deploy/versions';

export interface OperationPhase {
  id: PhaseId;
  jobs: PlanJob[];
  batch?: number;
}

export function job(phase: PhaseId, host: Host, steps: PlanStep[], needs: Need[] = []): PlanJob {
  return { phase, hostId: host.id, hostName: host.name, steps, needs };
}

/** An operation's plan, in the deploy's shape: the same view shows it and the same engine runs it. */
export function operationPlan(
  cluster: Cluster,
  operation: Operation,
  phases: OperationPhase[],
  warnings: string[],
  now = new Date(),
): Plan {
  checkPlanValues(cluster);
  const kept = phases.map((p) => ({ ...p, jobs: p.jobs.filter((j) => j.steps.length > 0) })).filter((p) => p.jobs.length > 0);
  const version = cluster.settings.kubernetesVersion;
  return {
    cluster: cluster.name,
    operation,
    kubernetesVersion: RELEASES[version]?.kubernetes ?? version,
    createdAt: now.toISOString(),
    hash: hashOf([
      operation,
      kept.map((p) => [p.id, p.batch, p.jobs.map((j) => [j.hostId, j.needs, j.steps.map((s) => [s.id, s.hash, s.runOn])])]),
    ]),
    phases: kept,
    warnings,
  };
}

/** Every host of these jobs must have finished the phase. */
export const after = (phase: PhaseId, hosts: readonly Host[]): Need => ({ phase, hostIds: hosts.map((h) => h.id), quantity: 'all' });
