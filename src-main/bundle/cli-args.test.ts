import { describe, expect, it } from 'vitest';
import { parseBundleArgs } from './cli-args';

describe('npm run bundle arguments', () => {
  it('reads lists, mirrors per registry and credentials', () => {
    const req = parseBundleArgs(
      [
        '--versions',
        '1.36,1.35',
        '--cni',
        'flannel',
        '--arch',
        'amd64,arm64',
        '--addons',
        'coredns,headlamp',
        '--out',
        '/b',
        '--mirror',
        'docker.io=http://127.0.0.1:5000/mirror/docker.io',
        '--auth',
        'quay.io=me:p:w',
        '--binaries-from',
        '/bin-bundle',
      ],
      '/data',
    );
    expect(req).toMatchObject({
      versions: ['1.36', '1.35'],
      cni: ['flannel'],
      arches: ['amd64', 'arm64'],
      addons: { coredns: true, metricsServer: false, headlamp: true },
      mirrors: { 'docker.io': 'http://127.0.0.1:5000/mirror/docker.io' },
      credentials: { 'quay.io': { username: 'me', password: 'p:w' } },
      binaries: { kind: 'folder', path: '/bin-bundle' },
      cacheDir: '/data/cache/binaries',
    });
  });

  it('refuses bad values with a message naming the flag', () => {
    expect(() => parseBundleArgs(['--out', '/b', '--versions', '1.20'], '/d')).toThrow(/--versions: "1.20"/);
    expect(() => parseBundleArgs(['--out', '/b', '--mirror', 'docker.io'], '/d')).toThrow(/--mirror takes REGISTRY=VALUE/);
    expect(() => parseBundleArgs(['--out', '/b', '--mirror', 'docker.io=ftp://x'], '/d')).toThrow(/not an http\(s\) URL/);
    expect(() => parseBundleArgs(['--arch', 'amd64'], '/d')).toThrow(/--out is required/);
    expect(() => parseBundleArgs(['--out', '/b', '--frobnicate'], '/d')).toThrow(/unknown option --frobnicate/);
  });
});
