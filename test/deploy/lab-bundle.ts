import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { standins } from '../standins/standins';

/**
 * Debs the lab image lacks for a kubelet host (nginx's stream module, nftables), and nginx itself for a
 * host that has none (deploy-lab removes it from one, as on a fresh Debian/Ubuntu host); fetched once with apt.
 */
const LAB_DEBS = ['nginx', 'nginx-common', 'libnginx-mod-stream', 'nftables', 'libnftables1', 'libjansson4'];
/** Built from one nginx source: taken in the image's nginx version. */
const NGINX_DEBS = ['nginx', 'nginx-common', 'libnginx-mod-stream'];
const DEB_CACHE = process.env.KUBESMITH_LAB_DEBS ?? '/var/cache/kubesmith-lab-deploy/debs';

const FROM_IMAGE: Record<string, string> = {
  'bin/etcd': 'usr/bin/etcd',
  'bin/etcdctl': 'usr/bin/etcdctl',
  'bin/containerd': 'usr/bin/containerd',
  'bin/containerd-shim-runc-v2': 'usr/bin/containerd-shim-runc-v2',
  'bin/ctr': 'usr/bin/ctr',
  'bin/runc': 'usr/sbin/runc',
  ...Object.fromEntries(
    ['bridge', 'host-local', 'loopback', 'portmap', 'bandwidth', 'firewall', 'tuning'].map((n) => [`cni/${n}`, `usr/lib/cni/${n}`]),
  ),
};

function imageVersion(rootfs: string, pkg: string): string | undefined {
  const r = spawnSync('dpkg-query', [`--admindir=${join(rootfs, 'var/lib/dpkg')}`, '-W', '-f=${Version}', pkg], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.trim() ? r.stdout.trim() : undefined;
}

/** Downloads (once) the lab's missing packages from the machine's own Debian mirror; nginx's debs match the image's nginx. */
export function labDebs(rootfs: string): string[] {
  mkdirSync(DEB_CACHE, { recursive: true });
  const nginx = imageVersion(rootfs, 'nginx');
  const wanted = LAB_DEBS.map((p) => (NGINX_DEBS.includes(p) && nginx ? `${p}=${nginx}` : p));
  const have = readdirSync(DEB_CACHE);
  const missing = wanted.filter((w) => {
    const [name, version] = w.split('=');
    return !have.some((f) => f.startsWith(`${name}_${version ? version.replace(/:/g, '%3a') : ''}`));
  });
  if (missing.length > 0) {
    const r = spawnSync('apt-get', ['download', ...missing], { cwd: DEB_CACHE, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`lab bundle: apt-get download ${missing.join(' ')} failed: ${r.stderr}`);
  }
  return readdirSync(DEB_CACHE)
    .filter((f) => f.endsWith('.deb') && LAB_DEBS.some((p) => f.startsWith(`${p}_`)))
    .map((f) => join(DEB_CACHE, f));
}

/**
 * The lab's offline bundle: etcd, containerd, runc and CNI plugins taken from the lab image itself (real
 * binaries), the kube-* STAND-INS from test/standins, the missing debs, and SHA256SUMS over all of it.
 */
export function buildLabBundle(dir: string, rootfs: string, kubernetesMinor: string, release = kubernetesMinor): void {
  mkdirSync(join(dir, 'bin'), { recursive: true });
  mkdirSync(join(dir, 'cni'), { recursive: true });
  mkdirSync(join(dir, 'debs'), { recursive: true });
  for (const [target, source] of Object.entries(FROM_IMAGE)) {
    const from = join(rootfs, source);
    if (!existsSync(from)) throw new Error(`lab bundle: the lab image has no /${source}`);
    copyFileSync(from, join(dir, target));
  }
  for (const [name, text] of Object.entries(standins(kubernetesMinor, release)))
    writeFileSync(join(dir, 'bin', name), text, { mode: 0o755 });
  for (const deb of labDebs(rootfs)) copyFileSync(deb, join(dir, 'debs', deb.split('/').pop()!));
  const lines: string[] = [];
  for (const sub of ['bin', 'cni', 'debs']) {
    for (const f of readdirSync(join(dir, sub)).sort()) {
      lines.push(
        `${createHash('sha256')
          .update(readFileSync(join(dir, sub, f)))
          .digest('hex')}  ${sub}/${f}`,
      );
    }
  }
  writeFileSync(join(dir, 'SHA256SUMS'), `${lines.join('\n')}\n`);
  writeFileSync(
    join(dir, 'versions.json'),
    JSON.stringify({
      kubernetes: `${release} (stand-ins)`,
      etcd: imageVersion(rootfs, 'etcd-server'),
      containerd: imageVersion(rootfs, 'containerd'),
    }),
  );
}
