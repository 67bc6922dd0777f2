import type { Credentials } from '../images/auth';

export type Arch = 'amd64' | 'arm64';
export type Cni = 'calico' | 'flannel' | 'cilium';

/** Where the bundle's binaries come from: as a deploy would download them, or an existing offline bundle folder. */
export type BinaryOrigin = { kind: 'official' } | { kind: 'mirror'; prefix: string } | { kind: 'folder'; path: string };

export interface BundleRequest {
  /** Kubernetes minor versions (1.36 …). */
  versions: string[];
  cni: Cni[];
  addons: { coredns: boolean; metricsServer: boolean; headlamp: boolean };
  arches: Arch[];
  /** One (version, arch) goes into out itself; several go into out/<version>-<arch>/ each. */
  out: string;
  binaries: BinaryOrigin;
  /** registry (docker.io …) → mirror prefix URL. */
  mirrors?: Record<string, string>;
  credentials?: Record<string, Credentials>;
  /** Where downloaded binaries are kept between runs. */
  cacheDir: string;
  signal?: AbortSignal;
}

export interface BundleProgress {
  /** The bundle folder this is about. */
  target: string;
  stage: 'binaries' | 'images' | 'index' | 'done';
  message: string;
  /** Items finished and in all, of this stage. */
  done: number;
  total: number;
  /** Bytes that came over the network so far (all stages). */
  bytes: number;
}

export type OnProgress = (p: BundleProgress) => void;

export interface BuiltBundle {
  folder: string;
  version: string;
  arch: Arch;
  images: number;
  files: number;
  bytes: number;
}

/** The folder of one (version, arch): out itself when the request makes one bundle. */
export function targetFolder(req: Pick<BundleRequest, 'versions' | 'arches' | 'out'>, version: string, arch: Arch): string {
  return req.versions.length * req.arches.length === 1 ? req.out : `${req.out.replace(/\/+$/, '')}/${version}-${arch}`;
}
