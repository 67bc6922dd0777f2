import { KubesmithError } from '../../../src-shared/errors';
import type { Cluster, Host } from '../../../src-shared/model/cluster';
import type { EtcdState } from '../../../src-shared/contract/operations';
import type { Plan } from '../../../src-shared/model/plan';
import { etcdClientUrl, etcdctlAt } from '../../deploy/phases/etcd';
import { commandStep } from '../../deploy/steps';
import { sh } from '../../ssh/shell';
import { OPS_DIR } from './etcd-data';
import { job, operationPlan } from './operation-plan';

export const remoteSnapshotPath = (id: string): string => `${OPS_DIR}/backups/${id}.db`;

/** The member a snapshot is taken from: a healthy one, the leader when it is (it has everything committed). */
export function snapshotSource(cluster: Cluster, state: EtcdState): Host {
  const healthy = state.members.filter((m) => m.healthy).sort((a, b) => Number(b.leader ?? false) - Number(a.leader ?? false));
  for (const m of healthy) {
    const host = cluster.hosts.find((h) => etcdClientUrl(h) === m.clientUrl);
    if (host) return host;
  }
  throw new KubesmithError(
    'EtcdUnhealthy',
    'No healthy etcd member of this cluster is in the inventory to take a snapshot from.',
    'Check etcd on the Operations screen (Health); nothing was changed.',
  );
}

export function backupPlan(cluster: Cluster, host: Host, id: string, localPath: string): Plan {
  const path = remoteSnapshotPath(id);
  const steps = [
    commandStep(`backup/${host.id}/snapshot`, `etcd snapshot of ${host.name} to ${path}`, {
      skipIf: sh`[ -s ${path} ]`,
      // One endpoint: a snapshot is taken from one member.
      run: sh`install -d -m 0700 ${OPS_DIR}/backups && ${etcdctlAt([etcdClientUrl(host)], sh`snapshot save ${path}.part`)} && mv ${path}.part ${path} && sha256sum ${path}`,
      unit: 'etcd',
      timeoutMs: 600_000,
    }),
  ];
  return operationPlan(
    cluster,
    'backup',
    [{ id: 'backup', jobs: [job('backup', host, steps)] }],
    [`The snapshot is then copied to ${localPath} on this computer, checked against its SHA-256, and removed from ${host.name}.`],
  );
}
