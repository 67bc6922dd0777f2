import { accessSync, constants, readFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { REQUIRED_TOOLS } from './config';

const SBIN = ['/usr/local/sbin', '/usr/sbin', '/sbin'];

/** Which Debian package provides each tool, for the error message. */
const PACKAGE_OF: Record<string, string> = {
  debootstrap: 'debootstrap',
  'systemd-nspawn': 'systemd-container',
  ssh: 'openssh-client',
  'ssh-keygen': 'openssh-client',
  ip: 'iproute2',
  nsenter: 'util-linux',
  mount: 'mount',
  umount: 'mount',
  chroot: 'coreutils',
};

function onPath(tool: string): boolean {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), ...SBIN];
  return dirs.some((dir) => {
    try {
      accessSync(join(dir, tool), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/** Why the lab cannot run here, or undefined when it can. Tests use this for describe.skipIf. */
export function labUnsupportedReason(): string | undefined {
  if (process.platform !== 'linux') return 'lab hosts need Linux (systemd-nspawn)';
  if (process.getuid?.() !== 0) return 'lab hosts need root (network namespaces, overlay mounts, systemd-nspawn); run as root, as CI does';
  const missing = REQUIRED_TOOLS.filter((t) => !onPath(t));
  if (missing.length > 0) {
    const pkgs = [...new Set(missing.map((t) => PACKAGE_OF[t] ?? t))].join(' ');
    return `lab hosts need ${missing.join(', ')} (apt-get install ${pkgs})`;
  }
  if (!readFileSync('/proc/filesystems', 'utf8').includes('overlay')) return 'lab hosts need overlayfs in the kernel';
  return undefined;
}

export function assertLabSupported(): void {
  const reason = labUnsupportedReason();
  if (reason) throw new Error(`lab: ${reason}`);
}
