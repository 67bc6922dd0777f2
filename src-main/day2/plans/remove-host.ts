import { KubesmithError } from '../../../src-shared/errors';
import type { EtcdMemberState } from '../../../src-shared/contract/operations';
import type { Cluster, Host } from '../../../src-shared/model/cluster';
import type { Plan } from '../../../src-shared/model/plan';
import type { PlanInputs } from '../../deploy/context';
import { kubectl } from '../../deploy/phases/addons';
import { etcdPeerUrl } from '../../deploy/phases/etcd';
import { buildPlan } from '../../deploy/plan-builder';
import { sh } from '../../ssh/shell';
import { commandStep } from '../../deploy/steps';
import { drainStep, nodeGone } from './node-steps';
import { after, job, operationPlan, type OperationPhase } from './operation-plan';
import { resetSteps } from './reset';

/** The cluster as it is once the host is out: in the inventory still, with no role. */
export const withoutRoles = (cluster: Cluster, hostId: string): Cluster => ({
  ...cluster,
  hosts: cluster.hosts.map((h) => (h.id === hostId ? { ...h, roles: [] } : h)),
});

export function checkRemovable(cluster: Cluster, hostId: string, members: readonly EtcdMemberState[]): Host {
  const host = cluster.hosts.find((h) => h.id === hostId);
  if (!host) throw new KubesmithError('NoSuchHost', `The cluster has no host ${hostId}.`, 'Reload the inventory and pick again.');
  if (host.roles.length === 0) {
    throw new KubesmithError(
      'HostNotInCluster',
      `${host.name} holds no role in ${cluster.name}.`,
      'To clean what is left on it, use Reset.',
    );
  }
  const masters = cluster.hosts.filter((h) => h.roles.includes('master'));
  if (host.roles.includes('master') && masters.length === 1) {
    throw new KubesmithError(
      'LastMaster',
      `${host.name} is the only master of ${cluster.name}; without it the cluster has no control plane.`,
      'Add another master (and deploy it) before removing this one, or reset the whole cluster; nothing was changed.',
    );
  }
  if (members.some((m) => m.peerUrl === etcdPeerUrl(host))) {
    throw new KubesmithError(
      'StillEtcdMember',
      `${host.name} is an etcd member; removing the host would take a member away without telling etcd.`,
      'Take it off the etcd lane and run "etcd membership" first; nothing was changed.',
    );
  }
  return host;
}

/**
 * Takes a master or node out: cordon and drain (the pods that block it end up in the failure's output), delete the
 * Node, clean the host; when it was a master, every other node's load balancer stops sending to it.
 */
export function removeHostPlan(inputs: PlanInputs, host: Host): Plan {
  const after_ = withoutRoles(inputs.cluster, host.id);
  const remaining = after_.hosts.filter((h) => h.roles.includes('master'));
  const via = remaining[0]!;
  const phases: OperationPhase[] = [];
  const runsKubelet = host.roles.includes('master') || host.roles.includes('node');
  if (runsKubelet) {
    const node = host.name;
    const gone = nodeGone(host);
    phases.push({
      id: 'drain',
      jobs: [
        job('drain', via, [
          commandStep(`drain/${host.id}/cordon`, `Cordon ${host.name} (no new pods)`, { skipIf: gone, run: kubectl(sh`cordon ${node}`) }),
          drainStep(`drain/${host.id}/drain`, host),
          commandStep(`drain/${host.id}/delete`, `Delete the Node ${host.name}`, { skipIf: gone, run: kubectl(sh`delete node ${node}`) }),
        ]),
      ],
    });
  }
  if (host.roles.includes('master')) {
    const deploy = buildPlan({ ...inputs, cluster: after_, allowEvenEtcd: true });
    const lb = deploy.phases.find((p) => p.id === 'load-balancer');
    if (lb) phases.push({ id: 'load-balancer', jobs: lb.jobs.map((j) => ({ ...j, needs: runsKubelet ? [after('drain', [via])] : [] })) });
  }
  phases.push({
    id: 'reset',
    jobs: [
      job(
        'reset',
        host,
        resetSteps(host, (name) => `reset/${host.id}/${name}`),
        runsKubelet ? [after('drain', [via])] : [],
      ),
    ],
  });
  return operationPlan(inputs.cluster, 'remove-host', phases, [
    `When the run succeeds ${host.name} stays in the inventory with no role.`,
    ...(host.roles.includes('master')
      ? ['Deploy again (Resume) afterwards so the remaining control plane drops it from its certificates and flags.']
      : []),
  ]);
}
