// Image import time per host, for the bundle bench: the bundle's archives are copied to lab hosts (deployed up to the
// runtime phase, so containerd runs), then imported with the deploy's own import commands on 1 host and on 3 hosts at
// once. The reference is a plain `ctr images import` of the same archives on one host, run here in the same session.
import { spawn } from 'node:child_process';
import { createReadStream, rmSync } from 'node:fs';
import { basename } from 'node:path';
import type { LocalImage } from '../../src-main/deploy/binaries/types';
import { IMAGES_DIR, imagePresent, importCommand } from '../../src-main/deploy/phases/images';
import { labUp, type LabHost } from '../../test/lab/lab';
import { labUnsupportedReason } from '../../test/lab/preflight';
import { labSsh, sshArgs } from '../../test/lab/ssh';
import { prepareLabDeploy } from '../../test/deploy/lab-cluster';
import { resetDeployedHosts } from '../../test/deploy/lab-reset';

const CTR = '/usr/local/bin/ctr --address /run/containerd/containerd.sock -n k8s.io';
const archiveOf = (i: LocalImage) => `${IMAGES_DIR}/${basename(i.localPath)}`;

async function ssh(host: LabHost, command: string): Promise<string> {
  const r = await labSsh(host.address, command, { timeoutMs: 600_000 });
  if (r.code !== 0) throw new Error(`${host.name}: ${command.slice(0, 200)} → exit ${r.code}: ${r.stderr}${r.stdout}`);
  return r.stdout;
}

function copy(host: LabHost, from: string, to: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('ssh', [...sshArgs(), `root@${host.address}`, `mkdir -p ${IMAGES_DIR} && cat > ${to}`], {
      stdio: ['pipe', 'ignore', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`${host.name}: copying ${to} failed: ${err}`))));
    createReadStream(from).on('error', reject).pipe(child.stdin);
  });
}

/** Removes the images and their content now (not at containerd's next garbage collection), so the next import is a whole one. */
const clean = (host: LabHost, images: LocalImage[]) =>
  ssh(host, `${CTR} images rm --sync ${images.map((i) => i.ref).join(' ')} >/dev/null 2>&1; true`);

/** What the deploy's import steps run on a host: each image's digest check, then its import when the check fails. */
function kubesmithImports(host: LabHost, images: LocalImage[]): string {
  const totalBytes = images.reduce((n, i) => n + i.size, 0);
  let doneBytes = 0;
  return images
    .map((image, index) => {
      const before = { done: index, total: images.length, doneBytes, totalBytes, state: 'importing' as const, ref: image.ref };
      doneBytes += image.size;
      return `if ! { ${imagePresent(image).command}; }; then ${importCommand(host.name, image, archiveOf(image), before).command} || exit 1; fi`;
    })
    .join('\n');
}

async function timed(work: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await work();
  return (performance.now() - t0) / 1000;
}

export async function benchImports(images: LocalImage[]): Promise<void> {
  const reason = labUnsupportedReason();
  if (reason) {
    console.log(`image import on lab hosts skipped: ${reason}`);
    return;
  }
  const hosts = await labUp(3);
  await resetDeployedHosts(hosts);
  const lab = await prepareLabDeploy(hosts);
  try {
    const run = await (await lab.service.start('lab', { mode: 'fresh', stopAfter: 'runtime', waive: ['cgroup2'] })).done;
    if (run.state !== 'succeeded')
      throw new Error(`lab deploy to runtime ${run.state}: ${JSON.stringify(run.hosts.map((h) => h.cause?.message))}`);
    for (const h of hosts) for (const i of images) await copy(h, i.localPath, archiveOf(i));
    const [first] = hosts as [LabHost];
    await clean(first, images);
    const plainS = await timed(() => ssh(first, images.map((i) => `${CTR} images import ${archiveOf(i)} >/dev/null`).join(' && ')));
    await clean(first, images);
    const oneS = await timed(() => ssh(first, kubesmithImports(first, images)));
    await Promise.all(hosts.map((h) => clean(h, images)));
    const threeS = await Promise.all(hosts.map((h) => timed(() => ssh(h, kubesmithImports(h, images)))));
    const mb = images.reduce((n, i) => n + i.size, 0) / 1e6;
    const s = (x: number) => `${x.toFixed(2)} s`;
    console.log(`image import: ${images.length} archives, ${mb.toFixed(1)} MB per host`);
    console.log(`plain ctr import, 1 host:    ${s(plainS)}`);
    console.log(`kubesmith import, 1 host:    ${s(oneS)} (ratio to plain ${(oneS / plainS).toFixed(2)})`);
    console.log(
      `kubesmith import, 3 hosts:   ${hosts.map((h, n) => `${h.name} ${s(threeS[n]!)}`).join(', ')} (slowest/plain ${(Math.max(...threeS) / plainS).toFixed(2)})`,
    );
  } finally {
    rmSync(lab.dataDir, { recursive: true, force: true });
  }
}
