import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HostTransfer } from '../../src-shared/model/deploy-run';
import { planSteps } from '../../src-shared/model/plan';
import { cutLink, restoreLink } from '../lab/faults';
import { labDown, labUp, type LabHost } from '../lab/lab';
import { shapeHostPort, unshapeHostPort } from '../lab/shaping';
import { labSsh } from '../lab/ssh';
import { labSkipReason, suiteName } from '../lab/support';
import { prepareLabDeploy } from './lab-cluster';
import { resetDeployedHosts } from './lab-reset';

const WAIVE = ['cgroup2'] as const;
const MiB = 1024 * 1024;

/**
 * A direct upload cut mid-file (the host's cable pulled while its row shows the transfer a third done) continues on
 * Resume from the bytes the host already has: fewer bytes than the whole file, and every installed file's SHA-256 right.
 */
describe.skipIf(labSkipReason)(suiteName('an upload resumed at its byte offset after a cut link'), () => {
  let hosts: LabHost[];
  const dirs: string[] = [];

  beforeAll(async () => {
    hosts = await labUp(3);
  });
  afterAll(async () => {
    await restoreLink(hosts[2]!).catch(() => undefined);
    await unshapeHostPort(hosts[2]!).catch(() => undefined);
    await resetDeployedHosts(hosts).catch(() => undefined);
    await labDown();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('Resume sends only the rest of the cut file and installs every file whole', async () => {
    await resetDeployedHosts(hosts);
    const victim = hosts[2]!;
    const lab = await prepareLabDeploy(hosts, { transfer: 'direct' });
    dirs.push(lab.dataDir);
    const victimId = `id-${victim.name}`;
    // The bytes reaching node3 at a home uplink's speed, so the test sees the upload in flight and cuts it mid-file.
    await shapeHostPort(victim, 50);
    let cutAt: HostTransfer | undefined;
    try {
      const started = await lab.service.start('lab', { mode: 'fresh', stopAfter: 'binaries', waive: WAIVE });
      const watcher = setInterval(() => {
        void lab.service.status('lab').then(async (s) => {
          const t = s.run?.hosts.find((h) => h.hostId === victimId)?.transfer;
          if (cutAt || !t || t.totalBytes < 8 * MiB || t.doneBytes < t.totalBytes / 3) return;
          cutAt = t;
          await cutLink(victim);
        });
      }, 50);
      const first = await started.done.finally(() => clearInterval(watcher));
      expect(cutAt, 'the watcher saw node3 receive a file of 8 MiB or more').toBeDefined();
      console.log(`[upload-resume] cut during ${cutAt!.path}: ${cutAt!.doneBytes} of ${cutAt!.totalBytes} bytes shown`);
      const v = first.hosts.find((h) => h.hostId === victimId)!;
      expect(v.state).toBe('failed');
      expect(first.hosts.filter((h) => h.hostId !== victimId).map((h) => h.state)).toEqual(['succeeded', 'succeeded']);
    } finally {
      await restoreLink(victim);
      await unshapeHostPort(victim);
    }

    const logStart = lab.logs.length;
    const resumed = await (await lab.service.start('lab', { mode: 'resume', stopAfter: 'binaries', waive: WAIVE })).done;
    expect(resumed.state, JSON.stringify(resumed.hosts.map((h) => h.cause))).toBe('succeeded');
    const logs = lab.logs.slice(logStart).filter((l) => l.startsWith(`${victimId}: `));
    const path = cutAt!.path;
    const line = logs.find((l) => l.includes(`continuing the upload of ${path} at `));
    expect(line, logs.join('\n')).toBeDefined();
    const [, offset, total] = /at (\d+) of (\d+) bytes/.exec(line!)!.map(Number) as [number, number, number];
    console.log(`[upload-resume] Resume: ${path} continued at ${offset} of ${total} bytes, sent ${total - offset}`);
    expect(offset).toBeGreaterThan(0);
    expect(total).toBe(cutAt!.totalBytes);
    // The cut file cost the rest of its bytes, not all of them again.
    expect(logs).toContain(`${victimId}: wrote ${path}, ${total - offset} bytes`);

    // Every artifact on every host has the plan's SHA-256, and no partial file is left beside any of them.
    const { plan } = await lab.service.plan('lab', [...WAIVE]);
    for (const host of hosts) {
      const files = planSteps(plan).filter((s) => s.hostId === `id-${host.name}` && s.action.kind === 'file' && s.action.localPath);
      const want = new Map(files.map((s) => [(s.action as { path: string }).path, (s.action as { sha256: string }).sha256]));
      const paths = [...want.keys()];
      const script = paths.map((p) => `if [ -f '${p}' ]; then sha256sum '${p}' | cut -c1-64; else echo -; fi`).join('; ');
      const sums = (await labSsh(host.address, script)).stdout.trim().split('\n');
      expect(Object.fromEntries(paths.map((p, i) => [p, sums[i]])), host.name).toEqual(Object.fromEntries(want));
      const dirsOf = [...new Set(paths.map((p) => p.slice(0, p.lastIndexOf('/'))))];
      const parts = await labSsh(host.address, `find ${dirsOf.map((d) => `'${d}'`).join(' ')} -maxdepth 1 -name '.*.ks-*.part'`);
      expect(parts.stdout.trim(), host.name).toBe('');
    }
  });
});
