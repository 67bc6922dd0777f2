import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync, existsSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUNDLE_COMPLETE, BundleIndexSchema } from '../../src-shared/model/bundle';
import { buildBundles } from '../../src-main/bundle/build';
import type { BundleRequest } from '../../src-main/bundle/options';
import { loadBundle } from '../../src-main/deploy/binaries/bundle';
import { imagesFor } from '../../src-main/deploy/images';
import { RELEASES } from '../../src-main/deploy/versions';
import { parseReference } from '../../src-main/images/reference';
import { startFrontDoor, type FrontDoor } from './front-door';
import { seedImage, startRegistry, type TestRegistry } from './registry';

const VERSION = '1.36';
const CHOICE = { cni: ['flannel' as const], addons: { coredns: false, metricsServer: false, headlamp: false } };
const WANTED = imagesFor(RELEASES[VERSION]!, CHOICE);

let registry: TestRegistry;
let door: FrontDoor;
let work: string;
let binaries: string;

/** Every file under dir, relative. */
function tree(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(dir.length + 1));
}

/** A small binaries folder (bin/kubelet …) with its SHA256SUMS, standing for downloaded binaries. */
function binariesFolder(dir: string): string {
  mkdirSync(join(dir, 'bin'), { recursive: true });
  const lines: string[] = [];
  for (const name of ['kubelet', 'containerd', 'ctr']) {
    const body = `#!/bin/sh\necho ${name}\n`;
    writeFileSync(join(dir, 'bin', name), body, { mode: 0o755 });
    lines.push(`${createHash('sha256').update(body).digest('hex')}  bin/${name}`);
  }
  writeFileSync(join(dir, 'SHA256SUMS'), `${lines.join('\n')}\n`);
  return dir;
}

function request(out: string, over: Partial<BundleRequest> = {}): BundleRequest {
  const mirrors = Object.fromEntries(['docker.io', 'registry.k8s.io', 'quay.io', 'ghcr.io'].map((r) => [r, `${door.url}/mirror/${r}`]));
  return {
    versions: [VERSION],
    ...CHOICE,
    arches: ['amd64'],
    out,
    binaries: { kind: 'folder', path: binaries },
    mirrors,
    cacheDir: join(work, 'cache'),
    ...over,
  };
}

/** What the registry itself says, read by skopeo: the tag's index digest and its linux/amd64 entry. */
function registryDigests(ref: string): { index: string; amd64: string } {
  const r = parseReference(ref);
  const at = `docker://127.0.0.1:${registry.port}/mirror/${r.registry}/${r.repository}:${r.tag}`;
  const skopeo = (args: string[]) => {
    const out = spawnSync('skopeo', ['inspect', '--tls-verify=false', ...args, at], { encoding: 'utf8' });
    if (out.status !== 0) throw new Error(out.stderr);
    return out.stdout.trim();
  };
  const raw = JSON.parse(skopeo(['--raw'])) as { manifests: Array<{ digest: string; platform: { architecture: string } }> };
  return { index: skopeo(['--format', '{{.Digest}}']), amd64: raw.manifests.find((m) => m.platform.architecture === 'amd64')!.digest };
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'ks-bundle-'));
  binaries = binariesFolder(join(work, 'binaries'));
  registry = await startRegistry();
  for (const { ref } of WANTED) {
    const r = parseReference(ref);
    seedImage(registry, `mirror/${r.registry}/${r.repository}`, r.tag!);
  }
  door = await startFrontDoor(registry.url);
  // Bigger than the small disk of the full-disk test: 1 MB of random bytes gzip cannot shrink.
  const { randomBytes } = await import('node:crypto');
  for (const { ref } of WANTED.filter((w) => w.ref.startsWith('registry.k8s.io/'))) {
    const r = parseReference(ref);
    seedImage(registry, `big/${r.registry}/${r.repository}`, r.tag!, { arches: ['amd64'], files: { 'data/blob': randomBytes(1 << 20) } });
  }
});

afterAll(async () => {
  await door?.close();
  await registry?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('bundle builder against a real registry behind a token front door', () => {
  it('makes a complete bundle: every image as an OCI archive with the registry digests, the binaries, SHA256SUMS, marker last', async () => {
    const out = join(work, 'b1');
    const events: string[] = [];
    const [built] = await buildBundles(request(out), (p) => events.push(`${p.stage}:${p.done}/${p.total}`));
    expect(built!.images).toBe(WANTED.length);
    expect(door.tokenRequests.length).toBeGreaterThan(0);
    expect(door.tokenRequests[0]!.get('service')).toBe('front-door.test');
    expect(door.tokenRequests[0]!.get('scope')).toMatch(/^repository:mirror\/.+:pull$/);
    expect(events).toContain(`images:${WANTED.length}/${WANTED.length}`);
    expect(events.at(-1)).toBe('done:1/1');

    const index = BundleIndexSchema.parse(JSON.parse(readFileSync(join(out, 'bundle.json'), 'utf8')));
    expect(index.images.map((i) => i.ref)).toEqual(WANTED.map((w) => w.ref));
    for (const image of index.images) {
      const truth = registryDigests(image.ref);
      expect(image.digest).toBe(truth.amd64);
      expect(image.indexDigest).toBe(truth.index);
      // skopeo reads the archive as an OCI layout and finds the same manifest.
      const raw = spawnSync('skopeo', ['inspect', '--raw', `oci-archive:${join(out, image.archive)}`]);
      expect(raw.status, raw.stderr?.toString()).toBe(0);
      expect(`sha256:${createHash('sha256').update(raw.stdout).digest('hex')}`).toBe(image.digest);
      expect(image.size).toBe(statSync(join(out, image.archive)).size);
    }
    const loaded = await loadBundle(out);
    expect(loaded.images?.map((i) => i.digest)).toEqual(index.images.map((i) => i.digest));
    expect(loaded.files.map((f) => f.name).sort()).toEqual(['containerd', 'ctr', 'kubelet']);
    expect(existsSync(join(out, '.kubesmith-work'))).toBe(false);
  });

  it('refuses a bundle with a damaged archive, naming the file, and an unfinished one', async () => {
    const out = join(work, 'b2');
    await buildBundles(request(out));
    const archive = join(out, JSON.parse(readFileSync(join(out, 'bundle.json'), 'utf8')).images[1].archive);
    const bytes = readFileSync(archive);
    bytes[600] = bytes[600]! ^ 1;
    writeFileSync(archive, bytes);
    await expect(loadBundle(out)).rejects.toMatchObject({
      name: 'ChecksumMismatch',
      message: expect.stringContaining(archive.slice(out.length + 1)),
    });
    rmSync(join(out, BUNDLE_COMPLETE));
    await expect(loadBundle(out)).rejects.toMatchObject({ name: 'BundleIncomplete', message: expect.stringContaining(BUNDLE_COMPLETE) });
  });

  it('refuses a corrupted blob and keeps nothing of it; the next run completes', async () => {
    const out = join(work, 'b3');
    door.fault = { kind: 'corrupt-blob' };
    await expect(buildBundles(request(out))).rejects.toMatchObject({ name: 'ImageDigestMismatch' });
    expect(tree(out).filter((f) => f.endsWith('.partial') || f.endsWith('.part') || f.endsWith(BUNDLE_COMPLETE))).toEqual([]);
    await buildBundles(request(out));
    await expect(loadBundle(out)).resolves.toMatchObject({ images: expect.any(Array) });
  });

  it('refuses a manifest whose bytes are not its digest', async () => {
    const out = join(work, 'b4');
    door.fault = { kind: 'alter-manifest' };
    await expect(buildBundles(request(out))).rejects.toMatchObject({
      name: 'ManifestDigestMismatch',
      message: expect.stringContaining(WANTED[0]!.ref),
    });
    expect(existsSync(join(out, BUNDLE_COMPLETE))).toBe(false);
  });

  it('resumes a blob download cut halfway with a Range request', async () => {
    const out = join(work, 'b5');
    door.fault = { kind: 'cut-blob' };
    door.ranges.length = 0;
    await expect(buildBundles(request(out))).rejects.toMatchObject({ name: 'ImageDownloadFailed' });
    expect(existsSync(join(out, BUNDLE_COMPLETE))).toBe(false);
    const partials = tree(out).filter((f) => f.endsWith('.partial'));
    expect(partials).toHaveLength(1);
    const kept = statSync(join(out, partials[0]!)).size;
    expect(kept).toBeGreaterThan(0);
    await buildBundles(request(out));
    expect(door.ranges).toEqual([`bytes=${kept}-`]);
    await expect(loadBundle(out)).resolves.toMatchObject({ images: expect.any(Array) });
  });

  it('says the disk is full, naming the file, and leaves nothing half-written', async () => {
    const disk = join(work, 'small-disk');
    mkdirSync(disk);
    const mount = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=512k', 'tmpfs', disk], { encoding: 'utf8' });
    expect(mount.status, mount.stderr).toBe(0);
    try {
      const req = request(join(disk, 'bundle'));
      req.mirrors!['registry.k8s.io'] = `${door.url}/big/registry.k8s.io`;
      const err = await buildBundles(req).then(
        () => undefined,
        (e: Error & { details?: { file?: string } }) => e,
      );
      expect(err).toMatchObject({ name: 'DiskFull', message: expect.stringContaining(disk) });
      expect(err!.details!.file).toContain(disk);
      const left = tree(disk);
      expect(left.filter((f) => /\.(part|partial|tmp)$/.test(f) || f.endsWith(BUNDLE_COMPLETE))).toEqual([]);
      await expect(loadBundle(join(disk, 'bundle'))).rejects.toMatchObject({ name: 'BundleInvalid' });
    } finally {
      spawnSync('umount', [disk]);
    }
  });

  it('asks the token service with the registry credentials, and says so when they are missing', async () => {
    const locked = await startFrontDoor(registry.url, { credentials: { username: 'lab', password: 's3cret' } });
    try {
      const req = request(join(work, 'b6'));
      req.mirrors = Object.fromEntries(Object.keys(req.mirrors!).map((r) => [r, `${locked.url}/mirror/${r}`]));
      await expect(buildBundles(req)).rejects.toMatchObject({
        name: 'RegistryDenied',
        message: expect.stringContaining('token service answered 401'),
      });
      const creds = { username: 'lab', password: 's3cret' };
      const built = await buildBundles({ ...req, credentials: { 'registry.k8s.io': creds, 'ghcr.io': creds } });
      expect(built[0]!.images).toBe(WANTED.length);
    } finally {
      await locked.close();
    }
  });
});
