import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ClusterSchema, type Host } from '../../../src-shared/model/cluster';
import type { Need, PhaseId, Plan, PlanJob } from '../../../src-shared/model/plan';
import { raw } from '../../ssh/shell';
import { commandStep } from '../steps';
import { FakeHost, fakeProvider } from '../../../test/support/deploy/fake-transport';
import { JournalStore } from './journal';
import { runDeploy, type RunRequest } from './runner';

// a and b: etcd + master; c: a worker.
const hosts: Host[] = ClusterSchema.parse({
  name: 'lab',
  hosts: ['a', 'b', 'c'].map((n) => ({ id: n, name: `node-${n}`, address: `10.231.0.${n.charCodeAt(0)}`, roles: ['etcd', 'master'] })),
}).hosts;

function job(phase: PhaseId, hostId: string, needs: Need[] = []): PlanJob {
  return { phase, hostId, hostName: `node-${hostId}`, steps: [commandStep(`${phase}/${hostId}/run`, phase, { run: raw(phase) })], needs };
}

/** The deploy's shape in small: with `after`, phases wait only for what they declare; without, they are barriers. */
function plan(withAfter = true): Plan {
  const after = (ids: PhaseId[]) => (withAfter ? { after: ids } : {});
  const phases: Plan['phases'] = [
    { id: 'binaries', jobs: ['a', 'b', 'c'].map((h) => job('binaries', h)), ...after([]) },
    { id: 'etcd', jobs: ['a', 'b'].map((h) => job('etcd', h)), ...after([]) },
    { id: 'runtime', jobs: ['a', 'b', 'c'].map((h) => job('runtime', h)), ...after([]) },
    {
      id: 'control-plane',
      jobs: ['a', 'b'].map((h) => job('control-plane', h, [{ phase: 'etcd', hostIds: ['a', 'b'], quantity: 'majority' }])),
      ...after([]),
    },
    {
      id: 'nodes',
      jobs: ['a', 'b', 'c'].map((h) => job('nodes', h, [{ phase: 'control-plane', hostIds: ['a', 'b'], quantity: 'any' }])),
      ...after([]),
    },
  ];
  return { cluster: 'lab', operation: 'deploy', kubernetesVersion: '1.37.0', createdAt: '', hash: 'p', phases, warnings: [] };
}

/** A promise that something else resolves, or that resolves by itself after a while (so old code finishes and fails). */
function gate(): { wait: Promise<void>; open: () => void } {
  let open = (): void => undefined;
  const wait = new Promise<void>((resolve) => {
    open = resolve;
    setTimeout(resolve, 5000).unref();
  });
  return { wait, open };
}

describe('runDeploy schedules jobs by their dependencies', () => {
  let dir: string;
  let journal: JournalStore;
  /** "host:command" when a command starts, "host:command done" when it ends, in the order they happened. */
  let order: string[];
  let held: Map<string, Promise<void>>;
  let onStart: Map<string, Array<() => void>>;
  let failing: Set<string>;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ks-schedule-'));
    journal = await JournalStore.open(join(dir, 'deploy-journal.json'), 'lab');
    order = [];
    held = new Map();
    onStart = new Map();
    failing = new Set();
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  const fakes = (ids = ['a', 'b', 'c']) =>
    new Map(
      ids.map((h) => [
        h,
        new FakeHost(h, async (cmd) => {
          const key = `${h}:${cmd}`;
          order.push(key);
          for (const f of onStart.get(key) ?? []) f();
          await held.get(key);
          order.push(`${key} done`);
          return failing.has(key) ? { code: 1, stderr: `${cmd} failed on ${h}` } : undefined;
        }),
      ]),
    );
  const go = (over: Partial<RunRequest> = {}) =>
    runDeploy({
      runId: 'r1',
      plan: plan(),
      hosts,
      transports: fakeProvider(fakes()),
      journal,
      mode: 'fresh',
      concurrency: 10,
      signal: new AbortController().signal,
      events: { onRun: () => undefined, onLog: () => undefined },
      ...over,
    });
  const when = (key: string, f: () => void) => onStart.set(key, [...(onStart.get(key) ?? []), f]);
  /** Holds `held` until `until` starts. */
  const hold = (held_: string, until: string) => {
    const g = gate();
    held.set(held_, g.wait);
    when(until, g.open);
  };
  const at = (entry: string) => {
    expect(order).toContain(entry);
    return order.indexOf(entry);
  };

  it("starts a worker's runtime while etcd is still running on other hosts", async () => {
    hold('a:etcd', 'c:runtime');
    hold('b:etcd', 'c:runtime');
    const run = await go();
    expect(run.state).toBe('succeeded');
    expect(at('c:runtime')).toBeLessThan(at('a:etcd done'));
  });

  it('keeps phases without `after` as barriers (day-2 plans)', async () => {
    held.set('a:etcd', new Promise((r) => setTimeout(r, 30)));
    const run = await go({ plan: plan(false) });
    expect(run.state).toBe('succeeded');
    expect(at('c:runtime')).toBeGreaterThan(at('a:etcd done'));
  });

  it('starts a kubelet only after a control plane it needs, and one is enough', async () => {
    hold('b:control-plane', 'c:nodes');
    const run = await go();
    expect(run.state).toBe('succeeded');
    expect(at('c:nodes')).toBeGreaterThan(at('a:control-plane done'));
    expect(at('c:nodes')).toBeLessThan(at('b:control-plane done'));
  });

  it("starts etcd members together, once every member has its binaries but not the worker's", async () => {
    // b's binaries end a little after a's; c's only once etcd has started.
    when('a:binaries', () => held.set('b:binaries', new Promise((r) => setTimeout(r, 30))));
    hold('c:binaries', 'a:etcd');
    const run = await go();
    expect(run.state).toBe('succeeded');
    expect(at('a:etcd')).toBeGreaterThan(at('b:binaries done'));
    expect(at('b:etcd')).toBeGreaterThan(at('b:binaries done'));
    expect(at('a:etcd')).toBeLessThan(at('c:binaries done'));
  });

  it('a failed host runs nothing more; jobs that need it are blocked and name it; the others carry on', async () => {
    failing.add('a:etcd');
    const run = await go();
    const byId = new Map(run.hosts.map((h) => [h.hostId, h]));
    expect(byId.get('a')).toMatchObject({ state: 'failed', cause: { stepId: 'etcd/a/run' } });
    expect(byId.get('b')).toMatchObject({
      state: 'blocked',
      blockedBy: 'control-plane needs a majority of etcd hosts; etcd did not finish on node-a',
    });
    expect(byId.get('c')).toMatchObject({
      state: 'blocked',
      blockedBy: 'nodes needs at least one control-plane host; control-plane did not finish on node-a, node-b',
    });
    expect(order).not.toContain('a:runtime');
    // The worker's runtime needs no etcd: it ran.
    expect(order).toContain('c:runtime done');
    expect(order.filter((o) => o.endsWith(':control-plane') || o.endsWith(':nodes'))).toEqual([]);
    expect(run.state).toBe('failed');
  });

  it('runs at most `concurrency` jobs of a phase at once, while other phases go on', async () => {
    let inFlight = 0;
    let most = 0;
    for (const h of ['a', 'b', 'c']) {
      when(`${h}:binaries`, () => {
        most = Math.max(most, ++inFlight);
        held.set(
          `${h}:binaries`,
          new Promise((r) => setTimeout(r, 10)).then(() => {
            inFlight--;
          }),
        );
      });
    }
    const run = await go({ concurrency: 1 });
    expect(run.state).toBe('succeeded');
    expect(most).toBe(1);
    // a's runtime did not wait for the last host's binaries.
    expect(at('a:runtime')).toBeLessThan(at('c:binaries done'));
  });

  it('keeps slots for the hosts others need: a master ready late does not wait behind workers that came first', async () => {
    const four = ClusterSchema.parse({
      name: 'lab',
      hosts: ['a', 'c', 'd', 'e'].map((n) => ({ id: n, name: `node-${n}`, address: `10.231.0.${n.charCodeAt(0)}`, roles: ['node'] })),
    }).hosts;
    const p = plan();
    p.phases = [
      { id: 'etcd', jobs: [job('etcd', 'a')], after: [] },
      { id: 'runtime', jobs: ['c', 'd', 'e', 'a'].map((h) => job('runtime', h)), after: [] },
      { id: 'control-plane', jobs: [job('control-plane', 'a', [{ phase: 'etcd', hostIds: ['a'], quantity: 'all' }])], after: [] },
    ];
    // a's etcd ends once a worker's runtime has started; every worker's runtime lasts until a's has started.
    const etcd = gate();
    for (const h of ['c', 'd', 'e']) hold(`${h}:runtime`, 'a:runtime');
    when('c:runtime', etcd.open);
    held.set('a:etcd', etcd.wait);
    const run = await go({ plan: p, hosts: four, transports: fakeProvider(fakes(['a', 'c', 'd', 'e'])), concurrency: 2 });
    expect(run.state).toBe('succeeded');
    // One slot was kept for a: a single worker ran while a's etcd ran, and a's runtime started before any worker's ended.
    expect(at('a:runtime')).toBeLessThan(at('c:runtime done'));
    expect(order.indexOf('d:runtime')).toBeGreaterThan(at('a:runtime'));
  });

  it('a job with only checks left (a unit watched for a few seconds) gives its slot to the next job', async () => {
    const watched = (h: string): PlanJob => ({
      ...job('nodes', h),
      steps: [
        // A guard that fails, as a unit not started yet: the job's probe leaves the check for later.
        commandStep(`nodes/${h}/start`, 'start', { run: raw('start'), skipIf: raw('started') }),
        commandStep(`nodes/${h}/watch`, 'keeps running', { run: raw('watch'), check: true }),
      ],
    });
    const p = plan();
    p.phases = [{ id: 'nodes', jobs: ['a', 'b', 'c'].map(watched), after: [] }];
    for (const h of ['a', 'b', 'c']) failing.add(`${h}:started`);
    // a's watch lasts until c has started: with one slot, only if a gave it back.
    hold('a:watch', 'c:start');
    hold('b:watch', 'c:start');
    const run = await go({ plan: p, concurrency: 1 });
    expect(run.state).toBe('succeeded');
    expect(at('c:start')).toBeLessThan(at('a:watch done'));
    // Still one job at a time doing work: b started only after a's work was done.
    expect(at('b:start')).toBeGreaterThan(at('a:start done'));
  });

  it("waits for the other hosts' jobs a job names in its `after`, whatever their outcome", async () => {
    const p = plan();
    const binaries = p.phases[0]!;
    binaries.jobs = binaries.jobs.map((j) => (j.hostId === 'c' ? { ...j, after: [{ phase: 'binaries', hostIds: ['a', 'b'] }] } : j));
    failing.add('b:binaries');
    held.set('a:binaries', new Promise((r) => setTimeout(r, 30)));
    const run = await go({ plan: p });
    expect(at('c:binaries')).toBeGreaterThan(at('a:binaries done'));
    expect(at('c:binaries')).toBeGreaterThan(at('b:binaries done'));
    // An order, not a need: b's failure did not block c's own jobs.
    expect(order).toContain('c:runtime done');
    expect(run.hosts.find((h) => h.hostId === 'b')!.state).toBe('failed');
  });

  it('stops after the phase it is told to', async () => {
    const run = await go({ stopAfter: 'runtime' });
    expect(run.state).toBe('succeeded');
    expect(order.filter((o) => o.endsWith(':control-plane') || o.endsWith(':nodes'))).toEqual([]);
  });
});
