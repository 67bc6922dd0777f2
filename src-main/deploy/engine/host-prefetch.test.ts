import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ClusterSchema } from '../../../src-shared/model/cluster';
import type { PhaseId, Plan, PlanJob, PlanStep } from '../../../src-shared/model/plan';
import { raw } from '../../ssh/shell';
import { commandStep, fileStep } from '../steps';
import { FakeHost, fakeProvider } from '../../../test/support/deploy/fake-transport';
import { JOBS_PROBE_HEAD } from './job-probe';
import { JournalStore } from './journal';
import { runDeploy, type RunRequest } from './runner';

const hosts = ClusterSchema.parse({
  name: 'lab',
  hosts: ['a', 'b'].map((n) => ({ id: n, name: `node-${n}`, address: `10.231.0.${n.charCodeAt(0)}`, roles: ['etcd', 'master'] })),
}).hosts;

/**
 * What the hosts share, as a cluster does: `follow` on a host copies the version host a applied, so host a changing
 * makes the other hosts' guards fail.
 */
interface World {
  wanted: number;
  applied: Map<string, number>;
  seen: Map<string, number>;
}

/** Four jobs per host, each with something to ask: a check, a file and a guard, a guard and a check, a cross-host guard. */
function plan(ids: string[]): Plan {
  const job = (phase: PhaseId, h: string, steps: PlanStep[]): PlanJob => ({ phase, hostId: h, hostName: `node-${h}`, steps, needs: [] });
  const steps: Record<string, (h: string) => PlanStep[]> = {
    preflight: (h) => [commandStep(`preflight/${h}/ok`, 'ok', { check: true, run: raw('preflight-ok') })],
    prepare: (h) => [
      fileStep(`prepare/${h}/conf`, 'conf', { path: '/etc/k.conf', text: `host ${h}\n` }),
      commandStep(`prepare/${h}/apply`, 'apply', { skipIf: raw('applied'), run: raw('apply') }),
    ],
    etcd: (h) => [
      commandStep(`etcd/${h}/start`, 'start', { skipIf: raw('started'), run: raw('start') }),
      commandStep(`etcd/${h}/healthy`, 'healthy', { check: true, run: raw('healthy') }),
    ],
    'control-plane': (h) => [commandStep(`control-plane/${h}/follow`, 'follow', { skipIf: raw('follows'), run: raw('follow') })],
  };
  const phases = Object.entries(steps).map(([id, make]) => ({ id: id as PhaseId, jobs: ids.map((h) => job(id as PhaseId, h, make(h))) }));
  return { cluster: 'lab', operation: 'deploy', kubernetesVersion: '1.36.0', createdAt: '', hash: 'p', phases, warnings: [] };
}

function host(name: string, world: World): FakeHost {
  const done = new Set<string>();
  return new FakeHost(name, (c) => {
    if (c === 'applied') return { code: world.applied.get(name) === world.wanted ? 0 : 1 };
    if (c === 'apply') world.applied.set(name, world.wanted);
    if (c === 'started') return { code: done.has('start') ? 0 : 1 };
    if (c === 'healthy') return { code: done.has('start') ? 0 : 1, stdout: 'healthy' };
    if (c === 'follows') return { code: world.seen.get(name) === world.applied.get('a') ? 0 : 1 };
    if (c === 'follow') world.seen.set(name, world.applied.get('a') ?? 0);
    done.add(c);
    return undefined;
  });
}

describe('the host prefetch in a run', () => {
  let dir: string;
  let journal: JournalStore;
  let world: World;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ks-prefetch-'));
    journal = await JournalStore.open(join(dir, 'deploy-journal.json'), 'lab');
    world = { wanted: 1, applied: new Map(), seen: new Map() };
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  const deploy = (fakes: Map<string, FakeHost>, over: Partial<RunRequest> = {}) =>
    runDeploy({
      runId: 'r',
      plan: plan([...fakes.keys()]),
      hosts,
      transports: fakeProvider(fakes),
      journal,
      mode: 'fresh',
      concurrency: 2,
      signal: new AbortController().signal,
      events: { onRun: () => undefined, onLog: () => undefined },
      ...over,
    });
  const reset = (fakes: Map<string, FakeHost>) => {
    for (const f of fakes.values()) {
      f.execs = 0;
      f.commands.length = 0;
    }
  };
  const count = (f: FakeHost, c: string) => f.commands.filter((x) => x === c).length;

  it('an unchanged re-run costs the first job its two round trips and every later job together two more', async () => {
    const fakes = new Map([['a', host('a', world)]]);
    expect((await deploy(fakes)).counts.changed).toBe(4);
    reset(fakes);
    const again = await deploy(fakes);
    expect(again).toMatchObject({ state: 'succeeded', counts: { changed: 0, unchanged: 6 } });
    const a = fakes.get('a')!;
    // Preflight's own probe (it has no file), and the prefetch: file states and one probe for prepare, etcd and
    // control-plane (each job read its own: 2 + 1 + 1).
    expect(a.execs).toBe(1 + 2);
    for (const c of ['preflight-ok', 'applied', 'started', 'healthy', 'follows']) expect(count(a, c)).toBe(1);
  });

  it('a change anywhere in the run after the prefetch started makes later jobs read the host again', async () => {
    const fakes = new Map([
      ['a', host('a', world)],
      ['b', host('b', world)],
    ]);
    await deploy(fakes);
    world.wanted = 2;
    reset(fakes);
    const again = await deploy(fakes);
    // a applies the new version in prepare; b's prefetch, taken before, still said b follows a: b must look again.
    expect(again.state).toBe('succeeded');
    const b = fakes.get('b')!;
    expect(count(b, 'follows')).toBe(2);
    expect(count(b, 'follow')).toBe(1);
    expect(world.seen.get('b')).toBe(2);
  });

  it('a job whose guard failed in the prefetch runs its step, and the jobs after it read the host again', async () => {
    const fakes = new Map([['a', host('a', world)]]);
    await deploy(fakes);
    world.applied.delete('a');
    reset(fakes);
    const again = await deploy(fakes);
    expect(again.counts.changed).toBe(1);
    const a = fakes.get('a')!;
    expect(count(a, 'apply')).toBe(1);
    // prepare used the prefetch (its guard asked once); etcd, after the change, asked for itself, and its check
    // did not run in the prefetch (an earlier job's guard had failed).
    expect(count(a, 'applied')).toBe(1);
    expect(count(a, 'started')).toBe(2);
    expect(count(a, 'healthy')).toBe(1);
  });

  it('a prefetch that fails or comes back cut short leaves each job to read the host itself', async () => {
    for (const broken of ['throws', 'cut'] as const) {
      world = { wanted: 1, applied: new Map(), seen: new Map() };
      const a = host('a', world);
      const exec = a.exec.bind(a);
      let rerun = false;
      a.exec = async (command, options) => {
        if (!command.startsWith(JOBS_PROBE_HEAD) || !rerun) return exec(command, options);
        if (broken === 'throws') throw new Error('channel closed');
        const r = await exec(command, options);
        return { ...r, stdout: r.stdout.slice(0, r.stdout.indexOf('ks-job-end 1')) };
      };
      const fakes = new Map([['a', a]]);
      await deploy(fakes);
      reset(fakes);
      rerun = true;
      const again = await deploy(fakes);
      expect(again).toMatchObject({ state: 'succeeded', counts: { changed: 0 } });
      if (broken === 'throws') {
        // No answer at all: preflight 1, the prefetch's file states 1, then prepare 2, etcd 1, control-plane 1.
        expect(a.execs).toBe(1 + 1 + 2 + 1 + 1);
        for (const c of ['applied', 'started', 'follows']) expect(count(a, c)).toBe(1);
      } else {
        // Cut after prepare's section: prepare takes its answers, etcd and control-plane ask again.
        expect(a.execs).toBe(1 + 2 + 1 + 1);
        expect([count(a, 'applied'), count(a, 'started'), count(a, 'follows')]).toEqual([1, 2, 2]);
      }
    }
  });
});
