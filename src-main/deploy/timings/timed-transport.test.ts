import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ClusterSchema, type Host } from '../../../src-shared/model/cluster';
import type { Plan, PlanJob } from '../../../src-shared/model/plan';
import { raw } from '../../ssh/shell';
import { JournalStore } from '../engine/journal';
import { runDeploy } from '../engine/runner';
import type { HostTransport, RemoteExecOptions, TransportProvider } from '../engine/transport';
import { commandStep, fileStep } from '../steps';
import { FakeHost, fakeProvider } from '../../../test/support/deploy/fake-transport';
import { RunTimer } from './collector';
import { timedHost, timedTransports } from './timed-transport';
import { localWorkAsync } from './tally';

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A transport that waits the way the SSH layer does (for a connection, then a channel) and says so through onWait,
 * then runs; an upload hashes on this computer first, as execUpload does.
 */
class WaitingHost implements HostTransport {
  readonly reported: number[] = [];
  async exec(_command: string, options: RemoteExecOptions = {}) {
    await tick(3);
    options.onWait?.(2);
    this.reported.push(2);
    await tick(2);
    return { code: 0, stdout: '', stderr: '' };
  }
  async upload(_local: string, _remote: string, options: { mode: number; onWait?: (ms: number) => void }) {
    await localWorkAsync(() => tick(2));
    options.onWait?.(1);
    this.reported.push(1);
    await tick(2);
    return { transferred: 4096, skipped: false };
  }
}

const job: PlanJob = { phase: 'prepare', hostId: 'a', hostName: 'node-a', steps: [], needs: [] };

describe('timedHost', () => {
  it('counts waits, bytes and round trips of the step they happen in; waits stay within the wall time', async () => {
    const inner = new WaitingHost();
    const t = timedHost(inner);
    const timer = new RunTimer();
    const step = commandStep('prepare/a/x', 'x', { run: raw('true') });
    const callerWaits: number[] = [];
    await timer.job(job, () =>
      timer.step(job, step, async () => {
        await t.exec(raw('cat').command, { stdin: new Uint8Array(100), onWait: (ms) => callerWaits.push(ms) });
        await t.upload('/local/bin', '/usr/local/bin/x', { mode: 0o755 });
        await t.exec(raw('true').command);
      }),
    );
    const s = timer.finish({ runId: 'r', cluster: 'lab' }).steps[0]!;
    expect(s.bytes).toBe(100 + 4096);
    expect(s.roundTrips).toBe(3);
    expect(s.waitMs).toBe(inner.reported.reduce((a, b) => a + b, 0));
    // The caller's own listener still hears the wait.
    expect(callerWaits).toEqual([2]);
    expect(s.waitMs).toBeLessThanOrEqual(s.wallMs);
    expect(s.localMs).toBeGreaterThan(0);
    expect(s.waitMs + s.remoteMs + s.localMs).toBeLessThanOrEqual(s.wallMs + 1);
  });

  it("keeps the transport's batched uploads (uploadLacking), counted as one round trip with the bytes of every file", async () => {
    const inner = new WaitingHost();
    const batching: HostTransport = {
      exec: (c, o) => inner.exec(c, o),
      upload: (l, r, o) => inner.upload(l, r, o),
      uploadLacking: async (files, options) => {
        options.onWait?.(3);
        return files.map(() => ({ ok: true as const, transferred: 1000, skipped: false }));
      },
    };
    const t = timedHost(batching);
    const timer = new RunTimer();
    const step = commandStep('binaries/a/x', 'x', { run: raw('true') });
    const files = ['a', 'b', 'c'].map((n) => ({ localPath: `/local/${n}`, remotePath: `/usr/local/bin/${n}`, mode: 0o755 }));
    await timer.job(job, () => timer.step(job, step, async () => void (await t.uploadLacking!(files, {}))));
    const s = timer.finish({ runId: 'r', cluster: 'lab' }).steps[0]!;
    expect(s).toMatchObject({ bytes: 3000, roundTrips: 1, waitMs: 3 });
    expect(timedHost(inner).uploadLacking).toBeUndefined();
  });

  it('passes calls through untouched outside a measured run', async () => {
    const inner = new WaitingHost();
    const r = await timedHost(inner).upload('/l', '/r', { mode: 0o644 });
    expect(r).toEqual({ transferred: 4096, skipped: false });
  });
});

describe('a measured run', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ks-timings-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  const hosts: Host[] = ClusterSchema.parse({
    name: 'lab',
    hosts: ['a', 'b'].map((n) => ({ id: n, name: `node-${n}`, address: `10.231.0.${n.charCodeAt(0)}`, roles: ['etcd', 'master'] })),
  }).hosts;

  function plan(): Plan {
    const jobs = (phase: 'prepare' | 'runtime') =>
      hosts.map((h) => ({
        phase,
        hostId: h.id,
        hostName: h.name,
        needs: [],
        steps: [
          fileStep(`${phase}/${h.id}/conf`, 'conf', { path: `/etc/${phase}.conf`, text: `${phase} on ${h.name}\n` }),
          commandStep(`${phase}/${h.id}/go`, 'go', { run: raw(`${phase}-go`), skipIf: raw(`${phase}-done`) }),
        ],
      }));
    const phases: Plan['phases'] = [
      { id: 'prepare', jobs: jobs('prepare') },
      { id: 'runtime', jobs: jobs('runtime') },
    ];
    return { cluster: 'lab', operation: 'deploy', kubernetesVersion: '1.37.0', createdAt: '', hash: 'p', phases, warnings: [] };
  }

  it('has every step, host and phase, and the bytes the hosts received', async () => {
    const fakes = new Map(hosts.map((h) => [h.id, new FakeHost(h.name, (c) => (c.endsWith('-done') ? { code: 1 } : undefined))]));
    let calls = 0;
    const inner = fakeProvider(fakes);
    const counting: TransportProvider = {
      forHost: (h) => {
        const t = inner.forHost(h);
        return {
          exec: (c, o) => (calls++, t.exec(c, o)),
          upload: (l, r, o) => (calls++, t.upload(l, r, o)),
        };
      },
      close: () => inner.close(),
    };
    const provider = timedTransports(counting);
    const timer = new RunTimer();
    const run = await runDeploy({
      runId: 'r1',
      plan: plan(),
      hosts,
      transports: provider,
      journal: await JournalStore.open(join(dir, 'journal.json'), 'lab'),
      mode: 'fresh',
      concurrency: 2,
      signal: new AbortController().signal,
      events: { onRun: () => undefined, onLog: () => undefined },
      timer,
    });
    expect(run.state).toBe('succeeded');
    const t = timer.finish(run);
    expect(t.stepCount).toBe(8);
    expect(t.phases.map((p) => p.phase)).toEqual(['prepare', 'runtime']);
    const sent = [...fakes.values()].reduce((n, f) => n + f.uploadedBytes, 0);
    expect(run.bytesUploaded).toBe(sent);
    expect(t.phases.reduce((n, p) => n + p.bytes, 0)).toBe(sent);
    expect(t.hosts.reduce((n, h) => n + h.bytes, 0)).toBe(sent);
    // Every command a host ran was counted once, in a step or in its job's batched reads.
    expect(calls).toBeGreaterThan(0);
    expect(t.hosts.reduce((n, h) => n + h.roundTrips, 0)).toBe(calls);
    expect(t.phases.reduce((n, p) => n + p.roundTrips, 0)).toBe(calls);
    for (const h of t.hosts) expect(h.wallMs + h.idleMs).toBeLessThanOrEqual(t.totalMs);
  });
});
