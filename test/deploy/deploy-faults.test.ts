import { rmSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { DeployRun } from '../../src-shared/model/deploy-run';
import { cutLink, fillDisk, freeDisk, restoreLink } from '../lab/faults';
import { labDown, labUp, type LabHost } from '../lab/lab';
import { labSkipReason, suiteName } from '../lab/support';
import { prepareLabDeploy, type LabDeploy } from './lab-cluster';
import { resetDeployedHosts } from './lab-reset';
import { expectDiskFullOnly } from './disk-full';

const WAIVE = ['cgroup2'] as const;

/** Faults on lab hosts: a cut link mid-deploy, a wrong sudo password, a full disk during an upload. */
describe.skipIf(labSkipReason)(suiteName('deploy faults on lab hosts'), () => {
  let hosts: LabHost[];
  const dirs: string[] = [];
  const setup = async (opts: Parameters<typeof prepareLabDeploy>[1] = {}): Promise<LabDeploy> => {
    const lab = await prepareLabDeploy(hosts, opts);
    dirs.push(lab.dataDir);
    return lab;
  };

  beforeAll(async () => {
    hosts = await labUp(3);
  });
  afterEach(async () => {
    await restoreLink(hosts[2]!).catch(() => undefined);
  });
  // The next suite gets hosts as the image made them, not a deployed cluster.
  afterAll(async () => {
    await labDown();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('a link cut mid-deploy fails that host with a network message, the others finish, and Resume completes running no step twice', async () => {
    await resetDeployedHosts(hosts);
    const victim = hosts[2]!;
    const lab = await setup();
    let cut = false;
    const runs: DeployRun[] = [];
    const started = await lab.service.start('lab', { mode: 'fresh', stopAfter: 'nodes', waive: WAIVE });
    // Cut node3's cable as soon as it starts uploading binaries.
    const watcher = setInterval(() => {
      void lab.service.status('lab').then(async (s) => {
        const row = s.run?.hosts.find((h) => h.hostId === `id-${victim.name}`);
        if (!cut && row?.phase === 'binaries') {
          cut = true;
          await cutLink(victim);
        }
      });
    }, 50);
    const first = await started.done;
    clearInterval(watcher);
    runs.push(first);
    expect(cut).toBe(true);
    const v = first.hosts.find((h) => h.hostName === victim.name)!;
    expect(v.state).toBe('failed');
    expect(v.cause?.name, JSON.stringify(v.cause)).toMatch(/ConnectionLost|ConnectTimeout|HostUnreachable|CommandTimedOut/);
    expect(v.cause?.message).toMatch(/node3/);
    console.log(`[deploy-faults] link cut: ${v.cause?.name}: ${v.cause?.message}`);
    expect(first.hosts.filter((h) => h.hostName !== victim.name).map((h) => h.state)).toEqual(['succeeded', 'succeeded']);

    await restoreLink(victim);
    const logStart = lab.logs.length;
    const resumed = await (await lab.service.start('lab', { mode: 'resume', stopAfter: 'nodes', waive: WAIVE })).done;
    expect(resumed.state, JSON.stringify(resumed.hosts.map((h) => h.cause ?? h.blockedBy))).toBe('succeeded');
    // The hosts that had finished ran nothing; node3 started again at its failed step.
    const ran = lab.logs.slice(logStart).filter((l) => l.includes(': ▶ '));
    expect(ran.filter((l) => !l.startsWith(`id-${victim.name}:`))).toEqual([]);
    const firstRunDone = v.done;
    expect(resumed.counts.journaled).toBe(first.hosts.reduce((n, h) => n + h.done, 0));
    expect(ran.length).toBe(v.total - firstRunDone);
  });

  it('a wrong sudo password fails that host with a clear message before anything runs', async () => {
    const lab = await setup({
      user: (h) => (h.name === 'node2' ? { user: 'sudoer', sudo: 'password' as const } : {}),
      askSecret: () => 'not-the-password',
    });
    const run = await (await lab.service.start('lab', { mode: 'fresh', stopAfter: 'preflight', waive: WAIVE })).done;
    const n2 = run.hosts.find((h) => h.hostName === 'node2')!;
    expect(n2.state).toBe('failed');
    expect(n2.cause?.name).toBe('SudoRefused');
    expect(n2.cause?.message).toMatch(/password/i);
    expect(n2.done).toBe(0);
    expect(run.hosts.filter((h) => h.hostName !== 'node2').map((h) => h.state)).toEqual(['succeeded', 'succeeded']);
  });

  it('a full disk during an upload: a clear error, and nothing half-written left in place', async () => {
    await resetDeployedHosts(hosts);
    const victim = hosts[0]!;
    await fillDisk(victim, '/usr/local/bin', 4);
    try {
      const lab = await setup();
      const run = await (await lab.service.start('lab', { mode: 'fresh', stopAfter: 'binaries', waive: WAIVE })).done;
      await expectDiskFullOnly(run, victim, '/usr/local/bin', /full|space/i);
    } finally {
      await freeDisk(victim, '/usr/local/bin');
    }
  });
});
