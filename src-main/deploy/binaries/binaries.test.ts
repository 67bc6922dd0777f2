import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RELEASES } from '../versions';
import { officialArtifacts, publishedSha256, throughMirror, type Artifact } from './artifacts';
import { loadBundle } from './bundle';
import { resolveDownloads } from './cache';
import { readTarGz } from './tar';

const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

/** A minimal ustar archive, as release tarballs are. */
function tarGz(files: Record<string, string>): Buffer {
  const blocks: Buffer[] = [];
  for (const [name, text] of Object.entries(files)) {
    const body = Buffer.from(text);
    const h = Buffer.alloc(512);
    h.write(name, 0);
    h.write('0000755\0', 100);
    h.write(`${body.length.toString(8).padStart(11, '0')}\0`, 124);
    h.write('0', 156);
    h.write('ustar\0', 257);
    h.fill(' ', 148, 156);
    h.write(
      `${h
        .reduce((a, b) => a + b, 0)
        .toString(8)
        .padStart(6, '0')}\0 `,
      148,
    );
    blocks.push(h, body, Buffer.alloc((512 - (body.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return gzipSync(Buffer.concat(blocks));
}

describe('binary downloads (local server on 127.0.0.1)', () => {
  let server: Server;
  let base: string;
  let dir: string;
  const requests: string[] = [];
  const routes = new Map<string, Buffer | string>();

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ks-bin-'));
    server = createServer((req, res) => {
      requests.push(req.url ?? '');
      const body = routes.get(req.url ?? '');
      if (body === undefined) {
        res.statusCode = 404;
        res.end('not found');
        return;
      }
      res.end(body);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(async () => {
    server.close();
    await rm(dir, { recursive: true, force: true });
  });

  const release = RELEASES['1.36']!;

  it('downloads once, verifies the published SHA-256, unpacks archives, and uses the cache after', async () => {
    const kubelet = Buffer.from('kubelet-binary');
    const archive = tarGz({ 'etcd-v9/etcd': 'etcd-binary', 'etcd-v9/etcdctl': 'etcdctl-binary' });
    routes.set('/bin/kubelet', kubelet);
    routes.set('/bin/kubelet.sha256', `${sha(kubelet)}\n`);
    routes.set('/etcd.tar.gz', archive);
    routes.set('/SHA256SUMS', `${'0'.repeat(64)}  other.tar.gz\n${sha(archive)}  etcd.tar.gz\n`);
    const artifacts: Artifact[] = [
      { component: 'kubernetes', url: `${base}/bin/kubelet`, checksumUrl: `${base}/bin/kubelet.sha256`, name: 'kubelet' },
      {
        component: 'etcd',
        url: `${base}/etcd.tar.gz`,
        checksumUrl: `${base}/SHA256SUMS`,
        sumsEntry: 'etcd.tar.gz',
        files: { etcd: 'etcd-v9/etcd', etcdctl: 'etcd-v9/etcdctl' },
      },
    ];
    const set = await resolveDownloads({ release, arch: 'amd64', cacheDir: dir, artifacts });
    expect(set.files.map((f) => [f.name, f.sha256])).toEqual([
      ['kubelet', sha(kubelet)],
      ['etcd', sha('etcd-binary')],
      ['etcdctl', sha('etcdctl-binary')],
    ]);
    expect(await readFile(set.files[1]!.localPath, 'utf8')).toBe('etcd-binary');
    // Where each came from, with the published SHA-256 of what the URL serves: what a host downloading it checks.
    const origins = [
      { url: `${base}/bin/kubelet`, sha256: sha(kubelet) },
      { url: `${base}/etcd.tar.gz`, sha256: sha(archive), member: 'etcd-v9/etcd' },
      { url: `${base}/etcd.tar.gz`, sha256: sha(archive), member: 'etcd-v9/etcdctl' },
    ];
    expect(set.files.map((f) => f.origin)).toEqual(origins);
    const before = requests.length;
    const again = await resolveDownloads({ release, arch: 'amd64', cacheDir: dir, artifacts });
    expect(requests.length).toBe(before);
    expect(again.files.map((f) => f.origin)).toEqual(origins);
    // A damaged origin record is no origin: that binary is sent from this computer, nothing fails.
    await writeFile(`${set.files[0]!.localPath}.origin.json`, '{"url":"ftp://x y","sha256":"zz"}');
    expect((await resolveDownloads({ release, arch: 'amd64', cacheDir: dir, artifacts })).files[0]!.origin).toBeUndefined();
  });

  it('refuses a download whose SHA-256 differs and keeps nothing of it', async () => {
    routes.set('/bad', Buffer.from('tampered'));
    routes.set('/bad.sha256', sha('original'));
    const target = join(dir, 'bad-case');
    const artifacts: Artifact[] = [{ component: 'runc', url: `${base}/bad`, checksumUrl: `${base}/bad.sha256`, name: 'runc' }];
    await expect(resolveDownloads({ release, arch: 'amd64', cacheDir: target, artifacts })).rejects.toMatchObject({
      name: 'ChecksumMismatch',
    });
    const left = await readdir(join(target, `runc-${release.runc}-amd64`, 'download')).catch(() => []);
    expect(left).toEqual([]);
  });

  it('explains a missing file on the source', async () => {
    const artifacts: Artifact[] = [{ component: 'runc', url: `${base}/missing`, checksumUrl: `${base}/missing.sha256`, name: 'runc' }];
    await expect(resolveDownloads({ release, arch: 'amd64', cacheDir: join(dir, 'm'), artifacts })).rejects.toMatchObject({
      name: 'DownloadFailed',
      message: expect.stringContaining('404'),
    });
  });
});

describe('artifacts', () => {
  it('names the official URLs and rewrites them under a mirror prefix', () => {
    const a = officialArtifacts(RELEASES['1.35']!, 'arm64');
    expect(a.find((x) => x.name === 'kubelet')!.url).toBe('https://dl.k8s.io/release/v1.35.9/bin/linux/arm64/kubelet');
    expect(throughMirror(a, 'http://10.231.0.1:8080/mirror/').find((x) => x.name === 'kubelet')!.url).toBe(
      'http://10.231.0.1:8080/mirror/dl.k8s.io/release/v1.35.9/bin/linux/arm64/kubelet',
    );
    expect(new Set(a.map((x) => x.component))).toEqual(new Set(['kubernetes', 'etcd', 'containerd', 'runc', 'cni']));
  });

  it('builds the asset URLs and sums entries of the pinned etcd 3.7, containerd 2.3, runc 1.5 and CNI plugins 1.9', () => {
    const byComponent = (arch: 'amd64' | 'arm64') => new Map(officialArtifacts(RELEASES['1.37']!, arch).map((x) => [x.component, x]));
    const amd = byComponent('amd64');
    expect(amd.get('kubernetes')!.url).toBe('https://dl.k8s.io/release/v1.37.1/bin/linux/amd64/kubectl');
    expect(amd.get('etcd')).toMatchObject({
      url: 'https://github.com/etcd-io/etcd/releases/download/v3.7.1/etcd-v3.7.1-linux-amd64.tar.gz',
      checksumUrl: 'https://github.com/etcd-io/etcd/releases/download/v3.7.1/SHA256SUMS',
      sumsEntry: 'etcd-v3.7.1-linux-amd64.tar.gz',
      files: { etcd: 'etcd-v3.7.1-linux-amd64/etcd', etcdctl: 'etcd-v3.7.1-linux-amd64/etcdctl' },
    });
    // containerd 2.x: the tag has a v, the asset name has none.
    expect(amd.get('containerd')).toMatchObject({
      url: 'https://github.com/containerd/containerd/releases/download/v2.3.3/containerd-2.3.3-linux-amd64.tar.gz',
      checksumUrl: 'https://github.com/containerd/containerd/releases/download/v2.3.3/containerd-2.3.3-linux-amd64.tar.gz.sha256sum',
      sumsEntry: 'containerd-2.3.3-linux-amd64.tar.gz',
    });
    expect(byComponent('arm64').get('runc')).toMatchObject({
      url: 'https://github.com/opencontainers/runc/releases/download/v1.5.1/runc.arm64',
      checksumUrl: 'https://github.com/opencontainers/runc/releases/download/v1.5.1/runc.sha256sum',
      sumsEntry: 'runc.arm64',
    });
    expect(amd.get('cni')).toMatchObject({
      url: 'https://github.com/containernetworking/plugins/releases/download/v1.9.1/cni-plugins-linux-amd64-v1.9.1.tgz',
      checksumUrl: 'https://github.com/containernetworking/plugins/releases/download/v1.9.1/cni-plugins-linux-amd64-v1.9.1.tgz.sha256',
    });
  });

  it('reads single-hash and multi-line sums files', () => {
    const h = 'a'.repeat(64);
    expect(publishedSha256(`${h}\n`)).toBe(h);
    expect(publishedSha256(`${'b'.repeat(64)}  x.tgz\n${h} *./y.tgz\n`, 'y.tgz')).toBe(h);
    expect(publishedSha256(`${h}  x.tgz\n`, 'z.tgz')).toBeUndefined();
  });

  it('reads tar.gz entries by path', () => {
    expect(
      readTarGz(tarGz({ './bridge': 'b', './loopback': 'l' }))
        .get('./bridge')
        ?.toString(),
    ).toBe('b');
  });
});

describe('offline bundle', () => {
  it('checks every file against SHA256SUMS and maps bin/, cni/ and debs/', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ks-bundle-'));
    await mkdir(join(dir, 'bin'));
    await mkdir(join(dir, 'cni'));
    await mkdir(join(dir, 'debs'));
    await writeFile(join(dir, 'bin', 'etcd'), 'e');
    await writeFile(join(dir, 'cni', 'bridge'), 'b');
    await writeFile(join(dir, 'debs', 'conntrack_1.4.7-1_amd64.deb'), 'd');
    await writeFile(
      join(dir, 'SHA256SUMS'),
      `${sha('e')}  bin/etcd\n${sha('b')}  cni/bridge\n${sha('d')}  debs/conntrack_1.4.7-1_amd64.deb\n`,
    );
    const set = await loadBundle(dir);
    expect(set.files.map((f) => [f.component, f.name])).toEqual([
      ['etcd', 'etcd'],
      ['cni', 'bridge'],
    ]);
    expect(set.packages.map((p) => p.name)).toEqual(['conntrack']);
    await writeFile(join(dir, 'bin', 'etcd'), 'tampered');
    await expect(loadBundle(dir)).rejects.toMatchObject({ name: 'ChecksumMismatch' });
    await rm(dir, { recursive: true, force: true });
  });
});
