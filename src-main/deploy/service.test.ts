import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EventName } from '../../src-shared/contract/events';
import { planSteps } from '../../src-shared/model/plan';
import { plainCipher } from '../store/secret-cipher';
import { Workspace } from '../store/workspace';
import { DeployService } from './service';
import { FakeHost, fakeProvider } from '../../test/support/deploy/fake-transport';
import { fakeBinaries, fakePki, labCluster } from '../../test/support/deploy/fixtures';
import { putCluster } from '../../test/support/store/test-clusters';

describe('DeployService', () => {
  let dir: string;
  let workspace: Workspace;
  let events: Array<[EventName, unknown]>;
  let fakes: Map<string, FakeHost>;
  let service: DeployService;
  let binaries: ReturnType<typeof fakeBinaries>;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ks-svc-'));
    workspace = new Workspace(dir);
    await workspace.create('lab');
    await putCluster(workspace, labCluster(4));
    events = [];
    binaries = fakeBinaries();
    // Every guarded command says "not done yet", every check passes: the whole plan runs once.
    const skipIfs = new Set<string>();
    const answer = (id: string) => (cmd: string) => {
      if (skipIfs.has(cmd)) return { code: 1 };
      if (cmd === 'date -u +%s') return { stdout: `${Math.floor(Date.now() / 1000)}\n` };
      if (cmd.includes('machine-id')) return { stdout: `${id.repeat(16)}\n` };
      if (cmd.includes('containerd --version')) return { stdout: 'containerd github.com/containerd/containerd/v2 v2.1.4 x\n' };
      if (cmd.includes('nginx -V')) return { stdout: '--with-stream=dynamic\n' };
      if (cmd.includes('etcd --version')) return { stdout: 'etcd Version: 3.6.5\nGit SHA: x\n' };
      return undefined;
    };
    fakes = new Map(['h1', 'h2', 'h3', 'h4'].map((id) => [id, new FakeHost(id, answer(id))]));
    service = new DeployService({
      workspace,
      cipher: plainCipher,
      emit: (e, p) => events.push([e, p]),
      transports: () => fakeProvider(fakes),
      // The stand-in hosts answer direct uploads; the relay is tested in relay/ and on lab hosts.
      transfer: 'direct',
      pki: async () => fakePki(),
      binaries: async () => binaries,
    });
    for (const s of planSteps((await service.plan('lab')).plan))
      if (s.action.kind === 'command' && s.action.skipIf) skipIfs.add(s.action.skipIf);
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('runs the plan in the background, publishing deploy.run, progress and log events', async () => {
    const { done } = await service.start('lab', { mode: 'fresh', stopAfter: 'nodes' });
    const run = await done;
    expect(run.hosts.map((h) => h.cause?.message ?? h.blockedBy ?? '')).toEqual(['', '', '', '']);
    expect(run.state).toBe('succeeded');
    expect(run.hosts.map((h) => h.state)).toEqual(['succeeded', 'succeeded', 'succeeded', 'succeeded']);
    expect(events.some(([e]) => e === 'deploy.run')).toBe(true);
    expect(events.some(([e, p]) => e === 'progress' && (p as { hostId?: string }).hostId === 'h4')).toBe(true);
    expect(service.hostLogs('lab', 'h1').some((l) => l.line.startsWith('$ '))).toBe(true);
    const status = await service.status('lab');
    expect(status.running).toBe(false);
    expect(status.run?.runId).toBe(run.runId);
    expect(status.journaledSteps).toBeGreaterThan(100);
  });

  it('records what the hosts run after a deploy, and warns when the next one would replace their kube-* programs', async () => {
    expect((await (await service.start('lab', { mode: 'fresh', stopAfter: 'prepare' })).done).state).toBe('succeeded');
    expect(await service.deployed('lab')).toBeUndefined();
    expect((await (await service.start('lab', { mode: 'fresh', stopAfter: 'nodes' })).done).state).toBe('succeeded');
    expect(await service.deployed('lab')).toEqual({
      kubernetesVersion: '1.37',
      release: '1.37.1',
      programs: expect.objectContaining({ kubelet: 'sha-kubelet', 'kube-apiserver': 'sha-kube-apiserver' }),
    });
    const replaced = /this deploy replaces it with .* on every host at once, without draining/;
    expect((await service.plan('lab')).plan.warnings.join('\n')).not.toMatch(replaced);
    binaries = { ...fakeBinaries(), versions: { kubernetes: '1.37.2' } };
    binaries.files = binaries.files.map((f) => (f.name === 'kubelet' ? { ...f, sha256: 'sha-kubelet-1.37.2' } : f));
    expect((await service.plan('lab')).plan.warnings[0]).toBe(
      'The hosts run Kubernetes 1.37.1; this deploy replaces it with 1.37.2 on every host at once, without draining. Operations → Upgrade does it host by host.',
    );
  });

  it('refuses a first deploy on 1.34, past its end of life, and redeploys a cluster that already runs it', async () => {
    await putCluster(workspace, labCluster(4, { kubernetesVersion: '1.34' }));
    await expect(service.plan('lab')).rejects.toMatchObject({ name: 'VersionEndOfLife', hint: expect.stringContaining('1.37') });
    await expect(service.start('lab', { mode: 'fresh' })).rejects.toMatchObject({ name: 'VersionEndOfLife' });
    await service.recordDeployed('lab', { kubernetesVersion: '1.34', release: '1.34.2' });
    expect((await service.plan('lab')).plan.kubernetesVersion).toMatch(/^1\.34\./);
  });

  it('refuses a second run of the same cluster while one is going', async () => {
    const first = await service.start('lab', { mode: 'fresh', stopAfter: 'preflight' });
    await expect(service.start('lab', { mode: 'fresh' })).rejects.toMatchObject({ name: 'DeployRunning' });
    await first.done;
  });

  it('refuses to run a plan other than the one the user read', async () => {
    await expect(service.start('lab', { mode: 'fresh', planHash: 'stale' })).rejects.toMatchObject({ name: 'PlanChanged' });
    const { plan } = await service.plan('lab');
    const { done } = await service.start('lab', { mode: 'fresh', planHash: plan.hash, stopAfter: 'preflight' });
    expect((await done).state).toBe('succeeded');
  });
});
