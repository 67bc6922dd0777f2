import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KubesmithError } from '../../../src-shared/errors';
import { ClusterSchema, type Host } from '../../../src-shared/model/cluster';
import type { DeployRun } from '../../../src-shared/model/deploy-run';
import type { Need, PhaseId, Plan, PlanJob, PlanStep } from '../../../src-shared/model/plan';
import { commandStep, fileStep, unitStep } from '../steps';
import { raw, sh } from '../../ssh/shell';
import { FakeHost, fakeProvider } from '../../../test/support/deploy/fake-transport';
import { JournalStore } from './journal';
import { runDeploy, type RunRequest } from './runner';

const hosts: Host[] = ClusterSchema.parse({
  name: 'lab',
  hosts: ['a', 'b', 'c'].map((n) => ({ id: n, name: `node-${n}`, address: `10.231.0.${n.charCodeAt(0)}`, roles: ['etcd', 'master'] })),
}).hosts;

function job(phase: PhaseId, hostId: string, steps: PlanStep[], needs: Need[] = []): PlanJob {
  return { phase, hostId, hostName: `node-${hostId}`, steps, needs };
}

/** Three hosts: prepare (a file + a guarded command), etcd (unit + wait), control-plane needing an etcd majority. */
function plan(): Plan {
  const ids = ['a', 'b', 'c'];
  const prepare = (h: string) => {
    const f = fileStep(`prepare/${h}/sysctl`, 'sysctl file', { path: '/etc/sysctl.d/k.conf', text: `host ${h}\n` });
    return [f, commandStep(`prepare/${h}/swap`, 'swap off', { skipIf: raw('swap-is-off'), run: raw('swapoff -a') })];
  };
  const etcd = (h: string) => {
    const u = fileStep(`etcd/${h}/unit`, 'etcd unit', { path: '/etc/systemd/system/etcd.service', text: `unit ${h}\n` });
    return [
      u,
      unitStep(`etcd/${h}/start`, { unit: 'etcd', inputs: [u] }),
      commandStep(`etcd/${h}/healthy`, 'etcd healthy', { run: raw('etcd-health'), unit: 'etcd' }),
    ];
  };
  const cp = (h: string) => [
    commandStep(`control-plane/${h}/apiserver`, 'apiserver', { run: raw('start-apiserver'), skipIf: raw('apiserver-running') }),
  ];
  const phases: Plan['phases'] = [
    { id: 'prepare', jobs: ids.map((h) => job('prepare', h, prepare(h))) },
    { id: 'etcd', jobs: ids.map((h) => job('etcd', h, etcd(h))) },
    { id: 'control-plane', jobs: ids.map((h) => job('control-plane', h, cp(h), [{ phase: 'etcd', hostIds: ids, quantity: 'majority' }])) },
  ];
  return { cluster: 'lab', operation: 'deploy', kubernetesVersion: '1.36.0', createdAt: '', hash: 'p1', phases, warnings: [] };
}

/** A host whose state persists like a real one: guarded commands find their work done after running once. */
function statefulHost(name: string, failOn?: (cmd: string) => boolean): FakeHost {
  const done = new Set<string>();
  return new FakeHost(name, (cmd) => {
    if (failOn?.(cmd)) return { code: 1, stderr: `${cmd}: boom on ${name}` };
    if (cmd === 'swap-is-off') return { code: done.has('swapoff -a') ? 0 : 1 };
    if (cmd === 'apiserver-running') return { code: done.has('start-apiserver') ? 0 : 1 };
    if (cmd.includes('is-active --quiet etcd')) return { code: done.has('etcd-start') ? 0 : 1 };
    if (cmd.startsWith('journalctl')) return { stdout: `-- journal of etcd on ${name} --\netcd: listen tcp: address already in use` };
    if (cmd.includes('systemctl restart')) done.add('etcd-start');
    done.add(cmd);
    return undefined;
  });
}

describe('runDeploy', () => {
  let dir: string;
  let journal: JournalStore;
  let fakes: Map<string, FakeHost>;
  let runs: DeployRun[];
  let logs: string[];

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ks-runner-'));
    journal = await JournalStore.open(join(dir, 'deploy-journal.json'), 'lab');
    fakes = new Map(['a', 'b', 'c'].map((h) => [h, statefulHost(h)]));
    runs = [];
    logs = [];
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  const go = (over: Partial<RunRequest> = {}) =>
    runDeploy({
      runId: 'r1',
      plan: plan(),
      hosts,
      transports: fakeProvider(fakes),
      journal,
      mode: 'fresh',
      concurrency: 2,
      signal: new AbortController().signal,
      events: { onRun: (r) => runs.push(r), onLog: (h, s, l) => logs.push(`${h} ${s} ${l}`) },
      ...over,
    });

  it('runs every phase on every host and journals each step atomically', async () => {
    const run = await go();
    expect(run.state).toBe('succeeded');
    expect(run.hosts.map((h) => [h.hostName, h.state, h.done, h.total])).toEqual([
      ['node-a', 'succeeded', 6, 6],
      ['node-b', 'succeeded', 6, 6],
      ['node-c', 'succeeded', 6, 6],
    ]);
    expect(run.counts).toMatchObject({ changed: 15, unchanged: 3, failed: 0 });
    const onDisk = JSON.parse(await readFile(join(dir, 'deploy-journal.json'), 'utf8'));
    expect(Object.keys(onDisk.steps)).toHaveLength(18);
    expect(onDisk.lastRun.state).toBe('succeeded');
    expect(logs).toContain('a info $ swapoff -a');
  });

  it('a second deploy of an unchanged cluster changes nothing and transfers no bytes', async () => {
    await go();
    const before = [...fakes.values()].map((f) => f.uploadedBytes);
    const second = await go({ runId: 'r2' });
    expect(second.state).toBe('succeeded');
    expect(second.counts.changed).toBe(0);
    expect(second.bytesUploaded).toBe(0);
    expect([...fakes.values()].map((f) => f.uploadedBytes)).toEqual(before);
    for (const f of fakes.values()) expect(f.commands.filter((c) => c === 'swapoff -a' || c.includes('systemctl restart'))).toHaveLength(2);
  });

  it("one host's failure stops only that host; quorum (2 of 3) lets the control plane go on", async () => {
    fakes.set(
      'b',
      statefulHost('b', (c) => c === 'etcd-health'),
    );
    const run = await go();
    const b = run.hosts.find((h) => h.hostId === 'b')!;
    expect(b.state).toBe('failed');
    expect(b.cause).toMatchObject({ stepId: 'etcd/b/healthy', name: 'StepFailed', command: 'etcd-health', exitCode: 1, unit: 'etcd' });
    expect(b.cause!.stderr).toContain('boom on b');
    expect(b.cause!.journal).toContain('address already in use');
    expect(run.hosts.filter((h) => h.state === 'succeeded').map((h) => h.hostId)).toEqual(['a', 'c']);
    expect(fakes.get('b')!.commands).not.toContain('start-apiserver');
    expect(run.state).toBe('failed');
  });

  it('without a majority, the jobs that need it are blocked and say by which hosts', async () => {
    fakes.set(
      'b',
      statefulHost('b', (c) => c === 'etcd-health'),
    );
    fakes.set(
      'c',
      statefulHost('c', (c) => c === 'etcd-health'),
    );
    const run = await go();
    const a = run.hosts.find((h) => h.hostId === 'a')!;
    expect(a.state).toBe('blocked');
    expect(a.blockedBy).toBe('control-plane needs a majority of etcd hosts; etcd did not finish on node-b, node-c');
    expect(fakes.get('a')!.commands).not.toContain('start-apiserver');
  });

  it('resume continues from the failed step and runs no finished step twice', async () => {
    let broken = true;
    fakes.set(
      'b',
      statefulHost('b', (c) => broken && c === 'etcd-health'),
    );
    const first = await go();
    expect(first.state).toBe('failed');
    const countB = fakes.get('b')!.commands.length;
    broken = false;
    const resumed = await go({ runId: 'r2', mode: 'resume' });
    expect(resumed.state).toBe('succeeded');
    // Only b's failed step and its control-plane step ran; a and c had finished everything. (The control-plane guard is
    // read in the host's prefetch, at its first job, so it may come before etcd-health.)
    expect(fakes.get('b')!.commands.slice(countB).sort()).toEqual(['apiserver-running', 'etcd-health', 'start-apiserver']);
    expect(resumed.counts.journaled).toBe(18 - 2);
  });

  it('a step that fails in a fresh run loses its journal entry from an earlier run, so Resume runs it again', async () => {
    expect((await go()).state).toBe('succeeded');
    let broken = true;
    fakes.set(
      'b',
      statefulHost('b', (c) => broken && c === 'etcd-health'),
    );
    const fresh = await go({ runId: 'r2' });
    expect(fresh.state).toBe('failed');
    expect(journal.finished('etcd/b/healthy', plan().phases[1]!.jobs[1]!.steps[2]!.hash)).toBe(false);
    const countB = fakes.get('b')!.commands.length;
    broken = false;
    const resumed = await go({ runId: 'r3', mode: 'resume' });
    expect(resumed.state).toBe('succeeded');
    expect(fakes.get('b')!.commands.slice(countB)).toContain('etcd-health');
  });

  it('retry runs the one failed step and journals it', async () => {
    let broken = true;
    fakes.set(
      'b',
      statefulHost('b', (c) => broken && c === 'etcd-health'),
    );
    await go();
    broken = false;
    const retried = await go({ runId: 'r2', mode: 'retry', retry: { hostId: 'b', stepId: 'etcd/b/healthy' } });
    expect(retried.state).toBe('succeeded');
    expect(retried.hosts).toHaveLength(1);
    expect(journal.finished('etcd/b/healthy', plan().phases[1]!.jobs[1]!.steps[2]!.hash)).toBe(true);
  });

  it('cancel stops cleanly: the step in flight is not journaled, the journal stays whole', async () => {
    const controller = new AbortController();
    fakes.set(
      'a',
      new FakeHost('a', async (cmd) => {
        if (cmd === 'etcd-health') {
          controller.abort();
          return { code: 1 };
        }
        return cmd.endsWith('-is-off') || cmd.includes('is-active') || cmd.endsWith('-running') ? { code: 1 } : undefined;
      }),
    );
    const run = await go({ signal: controller.signal });
    expect(run.state).toBe('cancelled');
    const onDisk = JSON.parse(await readFile(join(dir, 'deploy-journal.json'), 'utf8'));
    expect(onDisk.steps['etcd/a/start']).toBeDefined();
    expect(onDisk.steps['etcd/a/healthy']).toBeUndefined();
    expect(onDisk.steps['control-plane/a/apiserver']).toBeUndefined();
    expect(onDisk.lastRun.state).toBe('cancelled');
  });

  it('publishes progress: each host row moves through phases and steps', async () => {
    await go();
    const seen = new Set(runs.flatMap((r) => r.hosts.filter((h) => h.hostId === 'a').map((h) => `${h.phase}:${h.state}`)));
    expect(seen).toContain('prepare:running');
    expect(seen).toContain('etcd:running');
    expect(seen).toContain('control-plane:succeeded');
  });

  it('runs a step again on a new connection when the old one dropped, at most three times', async () => {
    let drops = 2;
    fakes.set(
      'a',
      new FakeHost('a', (cmd) => {
        if (cmd === 'etcd-health' && drops-- > 0) throw new KubesmithError('ConnectionLost', 'The connection to node-a was lost.');
        return cmd.endsWith('-is-off') || cmd.includes('is-active') || cmd.endsWith('-running') ? { code: 1 } : undefined;
      }),
    );
    const run = await go();
    expect(run.hosts.find((h) => h.hostId === 'a')!.state).toBe('succeeded');
    expect(logs.filter((l) => l.startsWith('a info connection lost'))).toHaveLength(2);
    drops = 5;
    const again = await go({ runId: 'r2' });
    expect(again.hosts.find((h) => h.hostId === 'a')!.cause).toMatchObject({ name: 'ConnectionLost', stepId: 'etcd/a/healthy' });
  });

  it('a batched phase goes one batch at a time and stops at the first failure, leaving the rest untouched', async () => {
    fakes.set(
      'b',
      statefulHost('b', (cmd) => cmd === 'upgrade'),
    );
    const rolling: Plan = {
      ...plan(),
      phases: [
        {
          id: 'control-plane',
          batch: 1,
          jobs: ['a', 'b', 'c'].map((h) =>
            job('control-plane', h, [commandStep(`control-plane/${h}/upgrade`, 'upgrade', { run: raw('upgrade') })]),
          ),
        },
      ],
    };
    const run = await go({ plan: rolling, concurrency: 10 });
    expect(run.hosts.map((h) => [h.hostName, h.state])).toEqual([
      ['node-a', 'succeeded'],
      ['node-b', 'failed'],
      ['node-c', 'blocked'],
    ]);
    expect(run.hosts[2]!.blockedBy).toBe('control-plane stopped after node-b failed; these hosts were left as they were');
    expect(fakes.get('c')!.commands).not.toContain('upgrade');
  });

  it("runs a step on another host when it says so (a drain on a master in a worker's job)", async () => {
    fakes.set(
      'a',
      statefulHost('a', (cmd) => cmd === 'node-gone'),
    );
    const drain = {
      ...commandStep('nodes/c/drain', 'drain node-c', { run: raw('kubectl drain node-c'), skipIf: raw('node-gone') }),
      runOn: 'a',
    };
    const p: Plan = {
      ...plan(),
      phases: [
        { id: 'nodes', jobs: [job('nodes', 'c', [drain, commandStep('nodes/c/kubelet', 'kubelet', { run: raw('restart-kubelet') })])] },
      ],
    };
    const run = await go({ plan: p });
    expect(run.state).toBe('succeeded');
    expect(fakes.get('a')!.commands).toEqual(expect.arrayContaining(['node-gone', 'kubectl drain node-c']));
    expect(fakes.get('c')!.commands).not.toContain('kubectl drain node-c');
    expect(fakes.get('c')!.commands).toContain('restart-kubelet');
    expect(logs).toContain('c info ▶ drain node-c (on node-a)');
  });

  it('runs checks in a row at once, and reports the first failing one in plan order', async () => {
    let inFlight = 0;
    let most = 0;
    fakes.set(
      'a',
      new FakeHost('a', async (cmd) => {
        inFlight++;
        most = Math.max(most, inFlight);
        await new Promise((r) => setTimeout(r, 20));
        inFlight--;
        return cmd === 'check-2' || cmd === 'check-3' ? { code: 1, stderr: `${cmd} says no` } : undefined;
      }),
    );
    const check = (n: number) => commandStep(`preflight/a/check-${n}`, `check ${n}`, { run: sh`check-${n}`, check: true });
    const p: Plan = {
      ...plan(),
      phases: [
        {
          id: 'preflight',
          jobs: [
            job('preflight', 'a', [
              check(1),
              check(2),
              check(3),
              check(4),
              commandStep('preflight/a/after', 'after', { run: raw('after') }),
            ]),
          ],
        },
      ],
    };
    const run = await go({ plan: p });
    // All four in the job's one probe; the two that failed there run again for their own output, at once.
    expect(fakes.get('a')!.commands.filter((c) => c === 'check-1')).toHaveLength(1);
    expect(fakes.get('a')!.commands.filter((c) => c === 'check-2')).toHaveLength(2);
    expect(most).toBe(2);
    expect(run.hosts[0]).toMatchObject({
      state: 'failed',
      cause: { stepId: 'preflight/a/check-2', message: expect.stringContaining('check-2 says no') },
    });
    expect(fakes.get('a')!.commands).not.toContain('after');
    // The checks that passed are journaled; the failed ones are not.
    expect(journal.finished('preflight/a/check-1', check(1).hash)).toBe(true);
    expect(journal.finished('preflight/a/check-2', check(2).hash)).toBe(false);
  });

  it('stops after the phase it is told to', async () => {
    const run = await go({ stopAfter: 'etcd' });
    expect(run.state).toBe('succeeded');
    expect(run.hosts[0]!.total).toBe(5);
    expect(fakes.get('a')!.commands).not.toContain('start-apiserver');
  });
});

describe('preflight identity and clock checks', () => {
  it('fails hosts that share a machine id, naming the other one, and a clock off by too much: in one round trip', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ks-runner-'));
    const journal = await JournalStore.open(join(dir, 'j.json'), 'lab');
    const idStep = (h: string) =>
      commandStep(`preflight/${h}/identity`, 'identity', { check: true, run: raw('identity'), uniqueAcrossHosts: true });
    const clock = (h: string) => commandStep(`preflight/${h}/clock`, 'clock', { check: true, run: raw('clock'), clockSkewMaxSeconds: 30 });
    const p: Plan = {
      cluster: 'lab',
      operation: 'deploy',
      kubernetesVersion: '1.36.0',
      createdAt: '',
      hash: 'x',
      warnings: [],
      phases: [{ id: 'preflight', jobs: ['a', 'b', 'c'].map((h) => job('preflight', h, [idStep(h), clock(h)])) }],
    };
    const ids: Record<string, string> = {
      a: '0123456789abcdef0123456789abcdef',
      b: '0123456789abcdef0123456789abcdef',
      c: 'ffffffffffffffffffffffffffffffff',
    };
    const fakes = new Map(
      ['a', 'b', 'c'].map((h) => [
        h,
        new FakeHost(h, (cmd) =>
          cmd === 'identity' ? { stdout: `${ids[h]}\n52:54:00:00:00:0${h}\n` } : { stdout: h === 'c' ? '1000\n' : '5000\n' },
        ),
      ]),
    );
    const run = await runDeploy({
      runId: 'r',
      plan: p,
      hosts,
      transports: fakeProvider(fakes),
      journal,
      mode: 'fresh',
      concurrency: 3,
      signal: new AbortController().signal,
      events: { onRun: () => undefined, onLog: () => undefined },
      now: () => 5010,
    });
    const byId = new Map(run.hosts.map((h) => [h.hostId, h]));
    expect(byId.get('a')!.cause).toMatchObject({ name: 'DuplicateIdentity', message: 'node-a shares its machine id with node-b.' });
    expect(byId.get('b')!.state).toBe('failed');
    expect(byId.get('c')!.cause).toMatchObject({ name: 'ClockSkew' });
    expect(journal.finished('preflight/a/identity', p.phases[0]!.jobs[0]!.steps[0]!.hash)).toBe(false);
    // Both checks answered in the job's one probe, the clock judged by the time the probe was sent and answered.
    for (const h of ['a', 'b', 'c']) expect(fakes.get(h)!.execs, h).toBe(1);
    await rm(dir, { recursive: true, force: true });
  });
});
