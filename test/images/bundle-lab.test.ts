import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeployRun } from '../../src-shared/model/deploy-run';
import { buildBundles } from '../../src-main/bundle/build';
import { loadBundle } from '../../src-main/deploy/binaries/bundle';
import { imagesFor } from '../../src-main/deploy/images';
import { RELEASES } from '../../src-main/deploy/versions';
import { parseReference } from '../../src-main/images/reference';
import { prepareLabDeploy, type LabDeploy } from '../deploy/lab-cluster';
import { resetDeployedHosts } from '../deploy/lab-reset';
import { labDown, labUp, type LabHost } from '../lab/lab';
import { labSsh } from '../lab/ssh';
import { labSkipReason, suiteName } from '../lab/support';
import { fillDisk, freeDisk } from '../lab/faults';
import { hostShell } from '../lab/host-exec';
import { IMAGES_DIR, imagePresent } from '../../src-main/deploy/phases/images';
import type { LocalImage } from '../../src-main/deploy/binaries/types';
import { lastImportProgress } from '../../src-shared/model/image-import';
import { seedImage, startRegistry, type TestRegistry } from './registry';
import { putCluster } from '../support/store/test-clusters';

const LAB_WAIVE = ['cgroup2'] as const;
const CONTENT = '/var/lib/containerd/io.containerd.content.v1.content';
const CHOICE = { cni: ['flannel' as const], addons: { coredns: true, metricsServer: false, headlamp: false } };

async function sh(host: LabHost, command: string): Promise<string> {
  const r = await labSsh(host.address, command);
  if (r.code !== 0) throw new Error(`${host.name}: ${command} → exit ${r.code}: ${r.stderr}${r.stdout}`);
  return r.stdout;
}

const failures = (run: DeployRun, lab: LabDeploy) =>
  JSON.stringify(
    run.hosts.filter((h) => h.state !== 'succeeded').map((h) => ({ host: h.hostName, cause: h.cause })),
    null,
    1,
  ) + lab.logs.slice(-30).join('\n');

/**
 * Lab hosts have no route out: every image the plan runs comes from a bundle made by the builder (pulled from a real
 * registry on this machine through per-registry mirror prefixes) and is imported into containerd before the kubelet.
 */
describe.skipIf(labSkipReason)(suiteName('deploy from a bundle with images on lab hosts'), () => {
  let hosts: LabHost[];
  let lab: LabDeploy;
  let registry: TestRegistry;
  let digests: string[];
  let bundled: LocalImage[];

  beforeAll(async () => {
    registry = await startRegistry();
    for (const { ref } of imagesFor(RELEASES['1.36']!, CHOICE)) {
      const r = parseReference(ref);
      seedImage(registry, `mirror/${r.registry}/${r.repository}`, r.tag!);
    }
    hosts = await labUp(3);
    await resetDeployedHosts(hosts);
    // A first import must really import: containerd's store from an earlier suite goes too.
    await Promise.all(hosts.map((h) => labSsh(h.address, 'rm -rf /var/lib/containerd')));
    lab = await prepareLabDeploy(hosts, { settings: { cni: 'flannel', addons: CHOICE.addons } });
    const out = join(lab.dataDir, 'bundle-with-images');
    const mirrors = Object.fromEntries(
      ['docker.io', 'registry.k8s.io', 'quay.io', 'ghcr.io'].map((r) => [r, `${registry.url}/mirror/${r}`]),
    );
    await buildBundles({
      versions: ['1.36'],
      ...CHOICE,
      arches: ['amd64'],
      out,
      binaries: { kind: 'folder', path: join(lab.dataDir, 'bundle') },
      mirrors,
      cacheDir: join(lab.dataDir, 'cache'),
    });
    bundled = (await loadBundle(out)).images!;
    digests = bundled.map((i) => i.digest);
    lab.cluster = await putCluster(lab.workspace, {
      ...lab.cluster,
      settings: { ...lab.cluster.settings, binarySource: { kind: 'offline', folder: out } },
    });
  });

  afterAll(async () => {
    await labDown();
    await registry?.stop();
    if (lab) rmSync(lab.dataDir, { recursive: true, force: true });
  });

  it('imports every image on every host before the kubelet, pins the pause image; a second run imports nothing', async () => {
    const { plan } = await lab.service.plan('lab', LAB_WAIVE);
    const titles = plan.phases.find((p) => p.id === 'runtime')!.jobs[0]!.steps.map((s) => s.title);
    for (const d of digests) expect(titles.some((t) => t.includes(d.slice(0, 19)))).toBe(true);

    const first = await (await lab.service.start('lab', { mode: 'fresh', stopAfter: 'runtime', waive: LAB_WAIVE })).done;
    expect(first.state, failures(first, lab)).toBe('succeeded');
    for (const h of hosts) {
      const listed = await sh(h, '/usr/local/bin/ctr -n k8s.io images ls');
      for (const d of digests) expect(listed, h.name).toContain(d);
      expect(await sh(h, 'cat /etc/containerd/config.toml')).toContain(RELEASES['1.36']!.pauseImage);
    }

    // Each host's log (the run's event path the Deploy screen reads) ends its import with the whole list done.
    for (const h of first.hosts) {
      const mine = lab.logs.filter((l) => l.startsWith(`${h.hostId}: `)).map((l) => ({ line: l.slice(h.hostId.length + 2) }));
      expect(lastImportProgress(mine), h.hostName).toMatchObject({ done: digests.length, total: digests.length, state: 'imported' });
    }

    const second = await (await lab.service.start('lab', { mode: 'fresh', stopAfter: 'runtime', waive: LAB_WAIVE })).done;
    expect(second.state, failures(second, lab)).toBe('succeeded');
    // An import that ran would count as a change: every one was skipped by its digest check.
    expect(second.counts.changed).toBe(0);
    expect(second.bytesUploaded).toBe(0);
    console.log(`[bundle-lab] first run uploaded ${(first.bytesUploaded / 1e6).toFixed(1)} MB, second ${second.bytesUploaded} bytes`);
  });
  it('a full disk while importing names the host and the disk, keeps nothing half-imported; a rerun after freeing it imports', async () => {
    const [full, staging, other] = hosts;
    // node1: containerd's content store is a disk of its own, full (containerd starts afresh with it mounted).
    await hostShell(
      full!,
      `systemctl stop containerd && rm -rf /var/lib/containerd && mkdir -p ${CONTENT} && mount -t tmpfs -o size=32m lab-full ${CONTENT} && ` +
        `systemctl start containerd && { dd if=/dev/zero of=${CONTENT}/.lab-fill bs=64k 2>/dev/null; true; }`,
    );
    // node2: the archives' staging folder is full (and empty of them), so the copy itself fails.
    await sh(staging!, `rm -f ${IMAGES_DIR}/*`);
    await fillDisk(staging!, IMAGES_DIR, 1);
    try {
      const failed = await (await lab.service.start('lab', { mode: 'fresh', stopAfter: 'runtime', waive: LAB_WAIVE })).done;
      const row = (name: string) => failed.hosts.find((h) => h.hostName === name)!;
      expect(row(full!.name).state, failures(failed, lab)).toBe('failed');
      expect(row(full!.name).cause?.stepId).toMatch(/^runtime\/[^/]+\/image-/);
      expect(row(full!.name).cause?.message).toMatch(
        new RegExp(
          `${full!.name}: no space left on containerd's disk \\(${CONTENT} on lab-full, 0\\.0 MB free of 32\\.0 MB\\) while importing`,
        ),
      );
      expect(row(staging!.name).cause).toMatchObject({ name: 'DiskFull' });
      expect(row(staging!.name).cause?.message).toContain(`${staging!.name}: the disk holding ${IMAGES_DIR}/`);
      expect(row(other!.name).state).toBe('succeeded');
      // Nothing half-imported is recorded: an image containerd lists is one the deploy's own check takes as imported.
      const listed = (await sh(full!, '/usr/local/bin/ctr -n k8s.io images ls -q')).split('\n');
      const present = (h: LabHost, i: LocalImage) => labSsh(h.address, imagePresent(i).command).then((r) => r.code === 0);
      for (const i of bundled) if (listed.includes(i.ref)) expect(await present(full!, i), i.ref).toBe(true);
      expect((await Promise.all(bundled.map((i) => present(full!, i)))).includes(false)).toBe(true);
      // The staging folder holds no half-copied archive.
      expect((await sh(staging!, `ls -A ${IMAGES_DIR}`)).trim().split('\n')).toEqual(['.lab-fill']);

      await sh(full!, `rm ${CONTENT}/.lab-fill`);
      await freeDisk(staging!, IMAGES_DIR);
      // Fresh: every step checks the host (the journal still holds this host's imports from the first test, before its store was emptied).
      const again = await (await lab.service.start('lab', { mode: 'fresh', stopAfter: 'runtime', waive: LAB_WAIVE })).done;
      expect(again.state, failures(again, lab)).toBe('succeeded');
      for (const i of bundled) expect(await present(full!, i), i.ref).toBe(true);
      console.log(`[bundle-lab] full disk: ${row(full!.name).cause?.message} | ${row(staging!.name).cause?.message}`);
    } finally {
      await labSsh(full!.address, `systemctl stop containerd; umount ${CONTENT}; systemctl start containerd`);
      await labSsh(staging!.address, `umount ${IMAGES_DIR} 2>/dev/null; true`);
    }
  });
});
