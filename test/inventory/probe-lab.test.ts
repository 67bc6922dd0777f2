import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Prompt } from '../../src-shared/contract/prompts';
import type { Cluster, ProbeResult } from '../../src-shared/model/cluster';
import { createBackend, type Backend } from '../../src-main/backend';
import { changeHostKey } from '../lab/faults';
import { labUp, type LabHost } from '../lab/lab';
import { labSkipReason, suiteName } from '../lab/support';

/** Probing real hosts through the API, the way the Inventory screen does, with the user's answers to prompts. */
describe.skipIf(!!labSkipReason)(suiteName('probe over the API on lab hosts'), () => {
  let dir: string;
  let backend: Backend;
  let hosts: LabHost[];
  const rejectKeysOf = new Set<string>();

  async function call<T>(method: string, input: unknown): Promise<T> {
    const result = await backend.dispatch(method, input);
    if (!result.ok) throw new Error(`${result.error.name}: ${result.error.message}`);
    return result.value as T;
  }

  async function addHost(
    cluster: string,
    name: string,
    address: string,
    fields: Record<string, unknown>,
    secrets?: Record<string, string>,
  ): Promise<string> {
    const out = await call<{ hostId: string }>('hosts.upsert', {
      cluster,
      host: { name, address, port: 22, roles: [], ...fields },
      ...(secrets ? { secrets } : {}),
    });
    return out.hostId;
  }

  async function probe(clusterName: string, hostId: string): Promise<ProbeResult> {
    const cluster = await call<Cluster>('hosts.probe', { cluster: clusterName, hostId });
    return cluster.hosts.find((h) => h.id === hostId)!.probe!;
  }

  beforeAll(async () => {
    hosts = await labUp(3);
    dir = await mkdtemp(join(tmpdir(), 'ks-probe-'));
    backend = createBackend({ dataDir: dir, mode: 'browser', version: 'test' });
    // The person at the keyboard: trusts host keys except those of hosts the test says not to.
    backend.events.subscribe((event, payload) => {
      if (event !== 'prompt') return;
      const prompt = payload as Prompt;
      if (prompt.kind === 'hostKey')
        void backend.dispatch('prompts.answer', { kind: 'hostKey', promptId: prompt.promptId, accept: !rejectKeysOf.has(prompt.host) });
      else void backend.dispatch('prompts.answer', { kind: 'secret', promptId: prompt.promptId });
    });
    for (const name of ['key', 'pw', 'badpw', 'untrusted', 'closed', 'rekeyed']) await call('clusters.create', { name });
  });

  afterAll(async () => {
    await backend?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('reads the facts of a host reached with a key', async () => {
    const node = hosts[0]!;
    const id = await addHost('key', node.name, node.address, {
      user: 'root',
      auth: { kind: 'key', keyPath: node.rootKeyPath, hasPassphrase: false },
    });
    const result = await probe('key', id);
    expect(result.error).toBeUndefined();
    expect(result).toMatchObject({ ok: true, hostname: node.name, os: { id: 'debian', version: '12' }, arch: 'x86_64' });
    expect(result.cpus).toBeGreaterThan(0);
    expect(result.memoryBytes).toBeGreaterThan(100 * 1024 * 1024);
    expect(result.diskFreeBytes).toBeGreaterThan(0);
    expect(typeof result.cgroupV2).toBe('boolean');
    expect(Math.abs(result.timeOffsetMs!)).toBeLessThan(2000);
  });

  it('logs in with a stored password, and a wrong one fails that host only, with a clear message', async () => {
    const node = hosts[1]!;
    const pw = node.users.pwuser;
    const good = await addHost(
      'pw',
      node.name,
      node.address,
      { user: pw.username, auth: { kind: 'password' } },
      { password: pw.password! },
    );
    expect(await probe('pw', good)).toMatchObject({ ok: true, hostname: node.name });
    const bad = await addHost(
      'badpw',
      node.name,
      node.address,
      { user: pw.username, auth: { kind: 'password' } },
      { password: 'not-the-password' },
    );
    const failed = await probe('badpw', bad);
    expect(failed.ok).toBe(false);
    expect(failed.error?.name).toBe('AuthFailed');
    expect(failed.error?.message).toMatch(/password/i);
    const cluster = await call<Cluster>('clusters.get', { name: 'pw' });
    expect(cluster.hosts.find((h) => h.id === good)?.probe?.ok).toBe(true);
  });

  it('refuses a host whose key the user does not trust, and a closed port, each with its own message', async () => {
    const node = hosts[2]!;
    rejectKeysOf.add(node.address);
    const untrusted = await addHost('untrusted', node.name, node.address, {
      user: 'root',
      auth: { kind: 'key', keyPath: node.rootKeyPath, hasPassphrase: false },
    });
    expect((await probe('untrusted', untrusted)).error?.name).toBe('HostKeyRejected');
    const closed = await addHost('closed', 'closed-port', hosts[0]!.address, {
      port: 2,
      user: 'root',
      auth: { kind: 'key', keyPath: node.rootKeyPath, hasPassphrase: false },
    });
    const refused = await probe('closed', closed);
    expect(refused.error?.name).toBe('ConnectionRefused');
    expect(refused.error?.hint).toBeTruthy();
  });

  it('refuses a changed host key loudly, and trusts the new one only when the user accepts that exact key', async () => {
    const node = hosts[1]!;
    const id = await addHost('rekeyed', node.name, node.address, {
      user: 'root',
      auth: { kind: 'key', keyPath: node.rootKeyPath, hasPassphrase: false },
    });
    expect((await probe('rekeyed', id)).ok).toBe(true);
    await changeHostKey(node);
    const refused = await probe('rekeyed', id);
    expect(refused.error?.name).toBe('HostKeyMismatch');
    expect(refused.error?.message).toContain('HAS CHANGED');
    const fingerprint = refused.error!.newFingerprint!;
    expect(fingerprint).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
    const wrong = await backend.dispatch('hostKeys.acceptChanged', {
      cluster: 'rekeyed',
      hostId: id,
      fingerprint: `SHA256:${'A'.repeat(43)}`,
    });
    expect(wrong).toMatchObject({ ok: false, error: { name: 'HostKeyMismatch' } });
    expect((await probe('rekeyed', id)).error?.name).toBe('HostKeyMismatch');
    await call('hostKeys.acceptChanged', { cluster: 'rekeyed', hostId: id, fingerprint });
    expect(await probe('rekeyed', id)).toMatchObject({ ok: true, hostname: node.name });
  });
});
