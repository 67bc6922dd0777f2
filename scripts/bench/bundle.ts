// Bundle build throughput against a plain download (curl) of the same bytes from the same loopback registry.
// Then the bundle's images imported on lab hosts (see _image-import.ts; skipped without the lab).
// Debian's docker-registry on 127.0.0.1, seeded with images of random (incompressible) layers; the builder pulls them
// through a mirror prefix, verifies every digest and writes OCI archives; curl fetches the same blobs to files.
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildBundles } from '../../src-main/bundle/build';
import { imagesFor } from '../../src-main/deploy/images';
import { RELEASES } from '../../src-main/deploy/versions';
import { parseReference } from '../../src-main/images/reference';
import { seedImage, startRegistry } from '../../test/images/registry';
import { loadBundle } from '../../src-main/deploy/binaries/bundle';
import { benchImports } from './_image-import';

const LAYER_MB = Number(process.env.BENCH_LAYER_MB ?? 24);
const CHOICE = { cni: ['flannel' as const], addons: { coredns: false, metricsServer: false, headlamp: false } };

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'ks-bench-bundle-'));
  const registry = await startRegistry();
  try {
    const wanted = imagesFor(RELEASES['1.36']!, CHOICE);
    for (const { ref } of wanted) {
      const r = parseReference(ref);
      seedImage(registry, `mirror/${r.registry}/${r.repository}`, r.tag!, {
        arches: ['amd64'],
        files: { 'data/blob': randomBytes(LAYER_MB << 20) },
      });
    }
    const bin = join(work, 'binaries');
    mkdirSync(join(bin, 'bin'), { recursive: true });
    writeFileSync(join(bin, 'bin', 'kubelet'), 'stand-in');
    writeFileSync(join(bin, 'SHA256SUMS'), `${createHash('sha256').update('stand-in').digest('hex')}  bin/kubelet\n`);
    const mirrors = Object.fromEntries(
      ['docker.io', 'registry.k8s.io', 'quay.io', 'ghcr.io'].map((r) => [r, `${registry.url}/mirror/${r}`]),
    );

    // The reference: curl fetches each manifest and every blob it names into files, no checks.
    const urls: string[] = [];
    for (const { ref } of wanted) {
      const r = parseReference(ref);
      const base = `${registry.url}/v2/mirror/${r.registry}/${r.repository}`;
      const manifest = (await (
        await fetch(`${base}/manifests/${r.tag}`, { headers: { accept: 'application/vnd.oci.image.manifest.v1+json' } })
      ).json()) as {
        config: { digest: string };
        layers: Array<{ digest: string }>;
      };
      urls.push(`${base}/manifests/${r.tag}`, ...[manifest.config, ...manifest.layers].map((b) => `${base}/blobs/${b.digest}`));
    }
    const plainDir = join(work, 'plain');
    mkdirSync(plainDir);
    const curlArgs = urls.flatMap((u, i) => ['-o', join(plainDir, String(i)), u]);
    let started = process.hrtime.bigint();
    const curl = spawnSync('curl', ['-sS', '--fail', '-H', 'Accept: application/vnd.oci.image.manifest.v1+json', ...curlArgs]);
    const plainS = Number(process.hrtime.bigint() - started) / 1e9;
    if (curl.status !== 0) throw new Error(`curl failed: ${curl.stderr}`);

    started = process.hrtime.bigint();
    let bytes = 0;
    const built = await buildBundles(
      {
        versions: ['1.36'],
        ...CHOICE,
        arches: ['amd64'],
        out: join(work, 'bundle'),
        binaries: { kind: 'folder', path: bin },
        mirrors,
        cacheDir: join(work, 'cache'),
      },
      (p) => (bytes = p.bytes),
    );
    const bundleS = Number(process.hrtime.bigint() - started) / 1e9;
    const mb = bytes / 1e6;
    console.log(`images: ${wanted.length}, ${mb.toFixed(1)} MB of blobs`);
    console.log(`plain curl download:  ${plainS.toFixed(2)} s (${(mb / plainS).toFixed(0)} MB/s)`);
    console.log(
      `bundle build:         ${bundleS.toFixed(2)} s (${(mb / bundleS).toFixed(0)} MB/s; digests verified, OCI archives, SHA256SUMS)`,
    );
    console.log(`ratio bundle/plain:   ${(bundleS / plainS).toFixed(2)}`);
    await benchImports((await loadBundle(built[0]!.folder)).images ?? []);
  } finally {
    await registry.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

void main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
