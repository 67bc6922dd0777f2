import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ClusterSchema } from '../../../src-shared/model/cluster';
import type { FileAction, Plan, PlanStep } from '../../../src-shared/model/plan';
import { raw } from '../../ssh/shell';
import { binaryStep, commandStep, fileStep } from '../steps';
import { FakeHost, fakeProvider } from '../../../test/support/deploy/fake-transport';
import { KubesmithError } from '../../../src-shared/errors';
import { JournalStore } from './journal';
import type { LackingUpload, UploadOutcome } from './transport';
import { runDeploy } from './runner';

const hosts = ClusterSchema.parse({ name: 'lab', hosts: [{ id: 'a', name: 'node-a', address: '10.231.0.97', roles: ['node'] }] }).hosts;

/** What FakeHost records as the SHA-256 of an uploaded local file. */
const FAKE_SHA = (localPath: string) => `sha-of-${localPath}`;

/** A host that records, per upload, whether the job told the transport the host lacks the file. */
class RecordingHost extends FakeHost {
  readonly lacking: Array<boolean | undefined> = [];
  override upload(localPath: string, remotePath: string, options: { mode: number; lacking?: boolean }) {
    this.lacking.push(options.lacking);
    return super.upload(localPath, remotePath, options);
  }
}

/** A host whose transport takes artifacts the job found lacking together (as the relay's does), recording each call. */
class BatchingHost extends RecordingHost {
  readonly batches: string[][] = [];
  failAt?: string;
  readonly uploadLacking = async (files: readonly LackingUpload[]): Promise<UploadOutcome[]> => {
    this.batches.push(files.map((f) => f.remotePath));
    const outcomes: UploadOutcome[] = [];
    for (const f of files) {
      if (f.remotePath === this.failAt) {
        outcomes.push({ ok: false, error: new KubesmithError('DiskFull', `The disk holding ${f.remotePath} is full.`) });
        break;
      }
      outcomes.push({ ok: true, ...(await this.upload(f.localPath, f.remotePath, { mode: f.mode, lacking: true })) });
    }
    return outcomes;
  };
}

describe('a first run on a fresh host', () => {
  let dir: string;
  let journal: JournalStore;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ks-first-'));
    journal = await JournalStore.open(join(dir, 'deploy-journal.json'), 'lab');
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  const steps = (): PlanStep[] => [
    fileStep('w/a/one', 'one', { path: '/etc/kubesmith-test/one.conf', text: 'one\n' }),
    fileStep('w/a/two', 'two', { path: '/etc/kubesmith-test/two.conf', text: 'two\n' }),
    binaryStep('w/a/kubelet', 'kubelet', {
      path: '/usr/local/bin/kubelet',
      localPath: '/cache/kubelet',
      sha256: FAKE_SHA('/cache/kubelet'),
      size: 10,
    }),
    binaryStep('w/a/proxy', 'kube-proxy', {
      path: '/usr/local/bin/kube-proxy',
      localPath: '/cache/proxy',
      sha256: FAKE_SHA('/cache/proxy'),
      size: 10,
    }),
    commandStep('w/a/touch', 'a command that changes the host', { run: raw('touch /etc/kubesmith-test/stamp') }),
    fileStep('w/a/three', 'three', { path: '/etc/kubesmith-test/three.conf', text: 'three\n' }),
  ];
  const deploy = (fake: FakeHost, log: (line: string) => void = () => undefined) =>
    runDeploy({
      runId: 'r',
      plan: {
        cluster: 'lab',
        operation: 'deploy',
        kubernetesVersion: '1.37.0',
        createdAt: '',
        hash: 'p',
        warnings: [],
        phases: [{ id: 'nodes', jobs: [{ phase: 'nodes', hostId: 'a', hostName: 'node-a', steps: steps(), needs: [] }] }],
      } satisfies Plan,
      hosts,
      transports: fakeProvider(new Map([['a', fake]])),
      journal,
      mode: 'fresh',
      concurrency: 1,
      signal: new AbortController().signal,
      events: { onRun: () => undefined, onLog: (_host, _kind, line) => log(line) },
    });

  it("writes each file the job's snapshot found missing without looking again, though earlier steps changed the host", async () => {
    const fake = new RecordingHost('a');
    const run = await deploy(fake);
    // Five files written; a command without a guard counts as unchanged.
    expect(run).toMatchObject({ state: 'succeeded', counts: { changed: 5, unchanged: 1 } });
    // One file-states read for the job, one command writing one.conf and two.conf, the command, three.conf: no state
    // read per file after the first change.
    expect(fake.execs).toBe(1 + 1 + 1 + 1);
    expect(fake.files.get('/etc/kubesmith-test/two.conf')?.sha256).toBe((steps()[1]!.action as FileAction).sha256);
    // The artifacts go without the transport's own presence check.
    expect(fake.lacking).toEqual([true, true]);
  });

  it('hands artifacts it found lacking, in a row, to a transport that takes them together: one call, each step its own', async () => {
    const fake = new BatchingHost('a');
    const logs: string[] = [];
    const run = await deploy(fake, (line) => logs.push(line));
    expect(run).toMatchObject({ state: 'succeeded', counts: { changed: 5, unchanged: 1 }, bytesUploaded: 2000 + 4 + 4 + 6 });
    expect(fake.batches).toEqual([['/usr/local/bin/kubelet', '/usr/local/bin/kube-proxy']]);
    expect(fake.files.get('/usr/local/bin/kube-proxy')?.sha256).toBe(FAKE_SHA('/cache/proxy'));
    expect(logs).toEqual(expect.arrayContaining(['▶ kubelet', '▶ kube-proxy', 'wrote /usr/local/bin/kube-proxy, 1000 bytes']));
    expect(journal.finished('w/a/proxy', steps()[3]!.hash)).toBe(true);
  });

  it('a file the transport could not install fails as its own step; the one before it is in place and journaled', async () => {
    const fake = new BatchingHost('a');
    fake.failAt = '/usr/local/bin/kube-proxy';
    const run = await deploy(fake);
    expect(run.state).toBe('failed');
    expect(run.hosts[0]?.cause).toMatchObject({ stepId: 'w/a/proxy', name: 'DiskFull' });
    expect(journal.finished('w/a/kubelet', steps()[2]!.hash)).toBe(true);
    expect(journal.finished('w/a/proxy', steps()[3]!.hash)).toBe(false);
  });

  it('looks again at a file the snapshot found in place once a step of the job changed the host', async () => {
    const fake = new RecordingHost('a');
    await deploy(fake);
    fake.files.delete('/etc/kubesmith-test/one.conf');
    fake.execs = 0;
    fake.lacking.length = 0;
    const again = await deploy(fake);
    // one.conf is written again; two.conf, the binaries and three.conf were in place, so after that change each is
    // looked at again: the text files by their own state read, the binaries by the transport (no `lacking`).
    expect(again).toMatchObject({ state: 'succeeded', counts: { changed: 1, unchanged: 5 } });
    expect(fake.lacking).toEqual([undefined, undefined]);
    // File states, the write of one.conf, a state read each for two.conf and three.conf, and the command.
    expect(fake.execs).toBe(1 + 1 + 2 + 1);
  });
});
