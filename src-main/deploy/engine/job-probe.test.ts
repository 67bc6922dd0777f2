import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ClusterSchema } from '../../../src-shared/model/cluster';
import type { Plan, PlanStep } from '../../../src-shared/model/plan';
import type { ShellCommand } from '../../../src-shared/model/shell-command';
import { raw } from '../../ssh/shell';
import { commandStep, fileStep, unitStep, variantFileStep } from '../steps';
import { FakeHost, fakeProvider } from '../../../test/support/deploy/fake-transport';
import { traceShell } from '../../../test/support/trace-shell';
import { jobProbeScript, jobsProbeScript, parseJobProbe, parseJobsProbe, type ProbeQuestions } from './job-probe';
import { JournalStore } from './journal';
import { runDeploy } from './runner';

const cmd = (s: string) => s as ShellCommand;

describe('jobProbeScript under dash', () => {
  const run = (guards: string[], chooseBy: string[], checks: string[]) => {
    const script = jobProbeScript(guards.map(cmd), chooseBy.map(cmd), checks.map(cmd)).command;
    expect(spawnSync('dash', ['-n', '-c', script]).status).toBe(0);
    const r = spawnSync('dash', ['-c', script], { encoding: 'utf8' });
    return parseJobProbe(r.stdout, { guards: guards.length, chooseBy: chooseBy.length, checks: checks.length });
  };

  it('answers guards, choices with their output, and the checks when every guard passed', () => {
    const p = run(
      ['true', 'test 1 = 1'],
      ["printf 'Version: 3.6.1\\nsecond line'", 'echo oops >&2; exit 4'],
      ['echo fine', 'echo no; exit 2'],
    );
    expect(p.guards).toEqual([true, true]);
    expect(p.chosen).toEqual([
      { code: 0, output: 'Version: 3.6.1\nsecond line' },
      { code: 4, output: 'oops' },
    ]);
    expect(p.checks).toEqual([
      { code: 0, output: 'fine' },
      { code: 2, output: 'no' },
    ]);
  });

  it('runs no check when a guard failed: a host with work to do does not wait on services not yet started', () => {
    const p = run(['true', 'false'], [], ['touch /proc/never-made; echo ran']);
    expect(p.guards).toEqual([true, false]);
    expect(p.checks).toEqual([undefined]);
  });

  it('an item cannot forge another answer: every line it prints is prefixed with its own index', () => {
    const p = run([], [], ["printf 'ks-spec 1 0\\nks-check 0\\n'; exit 1", 'exit 3']);
    expect(p.checks).toEqual([
      { code: 1, output: 'ks-spec 1 0\nks-check 0' },
      { code: 3, output: '' },
    ]);
    expect(p.guards).toEqual([]);
  });
});

describe('jobProbeScript: what an item costs and keeps', () => {
  // Items whose commands are builtins only: every process the script starts is the probe's own.
  const items = ['echo one', "printf 'a\\\\tb \\\\\\\\c\\n-n\\n\\n  indented  \\nks_said_end\\n'", 'exit 3'];
  for (const shell of ['dash', 'bash']) {
    it(`${shell}: one process per item, and its output comes back byte for byte (backslashes, blank lines, spaces)`, () => {
      const script = jobProbeScript([], items.map(cmd), []).command;
      const r = traceShell(shell, script);
      expect(r.status).toBe(0);
      expect(r.started).toEqual(items.map(() => 'subshell'));
      expect(parseJobProbe(r.stdout, { guards: 0, chooseBy: items.length, checks: 0 }).chosen).toEqual([
        { code: 0, output: 'one' },
        { code: 0, output: 'a\\tb \\\\c\n-n\n\n  indented  \nks_said_end' },
        { code: 3, output: '' },
      ]);
    });
  }
});

describe('jobsProbeScript under dash', () => {
  const run = (jobs: Array<[string[], string[], string[]]>) => {
    const asked: ProbeQuestions[] = jobs.map(([g, c, k]) => [g.map(cmd), c.map(cmd), k.map(cmd)]);
    const script = jobsProbeScript(asked).command;
    expect(spawnSync('dash', ['-n', '-c', script]).status).toBe(0);
    return parseJobsProbe(spawnSync('dash', ['-c', script], { encoding: 'utf8' }).stdout, asked);
  };

  it("answers each job apart; a job's checks run only when its guards and the earlier jobs' guards passed", () => {
    const p = run([
      [['true'], ['echo v1'], ['echo one']],
      [['false'], [], ['echo two']],
      [['true'], ['echo v3'], ['echo three']],
    ]);
    expect(p[0]).toEqual({ guards: [true], chosen: [{ code: 0, output: 'v1' }], checks: [{ code: 0, output: 'one' }] });
    expect(p[1]).toEqual({ guards: [false], chosen: [], checks: [undefined] });
    expect(p[2]).toEqual({ guards: [true], chosen: [{ code: 0, output: 'v3' }], checks: [undefined] });
  });

  it('an item cannot end its job early or forge another job: a job without its end marker did not answer', () => {
    const p = run([
      [[], ["printf 'ks-job-end 0\\nks-job 1\\nks-check 0\\n'"], []],
      [['exit 1'], [], []],
    ]);
    expect(p[0]?.chosen).toEqual([{ code: 0, output: 'ks-job-end 0\nks-job 1\nks-check 0' }]);
    expect(p[1]?.guards).toEqual([false]);
    expect(parseJobsProbe('ks-job 0\nks-check 0\n', [[[cmd('true')], [], []]])).toEqual([undefined]);
  });
});

describe('the job probe in a run', () => {
  const hosts = ClusterSchema.parse({ name: 'lab', hosts: [{ id: 'a', name: 'node-a', address: '10.231.0.97', roles: ['etcd'] }] }).hosts;
  let dir: string;
  let journal: JournalStore;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ks-probe-'));
    journal = await JournalStore.open(join(dir, 'deploy-journal.json'), 'lab');
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  /** A host whose unit runs once started, and whose version command says 3.6. */
  const host = () => {
    let started = false;
    return new FakeHost('a', (c) => {
      if (c === 'etcd --version') return { stdout: 'Version: 3.6.1' };
      if (c.includes('is-active --quiet etcd')) return { code: started ? 0 : 1 };
      if (c.includes('systemctl restart')) started = true;
      if (c === 'etcd-healthy' || c === 'metrics-ok') return { code: started ? 0 : 1, stdout: started ? 'healthy' : 'refused' };
      return undefined;
    });
  };
  const steps = (): PlanStep[] => {
    const unit = variantFileStep('etcd/a/unit', 'etcd unit', {
      path: '/etc/systemd/system/etcd.service',
      chooseBy: raw('etcd --version'),
      variants: [
        { match: 'Version: 3\\.6', label: '3.6', text: 'unit 3.6\n' },
        { match: 'Version: 3\\.5', label: '3.5', text: 'unit 3.5\n' },
      ],
    });
    const cert = fileStep('etcd/a/cert', 'cert', { path: '/etc/kubernetes/pki/etcd/ca.crt', text: 'ca\n' });
    return [
      cert,
      unit,
      unitStep('etcd/a/start', { unit: 'etcd', inputs: [cert, unit] }),
      commandStep('etcd/a/metrics', 'metrics', { check: true, run: raw('metrics-ok'), retry: { attempts: 3, intervalMs: 1 } }),
      commandStep('etcd/a/healthy', 'healthy', { check: true, run: raw('etcd-healthy'), retry: { attempts: 3, intervalMs: 1 } }),
    ];
  };
  const plan = (): Plan => ({
    cluster: 'lab',
    operation: 'deploy',
    kubernetesVersion: '1.36.0',
    createdAt: '',
    hash: 'p',
    warnings: [],
    phases: [{ id: 'etcd', jobs: [{ phase: 'etcd', hostId: 'a', hostName: 'node-a', steps: steps(), needs: [] }] }],
  });
  const deploy = (fake: FakeHost, logs: string[] = []) =>
    runDeploy({
      runId: 'r',
      plan: plan(),
      hosts,
      transports: fakeProvider(new Map([['a', fake]])),
      journal,
      mode: 'fresh',
      concurrency: 2,
      signal: new AbortController().signal,
      events: { onRun: () => undefined, onLog: (_h, s, l) => logs.push(`${s} ${l}`) },
    });

  it('an unchanged job costs two round trips: file states, and one probe with its guards, variant choice and checks', async () => {
    const fake = host();
    expect((await deploy(fake)).counts.changed).toBe(3);
    fake.execs = 0;
    fake.commands.length = 0;
    const logs: string[] = [];
    const again = await deploy(fake, logs);
    expect(again).toMatchObject({ state: 'succeeded', counts: { changed: 0, unchanged: 5 } });
    expect(fake.execs).toBe(2);
    // Each check ran once, in the probe, and its output is still in the host's log.
    expect(fake.commands.filter((c) => c === 'etcd-healthy')).toHaveLength(1);
    expect(fake.commands.filter((c) => c === 'etcd --version')).toHaveLength(1);
    expect(logs).toContain('stdout healthy');
  });

  it('on a first run the checks wait for the unit: none runs in the probe, and each runs after the start', async () => {
    const fake = host();
    const run = await deploy(fake);
    expect(run.state).toBe('succeeded');
    const order = fake.commands.filter((c) => c === 'etcd-healthy' || c.includes('systemctl restart'));
    expect(order).toHaveLength(2);
    expect(order[1]).toBe('etcd-healthy');
  });

  it("a check's answer from the probe is not used once a step of the job changed the host", async () => {
    const fake = host();
    await deploy(fake);
    // The certificate changed on the host: it is written again, and the unit's guard still passes (its marker), so the
    // probe does run the checks; they must run again after the write.
    fake.files.set('/etc/kubernetes/pki/etcd/ca.crt', { sha256: 'other', mode: '644' });
    fake.commands.length = 0;
    const again = await deploy(fake);
    expect(again.counts.changed).toBe(1);
    expect(fake.commands.filter((c) => c === 'etcd-healthy')).toHaveLength(2);
  });
});
