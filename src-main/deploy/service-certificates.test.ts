import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listCertificates } from '../pki';
import { reusedKeys } from '../../test/support/pki-fixtures';
import { plainCipher } from '../store/secret-cipher';
import { Workspace } from '../store/workspace';
import { DeployService } from './service';
import { FakeHost, fakeProvider } from '../../test/support/deploy/fake-transport';
import { fakeBinaries, labCluster } from '../../test/support/deploy/fixtures';
import { putCluster } from '../../test/support/store/test-clusters';

describe("DeployService: certificates as the deploy's first step", () => {
  let dir: string;
  let workspace: Workspace;
  let service: DeployService;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ks-svc-pki-'));
    workspace = new Workspace(dir);
    await workspace.create('lab');
    await putCluster(workspace, labCluster(4));
    const generateKeyPair = await reusedKeys(3);
    // Every host answers every command with failure: the run stops in preflight, after the certificates step.
    const fakes = new Map(['h1', 'h2', 'h3', 'h4'].map((id) => [id, new FakeHost(id, () => ({ code: 1 }))]));
    service = new DeployService({
      workspace,
      cipher: plainCipher,
      emit: () => undefined,
      transports: () => fakeProvider(fakes),
      // The stand-in hosts answer direct uploads; the relay is tested in relay/ and on lab hosts.
      transfer: 'direct',
      binaries: async () => fakeBinaries(),
      pkiDeps: { generateKeyPair, now: () => new Date() },
    });
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  const pkiFiles = async () => (await readdir(workspace.pkiDir('lab'), { recursive: true })).length;

  it('plans the certificates instead of refusing, makes them only when the run starts, and not again after', async () => {
    const first = (await service.plan('lab')).plan;
    expect(first.certificates?.issued.length).toBeGreaterThan(20);
    expect(first.certificates?.issued.every((i) => i.reason === 'new')).toBe(true);
    // Reading the plan leaves pki/ as it was; reading it again gives the very same plan.
    expect(await pkiFiles()).toBe(0);
    expect((await service.plan('lab')).plan.hash).toBe(first.hash);

    const { done } = await service.start('lab', { mode: 'fresh', stopAfter: 'preflight', planHash: first.hash });
    await done;
    const listing = await listCertificates(workspace.pkiDir('lab'), plainCipher);
    expect(listing.certificates.map((c) => c.id)).toContain('apiserver');
    const next = (await service.plan('lab')).plan;
    expect(next.certificates).toBeUndefined();
    // The hosts get the certificates the plan showed: the same file steps, now read from pki/.
    const files = (p: typeof first) =>
      p.phases.flatMap((ph) => ph.jobs.flatMap((j) => j.steps.filter((s) => s.action.kind === 'file').map((s) => s.hash)));
    expect(files(next)).toEqual(files(first));
  });

  it('leaves nothing staged when the plan is refused after the certificates were made (binaries missing)', async () => {
    const refusing = new DeployService({
      workspace,
      cipher: plainCipher,
      emit: () => undefined,
      transports: () => fakeProvider(new Map()),
      transfer: 'direct',
      binaries: () => Promise.reject(Object.assign(new Error('no bundle here'), { name: 'BundleInvalid' })),
      pkiDeps: { generateKeyPair: await reusedKeys(3), now: () => new Date() },
    });
    await expect(refusing.plan('lab')).rejects.toMatchObject({ name: 'BundleInvalid' });
    expect(await readdir(workspace.stateDir('lab'))).toEqual([]);
    expect(await pkiFiles()).toBe(0);
  });

  it('makes only what a topology change needs, keeping the CAs', async () => {
    await (
      await service.start('lab', { mode: 'fresh', stopAfter: 'preflight' })
    ).done;
    const cluster = await workspace.get('lab');
    await putCluster(workspace, { ...cluster, hosts: [...cluster.hosts, { ...labCluster(5).hosts[4]! }] });
    const plan = (await service.plan('lab')).plan;
    const ids = plan.certificates?.issued.map((i) => i.id) ?? [];
    expect(ids.some((id) => id.includes('node5'))).toBe(true);
    expect(ids).not.toContain('ca');
    expect(ids).not.toContain('etcd-ca');
  });
});
