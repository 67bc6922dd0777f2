import type { Backup } from '../../../src-shared/contract/operations';
import type { Cluster, Host } from '../../../src-shared/model/cluster';
import type { Plan, PlanStep } from '../../../src-shared/model/plan';
import { hashOf } from '../../deploy/hash';
import { ETCD_DATA_DIR } from '../../deploy/layout';
import { etcdctlOn } from '../../deploy/phases/etcd';
import { commandStep } from '../../deploy/steps';
import { raw, sh, shJoin } from '../../ssh/shell';
import { OPS_DIR, snapshotRestore } from './etcd-data';
import { after, job, operationPlan } from './operation-plan';
import { quorumOf } from '../quorum';

/**
 * Restores every etcd member from one snapshot: apiservers stopped first (nothing writes meanwhile), every member
 * stopped and restored into a new cluster (its own token, so no member of the old one can rejoin), started
 * together, then the apiservers again. Each member's previous data stays on the host, moved aside.
 */
export function restorePlan(cluster: Cluster, backup: Backup, etcdHosts: readonly Host[], masters: readonly Host[]): Plan {
  const remote = `${OPS_DIR}/restore/${backup.id}.db`;
  const marker = `${OPS_DIR}/restored/${backup.id}`;
  const token = `kubesmith-${cluster.name}-${backup.id.slice(cluster.name.length + 1)}`;
  const restoring = `${ETCD_DATA_DIR}.restore-${backup.id}`;
  const upload = (host: Host): PlanStep => {
    const action = {
      kind: 'file' as const,
      path: remote,
      mode: '0600',
      sha256: backup.sha256,
      size: backup.size,
      secret: true,
      localPath: backup.path,
    };
    return { id: `restore/${host.id}/upload`, title: `Snapshot ${backup.id} to ${host.name}`, action, hash: hashOf(action) };
  };
  const restoreSteps = (host: Host): PlanStep[] => [
    upload(host),
    commandStep(`restore/${host.id}/stop-etcd`, 'Stop etcd', {
      skipIf: sh`[ -f ${marker} ] || ! systemctl is-active --quiet etcd`,
      run: raw('systemctl stop etcd'),
      unit: 'etcd',
    }),
    commandStep(
      `restore/${host.id}/restore`,
      `Restore ${host.name}'s data from the snapshot (previous data kept as ${ETCD_DATA_DIR}.before-${backup.id})`,
      {
        skipIf: sh`[ -f ${marker} ]`,
        run: shJoin(
          [
            sh`rm -rf ${restoring}`,
            snapshotRestore(remote, restoring, cluster, etcdHosts, host, token),
            sh`{ [ ! -e ${ETCD_DATA_DIR} ] || mv ${ETCD_DATA_DIR} ${`${ETCD_DATA_DIR}.before-${backup.id}`}; }`,
            sh`mv ${restoring} ${ETCD_DATA_DIR}`,
            sh`chmod 0700 ${ETCD_DATA_DIR}`,
            sh`install -d -m 0700 ${OPS_DIR}/restored`,
            sh`touch ${marker}`,
            sh`rm -f ${remote}`,
          ],
          ' && ',
        ),
        timeoutMs: 600_000,
      },
    ),
  ];
  const startEtcd = (host: Host): PlanStep[] => [
    commandStep(`start-etcd/${host.id}/start`, 'Start etcd', {
      skipIf: raw('systemctl is-active --quiet etcd'),
      // --no-block: a member's start waits for its peers, which start at the same time.
      run: raw('systemctl start --no-block etcd'),
      unit: 'etcd',
    }),
    commandStep(
      `start-etcd/${host.id}/healthy`,
      `etcd quorum: at least ${quorumOf(etcdHosts.length)} of ${etcdHosts.length} members healthy`,
      {
        run: sh`out=$(${etcdctlOn(etcdHosts, sh`endpoint health`)} 2>&1); echo "$out"; [ "$(echo "$out" | grep -c 'is healthy')" -ge ${quorumOf(etcdHosts.length)} ]`,
        retry: { attempts: 45, intervalMs: 2000 },
        unit: 'etcd',
        timeoutMs: 20_000,
      },
    ),
  ];
  const apiserver = (phase: 'stop-apiservers' | 'start-apiservers', host: Host): PlanStep =>
    phase === 'stop-apiservers'
      ? commandStep(`stop-apiservers/${host.id}/stop`, 'Stop kube-apiserver (nothing writes to etcd meanwhile)', {
          skipIf: raw('! systemctl is-active --quiet kube-apiserver'),
          run: raw('systemctl stop kube-apiserver'),
          unit: 'kube-apiserver',
        })
      : commandStep(`start-apiservers/${host.id}/start`, 'Start kube-apiserver', {
          skipIf: raw('systemctl is-active --quiet kube-apiserver'),
          run: raw('systemctl start kube-apiserver'),
          unit: 'kube-apiserver',
        });
  return operationPlan(
    cluster,
    'restore',
    [
      { id: 'stop-apiservers', jobs: masters.map((h) => job('stop-apiservers', h, [apiserver('stop-apiservers', h)])) },
      { id: 'restore', jobs: etcdHosts.map((h) => job('restore', h, restoreSteps(h), [after('stop-apiservers', masters)])) },
      { id: 'start-etcd', jobs: etcdHosts.map((h) => job('start-etcd', h, startEtcd(h), [after('restore', etcdHosts)])) },
      {
        id: 'start-apiservers',
        jobs: masters.map((h) =>
          job(
            'start-apiservers',
            h,
            [apiserver('start-apiservers', h)],
            [{ phase: 'start-etcd', hostIds: etcdHosts.map((e) => e.id), quantity: 'majority' }],
          ),
        ),
      },
    ],
    [],
  );
}

export function restoreConsequences(backup: Backup, cluster: Cluster): string[] {
  return [
    `Everything written to ${cluster.name} after ${backup.takenAt} (when the snapshot was taken) is lost: objects created, changed or deleted since then.`,
    'The apiservers are stopped while etcd is restored: the cluster does not answer until the restore finishes.',
    `Each member's current data is kept on its host as ${ETCD_DATA_DIR}.before-${backup.id}.`,
  ];
}
