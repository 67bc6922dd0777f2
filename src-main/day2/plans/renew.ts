import type { Operation, Plan, PlanStep } from '../../../src-shared/model/plan';
import type { PlanInputs } from '../../deploy/context';
import { buildPlan } from '../../deploy/plan-builder';
import { job, operationPlan } from './operation-plan';

/** The deploy phases that hold certificates, kubeconfigs and the units that read them. */
const WITH_CERTIFICATES = ['etcd', 'control-plane', 'nodes'];

/**
 * Installs the certificates of `inputs.pki` one host at a time: each host's certificate files, then the units whose
 * inputs changed restart, then their health checks pass before the next host starts (etcd keeps its quorum, the
 * apiservers behind the load balancers keep serving). The first failure stops it.
 */
export function rollingCertificatePlan(inputs: PlanInputs, operation: Operation, warnings: string[]): Plan {
  const { cluster } = inputs;
  const deploy = buildPlan({ ...inputs, allowEvenEtcd: true });
  const hosts = cluster.hosts.filter((h) => h.roles.length > 0);
  const stepsOf = (hostId: string): PlanStep[] =>
    deploy.phases.filter((p) => WITH_CERTIFICATES.includes(p.id)).flatMap((p) => p.jobs.find((j) => j.hostId === hostId)?.steps ?? []);
  return operationPlan(cluster, operation, [{ id: 'renew', batch: 1, jobs: hosts.map((h) => job('renew', h, stepsOf(h.id))) }], warnings);
}

export function renewPlan(inputs: PlanInputs, renewed: readonly string[]): Plan {
  return rollingCertificatePlan(inputs, 'renew-certificates', [
    `${renewed.length} leaf certificates are issued again under the same CAs (new keys, new serial numbers, a new expiry); the CAs stay.`,
    'Hosts go one at a time; the first failure stops the run with the rest of the cluster on the old certificates, still valid.',
  ]);
}
