import { join } from 'node:path';

/** Where the image and the lab's SSH key live between runs (rebuilt only when the recipe hash changes). */
export const CACHE_DIR = process.env.KUBESMITH_LAB_CACHE ?? '/var/cache/kubesmith-lab';
/** Per-run state: host overlays, console logs, state.json. Removed by `down` (logs are kept). */
export const RUN_DIR = process.env.KUBESMITH_LAB_RUN ?? '/var/lib/kubesmith-lab';
export const HOSTS_DIR = join(RUN_DIR, 'hosts');
export const LOGS_DIR = join(RUN_DIR, 'logs');
export const STATE_FILE = join(RUN_DIR, 'state.json');
export const LOCK_FILE = join(RUN_DIR, 'lock');
export const KEY_PATH = join(CACHE_DIR, 'id_ed25519');

export const SUITE = 'bookworm';
export const NETNS = 'kslab';
export const NETNS_PATH = `/run/netns/${NETNS}`;
export const BRIDGE = 'kslab0';
/** Root-namespace end of the veth that lets the test runner reach the bridge. */
export const ROOT_VETH = 'kslab-root';
export const BRIDGE_VETH = 'kslab-br';
export const SUBNET_PREFIX = '10.231.0';
export const ROOT_ADDRESS = `${SUBNET_PREFIX}.1`;
/**
 * Default gateway handed to hosts. It lives on the bridge inside the lab namespace, which has no route out,
 * so tools that insist on a default route (kubeadm, etcd) work while nothing can leave the lab.
 */
export const GATEWAY_ADDRESS = `${SUBNET_PREFIX}.254`;
export const MAX_HOSTS = 50;

export const hostName = (index: number): string => `node${index}`;
/** node1 → 10.231.0.11, node2 → 10.231.0.12, … */
export const hostAddress = (index: number): string => `${SUBNET_PREFIX}.${10 + index}`;
/** The host-side veth that `--network-bridge` creates for a machine (inside the lab namespace). */
export const hostLink = (name: string): string => `vb-${name}`.slice(0, 15);

export const PASSWORDS = { sudoer: 'sudoer-lab-pass', pwuser: 'pwuser-lab-pass' } as const;

export const PACKAGES = [
  'systemd',
  'systemd-sysv',
  'dbus',
  'openssh-server',
  'iproute2',
  'iptables',
  'kmod',
  'procps',
  'ca-certificates',
  'sudo',
  'curl',
  'etcd-server',
  'etcd-client',
  'containerd',
  'runc',
  'containernetworking-plugins',
  'nginx',
  // Installed but off; `useSystemdResolved` turns it on for one host to make it look like Ubuntu (127.0.0.53 stub).
  'systemd-resolved',
];

/** Compiled into the host kernel (checked against /proc/config.gz); declared builtin in the image so modprobe succeeds. */
export const BUILTIN_MODULES = [
  'net/bridge/br_netfilter',
  'net/bridge/bridge',
  'fs/overlayfs/overlay',
  'net/netfilter/nf_conntrack',
  'net/netfilter/nf_nat',
  'net/netfilter/nf_tables',
  'net/netfilter/xt_conntrack',
  'net/netfilter/xt_comment',
  'net/netfilter/xt_mark',
  'net/netfilter/xt_MASQUERADE',
  'net/netfilter/ipset/ip_set',
  'net/ipv4/netfilter/ip_tables',
  'net/ipv4/netfilter/iptable_filter',
  'net/ipv4/netfilter/iptable_nat',
  'drivers/net/veth',
  'drivers/net/vxlan/vxlan',
];

export const REQUIRED_TOOLS = ['debootstrap', 'systemd-nspawn', 'ssh', 'ssh-keygen', 'ip', 'nsenter', 'mount', 'umount', 'chroot'];
