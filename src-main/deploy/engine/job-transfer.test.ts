import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KubesmithError } from '../../../src-shared/errors';
import { ClusterSchema } from '../../../src-shared/model/cluster';
import type { DeployRun, HostTransfer } from '../../../src-shared/model/deploy-run';
import type { Plan } from '../../../src-shared/model/plan';
import { binaryStep } from '../steps';
import { JournalStore } from './journal';
import { runDeploy } from './runner';
import type { HostTransport, TransportProvider } from './transport';

const hosts = ClusterSchema.parse({
  name: 'lab',
  hosts: [{ id: 'a', name: 'node-a', address: '10.231.0.2', roles: ['etcd', 'master'] }],
}).hosts;

const MB = 1_000_000;

function plan(): Plan {
  const step = binaryStep('binaries/a/kubelet', 'kubelet', {
    path: '/usr/local/bin/kubelet',
    localPath: '/cache/kubelet',
    sha256: 'f'.repeat(64),
    size: 40 * MB,
  });
  return {
    cluster: 'lab',
    operation: 'deploy',
    kubernetesVersion: '1.37.0',
    createdAt: '',
    hash: 'p1',
    phases: [{ id: 'binaries', jobs: [{ phase: 'binaries', hostId: 'a', hostName: 'node-a', steps: [step], needs: [] }] }],
    warnings: [],
  };
}

describe('a host row while its upload runs', () => {
  let dir: string;
  let journal: JournalStore;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ks-transfer-'));
    journal = await JournalStore.open(join(dir, 'journal.json'), 'lab');
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  /** An upload of 40 MB in 1 MB chunks, 100 ms apart on the test's clock (10 MB/s); the first attempt is cut at 10 MB. */
  function transports(clock: { now: number }, attempts: number[]): TransportProvider {
    let attempt = 0;
    const t: HostTransport = {
      exec: async () => ({ code: 0, stdout: '', stderr: '' }),
      upload: async (_local, _remote, { onProgress }) => {
        attempt++;
        const from = attempt === 1 ? 0 : 10 * MB;
        attempts.push(from);
        for (let done = from; done <= 40 * MB; done += MB) {
          onProgress?.(done, 40 * MB);
          if (attempt === 1 && done === 10 * MB) throw new KubesmithError('ConnectionLost', 'link cut');
          clock.now += 100;
        }
        return { transferred: 40 * MB - from, skipped: false };
      },
    };
    return { forHost: () => t, close: async () => undefined };
  }

  it('shows bytes, speed and time left a few times a second, continues a cut upload, and clears it after the step', async () => {
    const clock = { now: 0 };
    const attempts: number[] = [];
    const runs: DeployRun[] = [];
    const logs: string[] = [];
    const run = await runDeploy({
      runId: 'r1',
      plan: plan(),
      hosts,
      transports: transports(clock, attempts),
      journal,
      mode: 'fresh',
      concurrency: 1,
      signal: new AbortController().signal,
      transferClock: () => clock.now,
      events: { onRun: (r) => runs.push(r), onLog: (_h, _s, l) => logs.push(l) },
    });
    expect(run.state).toBe('succeeded');
    expect(attempts).toEqual([0, 10 * MB]);
    const shown = runs.map((r) => r.hosts[0]!.transfer).filter((x): x is HostTransfer => x !== undefined);
    // 40 chunks in 4 s of the test's clock, published at most every 250 ms: about 4 a second, not one per chunk.
    expect(shown.length).toBeGreaterThan(8);
    expect(shown.length).toBeLessThanOrEqual(4 * 4 + 4);
    expect(shown.at(-1)).toEqual({
      path: '/usr/local/bin/kubelet',
      doneBytes: 40 * MB,
      totalBytes: 40 * MB,
      bytesPerSecond: 10 * MB,
      secondsLeft: 0,
    });
    // Mid-way through the resumed attempt: 10 MB/s measured from where it continued, time left from the bytes left.
    const mid = shown.find((s) => s.doneBytes >= 20 * MB)!;
    expect(mid).toMatchObject({ bytesPerSecond: 10 * MB, secondsLeft: Math.ceil((40 * MB - mid.doneBytes) / (10 * MB)) });
    expect(logs).toContain(`continuing the upload of /usr/local/bin/kubelet at ${10 * MB} of ${40 * MB} bytes`);
    expect(run.hosts[0]!.transfer).toBeUndefined();
    expect(runs.at(-1)!.hosts[0]!.transfer).toBeUndefined();
  });
});
