import type { Host } from '../../../src-shared/model/cluster';
import type { PlanJob, PlanStep } from '../../../src-shared/model/plan';
import type { PlanContext } from '../context';
import {
  APISERVER_PORT,
  CONTROLLER_MANAGER_PORT,
  ETCD_CLIENT_PORT,
  ETCD_METRICS_PORT,
  ETCD_PEER_PORT,
  KUBELET_PORT,
  KUBE_PROXY_HEALTH_PORT,
  SCHEDULER_PORT,
} from '../layout';
import { commandStep } from '../steps';
import { raw, sh, shJoin, type Shell } from '../../ssh/shell';

/** Ubuntu LTS releases (26.04 "Resolute Raccoon", April 2026, included) and Debian stable releases, as /etc/os-release names them. */
export const SUPPORTED_OS = ['ubuntu:22.04', 'ubuntu:24.04', 'ubuntu:26.04', 'debian:12', 'debian:13'];

/** The OS check as a shell command: reads `osRelease` (the host's /etc/os-release), prints its name or refuses it. */
export function osCheckCommand(osRelease = '/etc/os-release'): Shell {
  // Each pattern of the case statement quoted as a word, joined by its "|".
  return sh`. ${osRelease}; case "$ID:$VERSION_ID" in ${shJoin(
    SUPPORTED_OS.map((os) => sh`${os}`),
    '|',
  )}) echo "$PRETTY_NAME";; *) echo "$PRETTY_NAME is not supported (need Ubuntu 22.04/24.04/26.04 or Debian 12/13)" >&2; exit 1;; esac`;
}

/** Ports each role listens on, with the process names that may already hold them (our own, on a re-run). */
export function portsFor(ctx: PlanContext, host: Host): Array<{ port: number; owners: string[] }> {
  const ports: Array<{ port: number; owners: string[] }> = [];
  if (ctx.etcdHosts.includes(host))
    ports.push(
      { port: ETCD_CLIENT_PORT, owners: ['etcd'] },
      { port: ETCD_PEER_PORT, owners: ['etcd'] },
      { port: ETCD_METRICS_PORT, owners: ['etcd'] },
    );
  if (ctx.masters.includes(host)) {
    ports.push(
      { port: CONTROLLER_MANAGER_PORT, owners: ['kube-controller', 'openssl'] },
      { port: SCHEDULER_PORT, owners: ['kube-scheduler', 'openssl'] },
    );
  }
  if (ctx.kubeletHosts.includes(host)) {
    // 6443 is held by the apiserver (host address) and the load balancer (127.0.0.1) on a re-run.
    ports.push({ port: APISERVER_PORT, owners: ['kube-apiserver', 'nginx', 'openssl'] });
    ports.push({ port: KUBELET_PORT, owners: ['kubelet', 'openssl'] }, { port: KUBE_PROXY_HEALTH_PORT, owners: ['kube-proxy'] });
  }
  return ports;
}

/**
 * The ports check: every listening socket is listed once (`ss -p` reads every process's file descriptors, so one
 * listing per port made this the slowest check of a re-run on a busy host), then the shell walks the listing line
 * by line (no awk, grep or subshell per port: a process costs a small host a few ms of CPU on every run). Each socket
 * on a checked port held by anything but that port's owners fails, naming the port and the holder. `listing` is for
 * tests.
 */
export function portsCheckCommand(ports: Array<{ port: number; owners: string[] }>, listing: Shell = raw('ss -Hltnp')): Shell {
  // The owners' names as ss prints them in the process column: users:(("nginx",pid=…)).
  const heldByOwner = (owners: string[]) =>
    shJoin(
      owners.map((o) => sh`*${`"${o}"`}*`),
      '|',
    );
  const cases = ports.map(
    ({ port, owners }) =>
      sh`${port}) case $l in ${owners.length > 0 ? sh`${heldByOwner(owners)}) ;; ` : raw('')}*) echo "port ${port} is in use: $l" >&2; bad=1;; esac;;`,
  );
  return shJoin(
    [
      sh`all=$(${listing}) || exit 2`,
      raw("bad=0; nl='\n'; set -f"),
      // The local address is the 4th column (127.0.0.1:6443, [::]:6443, *:6443): its part after the last colon.
      raw('while [ -n "$all" ]; do l=${all%%"$nl"*}; if [ "$l" = "$all" ]; then all=; else all=${all#*"$nl"}; fi; set -- $l; p=${4##*:}'),
      sh`case $p in ${shJoin(cases, ' ')} esac`,
      raw('done'),
      raw('exit $bad'),
    ],
    '; ',
  );
}

function minimums(ctx: PlanContext, host: Host): { cpus: number; memMb: number; diskGb: number } {
  if (ctx.masters.includes(host)) return { cpus: 2, memMb: 1700, diskGb: 10 };
  if (ctx.etcdHosts.includes(host)) return { cpus: 1, memMb: 900, diskGb: 10 };
  return { cpus: 1, memMb: 900, diskGb: 10 };
}

export function preflightSteps(ctx: PlanContext, host: Host): PlanStep[] {
  const id = (name: string) => ctx.stepId('preflight', host, name);
  const min = minimums(ctx, host);
  const ports = portsFor(ctx, host);
  return [
    commandStep(id('reach'), 'Log in and become root', {
      check: true,
      run: raw('[ "$(id -u)" = 0 ] || { echo "not root after sudo" >&2; exit 1; }'),
    }),
    commandStep(id('os'), 'Supported OS', {
      check: true,
      run: osCheckCommand(),
    }),
    commandStep(id('arch'), 'Supported CPU architecture', {
      check: true,
      run: raw(
        'm=$(uname -m); case "$m" in x86_64|aarch64) echo "$m";; *) echo "CPU architecture $m is not supported (need x86_64 or aarch64)" >&2; exit 1;; esac',
      ),
    }),
    commandStep(id('resources'), `At least ${min.cpus} CPU, ${min.memMb} MiB memory, ${min.diskGb} GiB free disk`, {
      check: true,
      run: shJoin(
        [
          // MemTotal is the first line of /proc/meminfo (proc(5)), read by the shell; df prints only the free GiB, the
          // second of its two words. Two processes (nproc, df) where there were five.
          raw(
            'bad=0; c=$(nproc); m=; read -r _ m _ < /proc/meminfo; m=$((m / 1024)); set -f; set -- $(df --output=avail -B1G /var/lib); d=$2',
          ),
          sh`[ "$c" -ge ${min.cpus} ] || { echo "$c CPU, need ${min.cpus}" >&2; bad=1; }`,
          sh`[ "$m" -ge ${min.memMb} ] || { echo "$m MiB memory, need ${min.memMb}" >&2; bad=1; }`,
          sh`[ "$d" -ge ${min.diskGb} ] || { echo "$d GiB free in /var/lib, need ${min.diskGb}" >&2; bad=1; }`,
          raw('echo "$c CPU, $m MiB, $d GiB free"; exit $bad'),
        ],
        '; ',
      ),
    }),
    commandStep(id('cgroup2'), 'cgroup v2', {
      check: true,
      run: raw(
        'test -f /sys/fs/cgroup/cgroup.controllers || { echo "cgroup v1 in use; Kubernetes 1.34+ needs cgroup v2 (systemd.unified_cgroup_hierarchy=1)" >&2; exit 1; }',
      ),
    }),
    commandStep(id('ports'), `Ports free: ${ports.map((p) => p.port).join(', ')}`, {
      check: true,
      run: portsCheckCommand(ports),
    }),
    commandStep(id('clock'), 'Clock within 30 s of this computer', { check: true, run: raw('date -u +%s'), clockSkewMaxSeconds: 30 }),
    commandStep(id('identity'), 'Unique machine id and MAC addresses', {
      check: true,
      // Read by the shell (no cat, grep or sort): the engine compares the lines as a set, so their order does not matter.
      // Only the names are printed (an unreadable file says nothing), since the job's probe answers with both streams.
      run: raw(
        '{ read -r ks_l < /etc/machine-id && echo "$ks_l"; for ks_f in /sys/class/net/*/address; do ks_l=; read -r ks_l < "$ks_f"; case $ks_l in ""|00:00:00:00:00:00) ;; *) echo "$ks_l";; esac; done; } 2>/dev/null',
      ),
      uniqueAcrossHosts: true,
    }),
  ];
}

export function preflightJobs(ctx: PlanContext): PlanJob[] {
  const waived = new Set<string>(ctx.waive ?? []);
  return ctx.hosts.map((host) => ({
    phase: 'preflight',
    hostId: host.id,
    hostName: host.name,
    steps: preflightSteps(ctx, host).filter((s) => !waived.has(s.id.split('/').pop() ?? '')),
    needs: [],
  }));
}
