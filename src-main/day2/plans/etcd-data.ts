import type { Cluster, Host } from '../../../src-shared/model/cluster';
import type { PlanStep } from '../../../src-shared/model/plan';
import { BIN_DIR, ETCD_BOOTSTRAP_ENV, ETCD_DATA_DIR } from '../../deploy/layout';
import { etcdPeerUrl } from '../../deploy/phases/etcd';
import { sh, type Shell } from '../../ssh/shell';
import { commandStep } from '../../deploy/steps';

/** Where operations keep files on a host for a while (snapshots being taken or restored). */
export const OPS_DIR = '/var/lib/kubesmith';

/**
 * `snapshot restore` with etcdutl when the host has it (etcd 3.5+, where etcdctl's copy is deprecated, gone in 3.6),
 * else etcdctl's.
 */
export function snapshotRestore(
  snapshot: string,
  into: string,
  cluster: Cluster,
  members: readonly Host[],
  host: Host,
  token: string,
): Shell {
  const args = sh`snapshot restore ${snapshot} --name=${host.name} --initial-cluster=${members.map((m) => `${m.name}=${etcdPeerUrl(m)}`).join(',')} --initial-cluster-token=${token} --initial-advertise-peer-urls=${etcdPeerUrl(host)} --data-dir=${into}`;
  return sh`if [ -x ${BIN_DIR}/etcdutl ]; then ${BIN_DIR}/etcdutl ${args}; else ETCDCTL_API=3 ${BIN_DIR}/etcdctl ${args}; fi`;
}

/** Stops a member for good on its host and moves its data aside (kept, never deleted here). */
export function retireMemberStep(id: string, suffix: string): PlanStep {
  return commandStep(id, `Stop etcd for good; keep its data as ${ETCD_DATA_DIR}.${suffix}-<time>`, {
    skipIf: sh`[ ! -d ${ETCD_DATA_DIR}/member ] && ! systemctl is-active --quiet etcd`,
    run: sh`{ systemctl disable --now --quiet etcd 2>/dev/null || systemctl stop etcd; } && if [ -d ${ETCD_DATA_DIR} ]; then mv ${ETCD_DATA_DIR} ${`${ETCD_DATA_DIR}.${suffix}`}-$(date +%Y%m%d%H%M%S); fi && rm -f ${ETCD_BOOTSTRAP_ENV}`,
    unit: 'etcd',
  });
}
