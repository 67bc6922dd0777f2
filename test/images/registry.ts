import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onFreePort } from '../support/free-port';

export interface TestRegistry {
  url: string;
  port: number;
  stop(): Promise<void>;
}

/** Debian's docker-registry (the CNCF distribution registry) on 127.0.0.1, storage in a temp folder. */
export async function startRegistry(): Promise<TestRegistry> {
  const dir = mkdtempSync(join(tmpdir(), 'ks-registry-'));
  const { child, port } = await onFreePort((p) => startRegistryOn(dir, p));
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Up once it answers /v2/ while still running (an answer from another server on a taken port does not count). */
async function startRegistryOn(dir: string, port: number): Promise<{ child: ChildProcess; port: number }> {
  const config = join(dir, 'config.yml');
  writeFileSync(
    config,
    [
      'version: 0.1',
      'log: {level: error}',
      `storage: {filesystem: {rootdirectory: ${join(dir, 'storage')}}, delete: {enabled: true}}`,
      `http: {addr: "127.0.0.1:${port}"}`,
    ].join('\n'),
  );
  const child: ChildProcess = spawn('docker-registry', ['serve', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  child.on('error', () => undefined);
  for (let i = 0; ; i++) {
    try {
      const answer = await fetch(`http://127.0.0.1:${port}/v2/`);
      if (answer.ok && answer.headers.get('docker-distribution-api-version') && child.exitCode === null) return { child, port };
    } catch {
      // not listening yet
    }
    if (i > 300 || child.exitCode !== null) {
      child.kill('SIGKILL');
      throw new Error(`docker-registry did not start: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

function run(cmd: string, args: string[], cwd?: string): void {
  const r = spawnSync(cmd, args, { encoding: 'utf8', ...(cwd ? { cwd } : {}) });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr || r.stdout}`);
}

export interface SeedOptions {
  arches?: Array<'amd64' | 'arm64'>;
  /** Files of the one layer, path in the root file system → content. */
  files?: Record<string, string | Buffer>;
}

/**
 * Builds a small image with umoci (one layer with the given files, per architecture), joins the architectures in an
 * OCI index when there are several, and pushes it with skopeo to registry/<repository>:<tag>. Returns the digest
 * of what the tag names (the index, or the one manifest).
 */
export function seedImage(registry: TestRegistry, repository: string, tag: string, opts: SeedOptions = {}): string {
  const arches = opts.arches ?? ['amd64', 'arm64'];
  const work = mkdtempSync(join(tmpdir(), 'ks-seed-'));
  try {
    const layout = join(work, 'layout');
    run('umoci', ['init', '--layout', layout]);
    for (const arch of arches) {
      const image = `${layout}:${tag}-${arch}`;
      run('umoci', ['new', '--image', image]);
      const bundle = join(work, `bundle-${arch}`);
      run('umoci', ['unpack', '--rootless', '--image', image, bundle]);
      const files = opts.files ?? { 'etc/image': `${repository}:${tag} ${arch}\n` };
      for (const [path, content] of Object.entries(files)) {
        const full = join(bundle, 'rootfs', path);
        mkdirSync(join(full, '..'), { recursive: true });
        writeFileSync(full, typeof content === 'string' ? content.replace('{arch}', arch) : content);
      }
      run('umoci', ['repack', '--image', image, bundle]);
      run('umoci', ['config', '--image', image, '--os', 'linux', '--architecture', arch]);
    }
    const index = JSON.parse(readFileSync(join(layout, 'index.json'), 'utf8')) as {
      manifests: Array<{ mediaType: string; digest: string; size: number; annotations?: Record<string, string> }>;
    };
    const byTag = (t: string) => index.manifests.find((m) => m.annotations?.['org.opencontainers.image.ref.name'] === t)!;
    let pushTag = `${tag}-${arches[0]}`;
    let digest = byTag(pushTag).digest;
    if (arches.length > 1) {
      const body = JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.index.v1+json',
        manifests: arches.map((arch) => {
          const m = byTag(`${tag}-${arch}`);
          return { mediaType: m.mediaType, digest: m.digest, size: m.size, platform: { os: 'linux', architecture: arch } };
        }),
      });
      const hex = createHash('sha256').update(body).digest('hex');
      writeFileSync(join(layout, 'blobs', 'sha256', hex), body);
      index.manifests.push({
        mediaType: 'application/vnd.oci.image.index.v1+json',
        digest: `sha256:${hex}`,
        size: Buffer.byteLength(body),
        annotations: { 'org.opencontainers.image.ref.name': tag },
      });
      writeFileSync(join(layout, 'index.json'), JSON.stringify(index));
      pushTag = tag;
      digest = `sha256:${hex}`;
    }
    run('skopeo', [
      'copy',
      '--all',
      '--dest-tls-verify=false',
      `oci:${layout}:${pushTag}`,
      `docker://127.0.0.1:${registry.port}/${repository}:${tag}`,
    ]);
    return digest;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
