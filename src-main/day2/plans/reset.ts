import { KubesmithError } from '../../../src-shared/errors';
import type { Cluster, Host } from '../../../src-shared/model/cluster';
import type { PlanStep } from '../../../src-shared/model/plan';
import { COMPONENT_FILES } from '../../deploy/binaries/types';
import { BIN_DIR, CNI_CONF_DIR, ETCD_DATA_DIR, K8S_DIR, KUBE_PROXY_DIR, KUBELET_DIR, LB_DIR, UNIT_DIR } from '../../deploy/layout';
import { raw, sh, shJoin } from '../../ssh/shell';
import { commandStep } from '../../deploy/steps';

/** The units Kubesmith installs, in the order they are stopped (the backup timer and consumers first, etcd last). */
export const KUBESMITH_UNITS = [
  'kubesmith-etcd-backup.timer',
  'kubesmith-etcd-backup.service',
  'kubelet.service',
  'kube-proxy.service',
  'kube-scheduler.service',
  'kube-controller-manager.service',
  'kube-apiserver.service',
  'kube-lb.service',
  'containerd.service',
  'etcd.service',
];

const OUR_BINARIES = [...COMPONENT_FILES.etcd, ...COMPONENT_FILES.containerd, ...COMPONENT_FILES.runc, ...COMPONENT_FILES.kubernetes].map(
  (b) => `${BIN_DIR}/${b}`,
);
/** Processes started from our binaries (pods' shims included). */
const OUR_PROCESSES = `^${BIN_DIR}/(${[...COMPONENT_FILES.etcd, ...COMPONENT_FILES.containerd, ...COMPONENT_FILES.kubernetes].join('|')})( |$)`;
/** Everything else the deploy writes (markers and add-on manifests live inside these). */
const OUR_PATHS = [
  K8S_DIR,
  `${ETCD_DATA_DIR}`,
  KUBELET_DIR,
  KUBE_PROXY_DIR,
  '/var/lib/kubesmith',
  '/var/cache/kubesmith',
  LB_DIR,
  '/etc/containerd',
  '/var/lib/containerd',
  '/run/containerd',
  '/opt/cni',
  CNI_CONF_DIR,
  '/var/lib/cni',
  '/run/flannel',
  '/var/log/pods',
  '/var/log/containers',
  '/etc/modules-load.d/kubesmith.conf',
  '/etc/sysctl.d/90-kubesmith.conf',
];
/** Old etcd data kept by a restore or a membership removal (globs, expanded by the host's shell). */
const ETCD_LEFTOVERS = sh`${ETCD_DATA_DIR}.before-* ${ETCD_DATA_DIR}.removed-* ${ETCD_DATA_DIR}.restore-*`;
const LINKS = ['cni0', 'flannel.1', 'flannel-v6.1', 'cilium_host', 'cilium_net', 'cilium_vxlan', 'vxlan.calico', 'tunl0', 'kube-ipvs0'];
const RULES = 'KUBE-|CNI-|FLANNEL|cali-|CILIUM';
const HOSTS_BLOCK = '/^# BEGIN kubesmith$/,/^# END kubesmith$/';
/** Mount points under the folders pods and containers use (an extended regular expression for grep). */
const MOUNTS = ` (${KUBELET_DIR}|/run/containerd|/var/lib/containerd)/`;

const none = (paths: readonly string[]) => sh`for p in ${paths}; do [ -e "$p" ] && exit 1; done; exit 0`;

/** Removes everything the deploy put on a host: units, processes, mounts, binaries, files, network leftovers. */
export function resetSteps(host: Host, stepId: (name: string) => string): PlanStep[] {
  const unitFiles = KUBESMITH_UNITS.map((u) => `${UNIT_DIR}/${u}`);
  return [
    commandStep(stepId('stop-units'), `Stop and disable ${KUBESMITH_UNITS.map((u) => u.replace(/\.service$/, '')).join(', ')}`, {
      skipIf: sh`sh -c ${none(unitFiles).command} && ! systemctl is-active --quiet ${KUBESMITH_UNITS}`,
      run: sh`for u in ${KUBESMITH_UNITS}; do systemctl disable --now --quiet "$u" 2>/dev/null || systemctl stop "$u" 2>/dev/null || true; done`,
      timeoutMs: 180_000,
    }),
    commandStep(stepId('processes'), 'Stop what is left of them (pods included)', {
      skipIf: sh`! pgrep -f ${OUR_PROCESSES} >/dev/null`,
      run: sh`pkill -TERM -f ${OUR_PROCESSES}; for i in 1 2 3 4 5; do pgrep -f ${OUR_PROCESSES} >/dev/null || exit 0; sleep 1; done; pkill -KILL -f ${OUR_PROCESSES}; sleep 1; ! pgrep -af ${OUR_PROCESSES}`,
    }),
    commandStep(stepId('mounts'), 'Unmount pod volumes and container filesystems', {
      skipIf: sh`! grep -qE ${MOUNTS} /proc/mounts`,
      run: sh`grep -E ${MOUNTS} /proc/mounts | cut -d' ' -f2 | sort -r | xargs -r -n1 umount -l`,
    }),
    commandStep(stepId('unit-files'), 'Remove the unit files', {
      skipIf: sh`sh -c ${none(unitFiles).command}`,
      run: sh`rm -f ${unitFiles} && systemctl daemon-reload && systemctl reset-failed 2>/dev/null; true`,
    }),
    commandStep(stepId('binaries'), `Remove the binaries from ${BIN_DIR}`, {
      skipIf: sh`sh -c ${none(OUR_BINARIES).command}`,
      run: sh`rm -f ${OUR_BINARIES}`,
    }),
    commandStep(stepId('files'), 'Remove configuration, certificates, data and logs', {
      skipIf: sh`sh -c ${none(OUR_PATHS).command} && [ -z "$(ls -d ${ETCD_LEFTOVERS} 2>/dev/null)" ]`,
      run: sh`rm -rf ${OUR_PATHS} ${ETCD_LEFTOVERS}`,
    }),
    commandStep(stepId('network'), 'Remove pod network interfaces and the firewall rules of kube-proxy and the CNI', {
      skipIf: sh`! ip -o link show | grep -qE ${`: (${LINKS.map((l) => l.replace('.', '\\.')).join('|')}|cali[0-9a-f]+|veth[0-9a-f]+@)`} && ! nft list tables 2>/dev/null | grep -q kube-proxy && ! { iptables-save 2>/dev/null; ip6tables-save 2>/dev/null; } | grep -qE ${RULES}`,
      run: shJoin(
        [
          sh`for l in ${LINKS} $(ip -o link show | sed -n 's/^[0-9]*: \\(cali[0-9a-f]*\\)[@:].*/\\1/p'); do ip link delete "$l" 2>/dev/null || true; done`,
          raw('for f in ip ip6; do nft delete table $f kube-proxy 2>/dev/null || true; done'),
          sh`for t in iptables ip6tables; do command -v $t-save >/dev/null || continue; $t-save | grep -vE ${RULES} | $t-restore; done`,
        ],
        '; ',
      ),
    }),
    commandStep(stepId('hosts'), 'Remove the cluster block from /etc/hosts', {
      skipIf: raw(`! grep -qx '# BEGIN kubesmith' /etc/hosts`),
      run: sh`t=$(mktemp /etc/.hosts.XXXXXX) && sed ${`${HOSTS_BLOCK}d`} /etc/hosts > "$t" && chmod 644 "$t" && mv "$t" /etc/hosts`,
    }),
  ];
}

/** What a reset leaves alone, said before it runs. */
export const RESET_KEEPS =
  'Packages installed with apt (nginx, nftables, …) stay, as do scheduled etcd snapshots in /var/backups/kubesmith-etcd, swap being off in /etc/fstab and the host name; the applied kernel settings last until the next reboot.';

/**
 * Which hosts may be reset: the whole cluster at once (destroy), or hosts that hold no role any more. A host that
 * is still an etcd member, master or node is taken out first (Remove from cluster / etcd membership), so the rest
 * of the cluster never loses a quorum, its last master or a node's pods without a drain.
 */
export function checkResetTargets(cluster: Cluster, hostIds: readonly string[]): { hosts: Host[]; wholeCluster: boolean } {
  const hosts = hostIds.map((id) => {
    const h = cluster.hosts.find((x) => x.id === id);
    if (!h) throw new KubesmithError('NoSuchHost', `The cluster has no host ${id}.`, 'Reload the inventory and pick again.');
    return h;
  });
  const withRoles = cluster.hosts.filter((h) => h.roles.length > 0);
  const wholeCluster = withRoles.length > 0 && withRoles.every((h) => hostIds.includes(h.id));
  if (!wholeCluster) {
    const busy = hosts.filter((h) => h.roles.length > 0);
    if (busy.length > 0) {
      const first = busy[0]!;
      throw new KubesmithError(
        'HostStillInCluster',
        `${busy.map((h) => h.name).join(', ')} still ${busy.length === 1 ? 'holds' : 'hold'} roles (${first.name}: ${first.roles.join(', ')}); resetting ${busy.length === 1 ? 'it' : 'them'} alone would break the cluster.`,
        'Take the host out first with "Remove from cluster" (and etcd membership for an etcd member), or reset every host of the cluster at once; nothing was changed.',
      );
    }
  }
  return { hosts, wholeCluster };
}
