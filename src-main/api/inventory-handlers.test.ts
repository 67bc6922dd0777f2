import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KubesmithError } from '../../src-shared/errors';
import type { Cluster } from '../../src-shared/model/cluster';
import { createBackend, type Backend } from '../backend';
import type { SecretCipher } from '../store/secret-cipher';
import { fakeKeychainCipher } from '../../test/support/store/test-ciphers';
import { filesUnder } from '../../test/support/store/test-files';
import { inventoryHandlers } from './inventory-handlers';

const PASSWORD = 'Tr0ub4dor&3-never-on-disk';
const SUDO = 'sudo-pw-also-secret';
const FIXTURE = join(__dirname, '..', '..', 'test', 'fixtures', 'kubeasz');

const newHost = {
  name: 'etcd-1',
  address: '192.168.50.20',
  port: 22,
  user: 'admin',
  auth: { kind: 'password' as const },
  sudo: 'password' as const,
  roles: [],
};

describe('inventory handlers', () => {
  let dir: string;
  let backend: Backend;
  const start = (cipher?: SecretCipher) => {
    backend = createBackend({ dataDir: dir, mode: 'browser', version: 'test', ...(cipher ? { cipher } : {}) });
    return backend;
  };
  const call = async <T = unknown>(method: string, input: unknown): Promise<T> => {
    const result = await backend.dispatch(method, input);
    if (!result.ok) throw new KubesmithError(result.error.name, result.error.message, result.error.hint);
    return result.value as T;
  };
  const filesContaining = async (needle: string) => {
    const hits: string[] = [];
    for (const file of await filesUnder(dir)) {
      const bytes = await readFile(file);
      if (bytes.includes(needle) || bytes.includes(Buffer.from(needle).toString('base64'))) hits.push(file);
    }
    return hits;
  };

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ks-inv-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('saves a host with passwords through the API: the answer says only "has password", and no file holds them', async () => {
    start();
    await call('clusters.create', { name: 'lab' });
    const raw = await backend.dispatch('hosts.upsert', {
      cluster: 'lab',
      host: newHost,
      secrets: { password: PASSWORD, sudoPassword: SUDO },
    });
    expect(JSON.stringify(raw)).not.toContain(PASSWORD);
    expect(JSON.stringify(raw)).not.toContain(SUDO);
    expect(raw).toMatchObject({ ok: true, value: { secrets: { password: true, passphrase: false, sudoPassword: true } } });
    const hostId = (raw as { value: { hostId: string } }).value.hostId;

    expect(await filesContaining(PASSWORD)).toEqual([]);
    expect(await filesContaining(SUDO)).toEqual([]);
    expect(await call('hosts.secrets', { cluster: 'lab' })).toEqual({
      [hostId]: { password: true, passphrase: false, sudoPassword: true },
    });
    expect(await backend.context.secrets.get('lab', hostId, 'password')).toBe(PASSWORD);

    // Switching to ssh-agent forgets the login password; sudo keeps its own.
    await call('hosts.upsert', { cluster: 'lab', host: { ...newHost, id: hostId, auth: { kind: 'agent' } } });
    expect(await call('hosts.secrets', { cluster: 'lab' })).toEqual({
      [hostId]: { password: false, passphrase: false, sudoPassword: true },
    });
  });

  it('with a keychain cipher, the workspace holds only sealed secrets, which survive a restart', async () => {
    const cipher = fakeKeychainCipher();
    start(cipher);
    await call('clusters.create', { name: 'lab' });
    const { hostId } = await call<{ hostId: string }>('hosts.upsert', {
      cluster: 'lab',
      host: { ...newHost, auth: { kind: 'key', keyPath: '/keys/lab', hasPassphrase: false } },
      secrets: { passphrase: PASSWORD, sudoPassword: SUDO },
    });
    expect(await filesContaining(PASSWORD)).toEqual([]);
    expect(await filesContaining(SUDO)).toEqual([]);
    const sealed = JSON.parse(await readFile(join(dir, 'clusters', 'lab', 'state', 'secrets.json'), 'utf8'));
    expect(Object.keys(sealed.hosts[hostId])).toEqual(['passphrase', 'sudoPassword']);
    const yaml = parse(await readFile(join(dir, 'clusters', 'lab', 'cluster.yaml'), 'utf8'));
    expect(yaml.hosts[0].auth).toEqual({ kind: 'key', keyPath: '/keys/lab', hasPassphrase: true });

    start(cipher);
    expect(await backend.context.secrets.get('lab', hostId, 'passphrase')).toBe(PASSWORD);
    await call('hosts.remove', { cluster: 'lab', hostId });
    expect(sealedHosts(await readFile(join(dir, 'clusters', 'lab', 'state', 'secrets.json'), 'utf8'))).toEqual([]);
  });

  it('pastes hosts, sets roles, saves settings and removes hosts, all into cluster.yaml', async () => {
    start();
    await call('clusters.create', { name: 'lab' });
    const { added } = await call<{ added: string[] }>('hosts.paste', {
      cluster: 'lab',
      text: '192.168.50.20-22\n192.168.50.10-11\n192.168.50.40-42',
    });
    expect(added).toHaveLength(8);
    const roles = Object.fromEntries(added.map((id, i) => [id, i < 3 ? ['etcd'] : i < 5 ? ['master'] : ['node']]));
    await call('hosts.setRoles', { cluster: 'lab', roles });
    const settings = (await call<Cluster>('clusters.get', { name: 'lab' })).settings;
    await call('clusterSettings.save', { cluster: 'lab', settings: { ...settings, proxyMode: 'ipvs' } });

    const onDisk = parse(await readFile(join(dir, 'clusters', 'lab', 'cluster.yaml'), 'utf8'));
    expect(onDisk.hosts.map((h: { roles: string[] }) => h.roles.join())).toEqual([
      'etcd',
      'etcd',
      'etcd',
      'master',
      'master',
      'node',
      'node',
      'node',
    ]);
    expect(onDisk.settings.proxyMode).toBe('ipvs');

    await expect(
      call('clusterSettings.save', { cluster: 'lab', settings: { ...settings, serviceCidr: '192.168.0.0/16' } }),
    ).rejects.toMatchObject({
      name: 'InvalidSettings',
      message: expect.stringContaining('contains the address of host 192.168.50.20'),
    });
    await expect(call('hosts.paste', { cluster: 'lab', text: '192.168.50.20' })).rejects.toMatchObject({ name: 'InvalidHostList' });
    const keyed = await call<{ cluster: Cluster; added: string[] }>('hosts.paste', {
      cluster: 'lab',
      text: '192.168.50.60',
      defaults: { keyPath: '/home/me/.ssh/lab' },
    });
    expect(keyed.cluster.hosts.find((h) => h.id === keyed.added[0])?.auth).toEqual({
      kind: 'key',
      keyPath: '/home/me/.ssh/lab',
      hasPassphrase: false,
    });
    await call('hosts.remove', { cluster: 'lab', hostId: keyed.added[0] });
    const after = await call<Cluster>('hosts.remove', { cluster: 'lab', hostId: added[0] });
    expect(after.hosts).toHaveLength(7);
  });

  it('serialises quick edits so none is lost', async () => {
    start();
    await call('clusters.create', { name: 'lab' });
    const { added } = await call<{ added: string[] }>('hosts.paste', { cluster: 'lab', text: '10.0.0.1-20' });
    await Promise.all(added.map((id) => call('hosts.setRoles', { cluster: 'lab', roles: { [id]: ['node'] } })));
    expect((await call<Cluster>('clusters.get', { name: 'lab' })).hosts.every((h) => h.roles.includes('node'))).toBe(true);
  });

  it("imports the seed's kubeasz files", async () => {
    start();
    await call('clusters.create', { name: 'seed' });
    const result = await call<{ cluster: Cluster; added: number }>('hosts.importKubeasz', {
      cluster: 'seed',
      hostsIni: await readFile(join(FIXTURE, 'hosts'), 'utf8'),
      configYaml: await readFile(join(FIXTURE, 'config.yml'), 'utf8'),
    });
    expect(result.added).toBe(8);
    expect((await call<Cluster>('clusters.get', { name: 'seed' })).settings.addons).toEqual({
      coredns: false,
      metricsServer: false,
      headlamp: false,
    });
  });

  it('answers probe with NotAvailable when no prober is given, and stores what a prober says', async () => {
    start();
    await call('clusters.create', { name: 'lab' });
    // TEST-NET-1 addresses: the probers here are in-process, nothing is ever sent to them.
    const { added } = await call<{ added: string[] }>('hosts.paste', { cluster: 'lab', text: '192.0.2.20-21' });
    const withoutProber = inventoryHandlers(backend.context);
    await expect(withoutProber['hosts.probe']({ cluster: 'lab', hostId: added[0]! })).rejects.toMatchObject({
      name: 'NotAvailable',
      hint: expect.any(String),
    });

    const handlers = inventoryHandlers(backend.context, {
      probe: async ({ host }) => {
        if (host.address.endsWith('.21')) throw new KubesmithError('ConnectTimeout', 'No answer from 192.0.2.21.', 'Is it on?');
        return { at: '2025-01-01T00:00:00Z', ok: true, cpus: 4, memoryBytes: 8 * 1024 ** 3, hostname: 'etcd-1' };
      },
    });
    const ok = await handlers['hosts.probe']({ cluster: 'lab', hostId: added[0]! });
    expect(ok.hosts![0]!.probe).toMatchObject({ ok: true, cpus: 4, hostname: 'etcd-1' });
    const failed = await handlers['hosts.probe']({ cluster: 'lab', hostId: added[1]! });
    expect(failed.hosts![1]!.probe).toMatchObject({
      ok: false,
      error: { name: 'ConnectTimeout', message: 'No answer from 192.0.2.21.', hint: 'Is it on?' },
    });
    expect(failed.hosts![0]!.probe).toMatchObject({ ok: true });
  });

  it('lists ~/.ssh/config aliases, and none when there is no config', async () => {
    start();
    const home = join(dir, 'home');
    await mkdir(join(home, '.ssh'), { recursive: true });
    const handlers = inventoryHandlers(backend.context, { home });
    const agent = Boolean(process.env.SSH_AUTH_SOCK);
    expect(await handlers['hosts.sshConfigAliases']({})).toEqual({ path: join(home, '.ssh', 'config'), found: false, aliases: [], agent });
    await writeFile(
      join(home, '.ssh', 'config'),
      'Host lab1\n  HostName 10.0.0.5\n  User ops\nHost *\n  User root\n  IdentityFile ~/.ssh/lab\n',
    );
    const answer = await handlers['hosts.sshConfigAliases']({});
    expect(answer.aliases).toEqual([{ alias: 'lab1', hostName: '10.0.0.5', user: 'ops', identityFile: join(home, '.ssh', 'lab') }]);
    // A new cluster's bare addresses start from "Host *".
    expect(answer.defaults).toEqual({ user: 'root', identityFile: join(home, '.ssh', 'lab') });
  });
});

function sealedHosts(text: string): string[] {
  return Object.keys(JSON.parse(text).hosts);
}
