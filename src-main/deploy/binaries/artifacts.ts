import type { ReleaseSet } from '../versions';
import type { Component } from './types';

/**
 * One thing to download, with where its published SHA-256 is. A sums file lists many files: the line
 * naming `sumsEntry` holds ours. Archives are unpacked on this computer; `files` maps each binary to its
 * path inside the archive.
 */
export interface Artifact {
  component: Component;
  url: string;
  checksumUrl: string;
  sumsEntry?: string;
  /** name → path inside the archive; absent for a single binary, which is `name` itself. */
  files?: Record<string, string>;
  name?: string;
}

const GITHUB = 'https://github.com';

export function officialArtifacts(r: ReleaseSet, arch: 'amd64' | 'arm64'): Artifact[] {
  const k8s = ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kubelet', 'kube-proxy', 'kubectl'].map((name) => {
    const url = `https://dl.k8s.io/release/v${r.kubernetes}/bin/linux/${arch}/${name}`;
    return { component: 'kubernetes' as const, url, checksumUrl: `${url}.sha256`, name };
  });
  const etcdName = `etcd-v${r.etcd}-linux-${arch}`;
  const containerdTar = `containerd-${r.containerd}-linux-${arch}.tar.gz`;
  const cniTar = `cni-plugins-linux-${arch}-v${r.cni}.tgz`;
  const containerdUrl = `${GITHUB}/containerd/containerd/releases/download/v${r.containerd}/${containerdTar}`;
  const cniUrl = `${GITHUB}/containernetworking/plugins/releases/download/v${r.cni}/${cniTar}`;
  return [
    ...k8s,
    {
      component: 'etcd',
      url: `${GITHUB}/etcd-io/etcd/releases/download/v${r.etcd}/${etcdName}.tar.gz`,
      checksumUrl: `${GITHUB}/etcd-io/etcd/releases/download/v${r.etcd}/SHA256SUMS`,
      sumsEntry: `${etcdName}.tar.gz`,
      files: { etcd: `${etcdName}/etcd`, etcdctl: `${etcdName}/etcdctl` },
    },
    {
      component: 'containerd',
      url: containerdUrl,
      checksumUrl: `${containerdUrl}.sha256sum`,
      sumsEntry: containerdTar,
      files: { containerd: 'bin/containerd', 'containerd-shim-runc-v2': 'bin/containerd-shim-runc-v2', ctr: 'bin/ctr' },
    },
    {
      component: 'runc',
      url: `${GITHUB}/opencontainers/runc/releases/download/v${r.runc}/runc.${arch}`,
      checksumUrl: `${GITHUB}/opencontainers/runc/releases/download/v${r.runc}/runc.sha256sum`,
      sumsEntry: `runc.${arch}`,
      name: 'runc',
    },
    {
      component: 'cni',
      url: cniUrl,
      checksumUrl: `${cniUrl}.sha256`,
      sumsEntry: cniTar,
      files: Object.fromEntries(
        ['bridge', 'host-local', 'loopback', 'portmap', 'bandwidth', 'firewall', 'tuning'].map((n) => [n, `./${n}`]),
      ),
    },
  ];
}

/** A mirror serves the same paths under its own prefix: https://mirror.lan/k8s + /dl.k8s.io/release/… */
export function throughMirror(artifacts: Artifact[], prefix: string): Artifact[] {
  const base = prefix.replace(/\/+$/, '');
  const rewrite = (url: string) => `${base}/${url.replace(/^https:\/\//, '')}`;
  return artifacts.map((a) => ({ ...a, url: rewrite(a.url), checksumUrl: rewrite(a.checksumUrl) }));
}

/** The SHA-256 a checksum file publishes for `entry` (or its only hash, for single-hash files). */
export function publishedSha256(text: string, entry?: string): string | undefined {
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  if (entry !== undefined) {
    for (const line of lines) {
      const m = /^([0-9a-fA-F]{64})\s+\*?(?:\.\/)?(\S+)$/.exec(line);
      if (m && (m[2] === entry || m[2]!.endsWith(`/${entry}`))) return m[1]!.toLowerCase();
    }
    if (lines.length === 1 && /^[0-9a-fA-F]{64}$/.test(lines[0]!)) return lines[0]!.toLowerCase();
    return undefined;
  }
  const m = /^([0-9a-fA-F]{64})\b/.exec(lines[0] ?? '');
  return m?.[1]?.toLowerCase();
}
