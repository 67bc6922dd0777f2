import { describe, expect, it } from 'vitest';
import { parseChallenge } from './auth';
import { formatReference, parseReference, registryApiBase } from './reference';

describe('image references', () => {
  it('reads Docker Hub short names, registries with ports, tags and digests', () => {
    expect(parseReference('busybox')).toEqual({ registry: 'docker.io', repository: 'library/busybox', tag: 'latest' });
    expect(parseReference('kubernetesui/dashboard:v2.7.0')).toEqual({
      registry: 'docker.io',
      repository: 'kubernetesui/dashboard',
      tag: 'v2.7.0',
    });
    expect(parseReference('registry.k8s.io/coredns/coredns:v1.12.4')).toMatchObject({
      registry: 'registry.k8s.io',
      repository: 'coredns/coredns',
    });
    expect(parseReference('localhost:5000/a/b')).toEqual({ registry: 'localhost:5000', repository: 'a/b', tag: 'latest' });
    const digest = `sha256:${'0'.repeat(64)}`;
    expect(parseReference(`quay.io/calico/node:v3@${digest}`)).toEqual({
      registry: 'quay.io',
      repository: 'calico/node',
      tag: 'v3',
      digest,
    });
    expect(formatReference(parseReference('index.docker.io/library/nginx:1'))).toBe('docker.io/library/nginx:1');
    expect(registryApiBase('docker.io')).toBe('https://registry-1.docker.io');
    expect(registryApiBase('ghcr.io')).toBe('https://ghcr.io');
  });

  it('refuses what is not a reference, saying why', () => {
    expect(() => parseReference('Busybox')).toThrow(/repository name/);
    expect(() => parseReference('busybox@sha256:abc')).toThrow(/digest/);
    expect(() => parseReference('busybox:bad tag')).toThrow(/tag/);
  });
});

describe('WWW-Authenticate challenges', () => {
  it('reads the bearer realm, service and scope, quoted or not', () => {
    expect(
      parseChallenge('Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/busybox:pull"'),
    ).toEqual({
      scheme: 'bearer',
      params: { realm: 'https://auth.docker.io/token', service: 'registry.docker.io', scope: 'repository:library/busybox:pull' },
    });
    expect(parseChallenge('Basic realm=registry')).toEqual({ scheme: 'basic', params: { realm: 'registry' } });
    expect(parseChallenge(null)).toBeUndefined();
  });
});
