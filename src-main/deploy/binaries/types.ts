/** Components the binaries phase installs, and the files each brings. */
export const COMPONENT_FILES = {
  etcd: ['etcd', 'etcdctl'],
  containerd: ['containerd', 'containerd-shim-runc-v2', 'ctr'],
  runc: ['runc'],
  cni: ['bridge', 'host-local', 'loopback', 'portmap', 'bandwidth', 'firewall', 'tuning'],
  kubernetes: ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kubelet', 'kube-proxy', 'kubectl'],
} as const;
export type Component = keyof typeof COMPONENT_FILES;
export const COMPONENTS = Object.keys(COMPONENT_FILES) as Component[];

/**
 * Where a binary came from, so a host can download it itself: the URL, the SHA-256 the source published for what that
 * URL serves, and for a binary inside an archive its path there.
 */
export interface BinaryOrigin {
  url: string;
  sha256: string;
  member?: string;
}

/** A URL a host may be told to download: http(s), printable ASCII, no blanks (it reaches curl after --url). */
export const isHostDownloadUrl = (url: string): boolean => /^https?:\/\/[!-~]+$/.test(url);
/** A SHA-256 as sha256sum prints it. */
export const isSha256 = (value: string): boolean => /^[0-9a-f]{64}$/.test(value);

/** One verified file on this computer, ready to upload. */
export interface LocalBinary {
  component: Component;
  name: string;
  localPath: string;
  sha256: string;
  size: number;
  /** Absent for an offline bundle's files and for a cache made before origins were recorded. */
  origin?: BinaryOrigin;
}

/** A Debian package to install from the offline bundle when the host lacks it (no apt mirror needed). */
export interface LocalPackage {
  /** Package name as dpkg knows it. */
  name: string;
  localPath: string;
  sha256: string;
  size: number;
}

/** A container image from a bundle: an OCI archive to import into containerd on every kubelet host. */
export interface LocalImage {
  /** The release field that names it (pauseImage …). */
  role: string;
  ref: string;
  /** The platform manifest's digest: what `ctr images ls` shows once imported. */
  digest: string;
  localPath: string;
  sha256: string;
  size: number;
}

export interface BinarySet {
  files: LocalBinary[];
  versions: Partial<Record<Component, string>>;
  packages: LocalPackage[];
  /** Only an offline bundle made with images carries these; otherwise containerd pulls. */
  images?: LocalImage[];
}
