import type { Host } from '../../../src-shared/model/cluster';
import type { PlanJob, PlanStep } from '../../../src-shared/model/plan';
import type { PlanContext } from '../context';
import { sha256 } from '../hash';
import { raw, sh, shJoin, type Shell } from '../../ssh/shell';
import { binaryStep, commandStep, fileStep, readsAs } from '../steps';
import { withoutServiceStarts } from './no-service-starts';
import { distroNginxOff } from './distro-nginx';

const MODULES = ['overlay', 'br_netfilter'];
const SYSCTL: Record<string, string> = {
  'net.ipv4.ip_forward': '1',
  'net.bridge.bridge-nf-call-iptables': '1',
  'net.bridge.bridge-nf-call-ip6tables': '1',
};

/**
 * Debian/Ubuntu packages a role needs that are not Kubernetes binaries. No `conntrack`: kube-proxy clears stale
 * conntrack entries over netlink since 1.32 (kubernetes#126847, "kube-proxy will no longer depend on conntrack binary"),
 * and kubeadm dropped its preflight check for the binary then, "as conntrack is no longer a kube-proxy dependency in
 * version 1.32 and newer" (kubernetes#126953); every version a cluster here can run is newer. One package fewer to
 * fetch, bundle and install on every node.
 */
export function packagesFor(ctx: PlanContext, host: Host): string[] {
  const pkgs = ['curl', 'ca-certificates'];
  if (ctx.kubeletHosts.includes(host)) {
    pkgs.push('nginx', 'libnginx-mod-stream');
    if (ctx.cluster.settings.proxyMode === 'nftables') pkgs.push('nftables');
    if (ctx.cluster.settings.proxyMode === 'ipvs') pkgs.push('ipset', 'ipvsadm');
    if (ctx.cluster.settings.proxyMode === 'iptables') pkgs.push('iptables');
  }
  return pkgs;
}

/** Where an offline bundle's packages go on a host. */
export const DEBS_DIR = '/var/cache/kubesmith/debs';

/**
 * Installs every bundled package (`debsDir`/*.deb) the host lacks or has in an older version, in one dpkg run. dpkg
 * forces downgrades by default (dpkg(1), --force: "downgrade(*)"; "*" marks what is forced by default) and checks no
 * dependencies when it downgrades, so a host that already has a newer curl or nginx (a later point release, a
 * security update) would silently get the bundle's older one. `--refuse-downgrade` makes dpkg print "will not
 * downgrade <package> from <installed> to <bundled>, skipping" and go on, with exit status 0 (dpkg 1.21 on a lab
 * host); `--skip-same-version` leaves a package at the bundle's version alone.
 */
export function bundledDebsInstall(debsDir = DEBS_DIR): Shell {
  return sh`DEBIAN_FRONTEND=noninteractive dpkg -i --skip-same-version --refuse-downgrade ${debsDir}/${raw('*.deb')} >/dev/null`;
}

/**
 * The module is loaded or built into the kernel. /sys/module/<name> "will always show up if the module is loaded as a
 * dynamic module", and for a built-in one with a version or a parameter (the kernel's
 * Documentation/ABI/stable/sysfs-module): a shell test, no process, on every run of every host. Where it is not (a
 * built-in without either, a container without /sys/module), the module lists are read.
 */
export const moduleInKernel = (m: string): Shell =>
  sh`{ [ -d ${`/sys/module/${m}`} ] || grep -qw ^${m} /proc/modules || grep -q /${m}.ko /lib/modules/$(uname -r)/modules.builtin; }`;

export function hostsBlock(ctx: PlanContext): string {
  return ctx.hosts.map((h) => `${h.address} ${h.name}`).join('\n');
}

export function prepareSteps(ctx: PlanContext, host: Host): PlanStep[] {
  const id = (name: string) => ctx.stepId('prepare', host, name);
  const steps: PlanStep[] = [
    commandStep(id('swap'), 'Swap off, now and in /etc/fstab', {
      // /proc/swaps is a header line, then one line per active swap area (none without it: a kernel with no swap).
      skipIf: raw("! { read -r ks_l && read -r ks_l; } 2>/dev/null < /proc/swaps && ! grep -Eq '^[^#]\\S*\\s+\\S+\\s+swap\\s' /etc/fstab"),
      run: raw("swapoff -a && sed -ri 's/^([^#]\\S*\\s+\\S+\\s+swap\\s.*)$/# \\1  # swap off for Kubernetes (Kubesmith)/' /etc/fstab"),
    }),
  ];
  const modules = fileStep(id('modules-file'), 'Kernel modules load at boot', {
    path: '/etc/modules-load.d/kubesmith.conf',
    text: `${MODULES.join('\n')}\n`,
  });
  steps.push(
    modules,
    commandStep(id('modules'), `Load kernel modules ${MODULES.join(', ')}`, {
      skipIf: shJoin(MODULES.map(moduleInKernel), ' && '),
      run: shJoin(
        MODULES.map((m) => sh`modprobe ${m}`),
        ' && ',
      ),
    }),
  );
  const sysctlText = `${Object.entries(SYSCTL)
    .map(([k, v]) => `${k} = ${v}`)
    .join('\n')}\n`;
  steps.push(
    fileStep(id('sysctl-file'), 'Kernel settings persist', { path: '/etc/sysctl.d/90-kubesmith.conf', text: sysctlText }),
    commandStep(id('sysctl'), 'Apply kernel settings', {
      skipIf: shJoin(
        Object.entries(SYSCTL).map(([k, v]) => readsAs(`/proc/sys/${k.replace(/\./g, '/')}`, v)),
        ' && ',
      ),
      run: raw('sysctl -q -p /etc/sysctl.d/90-kubesmith.conf'),
    }),
    commandStep(id('hostname'), `Host name ${host.name}`, {
      skipIf: sh`${readsAs('/proc/sys/kernel/hostname', host.name)} && grep -qx ${host.name} /etc/hostname`,
      run: sh`echo ${host.name} > /etc/hostname && { [ "$(hostname)" = ${host.name} ] || hostname ${host.name}; }`,
    }),
  );
  const block = hostsBlock(ctx);
  const begin = '# BEGIN kubesmith';
  const end = '# END kubesmith';
  const marker = `# kubesmith ${sha256(block).slice(0, 16)}`;
  steps.push(
    commandStep(id('hosts'), 'Cluster hosts in /etc/hosts', {
      skipIf: sh`grep -qx ${marker} /etc/hosts`,
      run: sh`t=$(mktemp /etc/.hosts.XXXXXX) && sed ${`/^${begin}$/,/^${end}$/d`} /etc/hosts > "$t" && printf '%s\\n' ${begin} ${marker} ${block.split('\n')} ${end} >> "$t" && chmod 644 "$t" && mv "$t" /etc/hosts`,
    }),
  );
  const pkgs = packagesFor(ctx, host);
  // An offline bundle's packages (with their dependencies) go to every host; dpkg installs them only when one is missing.
  const bundled = ctx.binaries.packages;
  // Each package's status line, and nothing else: one dpkg-query, compared by the shell (no grep -c | grep -x).
  // dpkg-query -W prints one line per package it knows, in its own order, and nothing for one it does not.
  const eachInstalled = pkgs.map(() => 'install ok installed').join('\n');
  const installed = sh`[ "$(dpkg-query -W -f='\${Status}\\n' ${pkgs} 2>/dev/null)" = ${eachInstalled} ]`;
  const nginxOff = pkgs.includes('nginx') ? distroNginxOff() : undefined;
  const skipIf = nginxOff ? sh`${installed} && ${nginxOff.done}` : installed;
  const titleEnd = nginxOff ? `; ${nginxOff.title}` : '';
  if (bundled.length > 0) {
    for (const p of bundled) {
      steps.push(
        binaryStep(id(`deb:${p.name}`), `Upload package ${p.name}`, {
          path: `${DEBS_DIR}/${p.name}.deb`,
          localPath: p.localPath,
          sha256: p.sha256,
          size: p.size,
        }),
      );
    }
    const install = withoutServiceStarts(bundledDebsInstall());
    steps.push(
      commandStep(id('packages'), `Packages: ${pkgs.join(', ')} (from the offline bundle)${titleEnd}`, {
        skipIf,
        run: shJoin(nginxOff ? [nginxOff.before, install, nginxOff.after, installed] : [install, installed], ' && '),
        timeoutMs: 600_000,
      }),
    );
  } else {
    const install = withoutServiceStarts(
      sh`DEBIAN_FRONTEND=noninteractive apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends ${pkgs}`,
    );
    steps.push(
      commandStep(id('packages'), `Packages: ${pkgs.join(', ')}${titleEnd}`, {
        skipIf,
        run: nginxOff ? shJoin([nginxOff.before, install, nginxOff.after], ' && ') : install,
        timeoutMs: 600_000,
      }),
    );
  }
  return steps;
}

export function prepareJobs(ctx: PlanContext): PlanJob[] {
  return ctx.hosts.map((host) => ({ phase: 'prepare', hostId: host.id, hostName: host.name, steps: prepareSteps(ctx, host), needs: [] }));
}
