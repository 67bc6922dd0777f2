import { join } from 'node:path';
import { KUBERNETES_VERSIONS } from '../../src-shared/model/cluster';
import type { Arch, BundleRequest, Cni } from './options';

export const BUNDLE_USAGE = `usage: npm run bundle -- --out DIR [--versions 1.36[,1.35]] [--cni calico|flannel|cilium[,…]] [--addons coredns,metrics-server,headlamp|none]
  [--arch amd64[,arm64]] [--mirror REGISTRY=URL …] [--auth REGISTRY=USER:PASSWORD …] [--binary-mirror URL | --binaries-from DIR] [--data-dir DIR]`;

const list = (v: string) =>
  v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

function oneOf<T extends string>(flag: string, values: string[], allowed: readonly T[]): T[] {
  for (const v of values)
    if (!(allowed as readonly string[]).includes(v))
      throw new Error(`${flag}: "${v}" is not one of ${allowed.join(', ')}\n${BUNDLE_USAGE}`);
  return values as T[];
}

function pair(flag: string, v: string): [string, string] {
  const at = v.indexOf('=');
  if (at <= 0 || at === v.length - 1) throw new Error(`${flag} takes REGISTRY=VALUE, not "${v}"\n${BUNDLE_USAGE}`);
  return [v.slice(0, at), v.slice(at + 1)];
}

/** The command line of `npm run bundle`, read into a request; every bad value is a message with the usage. */
export function parseBundleArgs(argv: string[], defaultDataDir: string): BundleRequest {
  let out = '';
  let versions: string[] = ['1.36'];
  let cni: Cni[] = ['calico'];
  let arches: Arch[] = ['amd64'];
  let addons = { coredns: true, metricsServer: true, headlamp: false };
  let binaries: BundleRequest['binaries'] = { kind: 'official' };
  let dataDir = defaultDataDir;
  const mirrors: Record<string, string> = {};
  const credentials: NonNullable<BundleRequest['credentials']> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value\n${BUNDLE_USAGE}`);
      return v;
    };
    if (a === '--out') out = value();
    else if (a === '--versions') versions = oneOf(a, list(value()), KUBERNETES_VERSIONS);
    else if (a === '--cni') cni = oneOf(a, list(value()), ['calico', 'flannel', 'cilium'] as const);
    else if (a === '--arch') arches = oneOf(a, list(value()), ['amd64', 'arm64'] as const);
    else if (a === '--addons') {
      const chosen = oneOf(a, list(value()), ['coredns', 'metrics-server', 'headlamp', 'none'] as const);
      addons = {
        coredns: chosen.includes('coredns'),
        metricsServer: chosen.includes('metrics-server'),
        headlamp: chosen.includes('headlamp'),
      };
    } else if (a === '--mirror') {
      const [registry, url] = pair(a, value());
      if (!/^https?:\/\/[^/]/.test(url)) throw new Error(`--mirror ${registry}: "${url}" is not an http(s) URL\n${BUNDLE_USAGE}`);
      mirrors[registry] = url;
    } else if (a === '--auth') {
      const [registry, userPass] = pair(a, value());
      const colon = userPass.indexOf(':');
      if (colon <= 0) throw new Error(`--auth ${registry} takes USER:PASSWORD\n${BUNDLE_USAGE}`);
      credentials[registry] = { username: userPass.slice(0, colon), password: userPass.slice(colon + 1) };
    } else if (a === '--binary-mirror') binaries = { kind: 'mirror', prefix: value() };
    else if (a === '--binaries-from') binaries = { kind: 'folder', path: value() };
    else if (a === '--data-dir') dataDir = value();
    else throw new Error(`unknown option ${a}\n${BUNDLE_USAGE}`);
  }
  if (!out) throw new Error(`--out is required\n${BUNDLE_USAGE}`);
  if (versions.length === 0 || cni.length === 0 || arches.length === 0)
    throw new Error(`--versions, --cni and --arch need at least one value\n${BUNDLE_USAGE}`);
  return {
    versions,
    cni,
    arches,
    addons,
    out,
    binaries,
    cacheDir: join(dataDir, 'cache', 'binaries'),
    ...(Object.keys(mirrors).length ? { mirrors } : {}),
    ...(Object.keys(credentials).length ? { credentials } : {}),
  };
}
