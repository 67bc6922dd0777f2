import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApiError } from '../../src-shared/errors';
import type { Cluster } from '../../src-shared/model/cluster';
import { createBackend, type Backend } from '../backend';

/** TEST-NET-1 addresses: nothing here connects to a host. */
const host = (id: string, address: string, roles: string[] = []) => ({
  id,
  name: `n-${id}`,
  address,
  port: 22,
  user: 'root',
  auth: { kind: 'agent' },
  sudo: 'none',
  roles,
});

describe('cluster handlers: the gate, revisions and broken clusters', () => {
  let dir: string;
  let backend: Backend;
  const file = () => join(dir, 'clusters', 'lab', 'cluster.yaml');
  const call = async <T = unknown>(method: string, input: unknown): Promise<T> => {
    const result = await backend.dispatch(method, input);
    if (!result.ok) throw result.error;
    return result.value as T;
  };
  const refusal = async (method: string, input: unknown): Promise<ApiError> => {
    const result = await backend.dispatch(method, input);
    if (result.ok) throw new Error(`${method} was accepted`);
    return result.error;
  };

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ks-clusters-'));
    backend = createBackend({ dataDir: dir, mode: 'browser', version: 'test' });
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('refuses values that would reach a shell on save, naming each field, and writes nothing', async () => {
    const cluster = await call<Cluster>('clusters.create', { name: 'lab' });
    const before = await readFile(file(), 'utf8');
    const error = await refusal('clusters.save', {
      cluster: {
        ...cluster,
        hosts: [host('h1', '192.0.2.12;touch /tmp/x'), { ...host('h2', '192.0.2.13'), user: 'root;id' }],
        settings: { ...cluster.settings, clusterDomain: 'cluster.local;$(reboot)' },
      },
    });
    expect(error.name).toBe('InvalidCluster');
    const paths = (error.details?.problems as { path: string }[]).map((p) => p.path);
    expect(paths).toEqual(expect.arrayContaining(['hosts[0].address', 'hosts[1].user', 'settings.clusterDomain']));
    expect(await readFile(file(), 'utf8')).toBe(before);
  });

  it('refuses prototype names as host ids, and role maps keyed by them find no host instead of crashing', async () => {
    const cluster = await call<Cluster>('clusters.create', { name: 'lab' });
    const error = await refusal('clusters.save', { cluster: { ...cluster, hosts: [host('constructor', '192.0.2.10')] } });
    expect(error).toMatchObject({ name: 'InvalidCluster', message: expect.stringContaining('hosts[0].id') });

    await call('hosts.paste', { cluster: 'lab', text: '192.0.2.20' });
    for (const key of ['constructor', 'toString', '__proto__']) {
      const roles = JSON.parse(`{"${key}": ["etcd"]}`) as Record<string, string[]>;
      const answer = await backend.dispatch('hosts.setRoles', { cluster: 'lab', roles });
      if (!answer.ok) expect(answer.error.name).toBe('HostNotFound');
    }
    const after = await call<Cluster>('clusters.get', { name: 'lab' });
    expect(after.hosts.map((h) => h.roles)).toEqual([[]]);
  });

  it('refuses a save based on an older revision with ClusterChanged, keeping the newer write', async () => {
    const read = await call<Cluster>('clusters.create', { name: 'lab' });
    const { added } = await call<{ added: string[] }>('hosts.paste', { cluster: 'lab', text: '192.0.2.30' });
    const error = await refusal('clusters.save', { cluster: { ...read, settings: { ...read.settings, clusterDomain: 'old.local' } } });
    expect(error.name).toBe('ClusterChanged');
    const now = await call<Cluster>('clusters.get', { name: 'lab' });
    expect(now.hosts.map((h) => h.id)).toEqual(added);
    expect(now.settings.clusterDomain).toBe('cluster.local');
    const saved = await call<Cluster>('clusters.save', { cluster: { ...now, settings: { ...now.settings, clusterDomain: 'new.local' } } });
    expect(saved.revision).toBe(now.revision + 1);
  });

  it('lists broken clusters with their error, says a broken one exists, and repairs it from text', async () => {
    await call('clusters.create', { name: 'ok' });
    await call('clusters.create', { name: 'lab' });
    await writeFile(file(), 'name: lab\nhosts: {');
    await mkdir(join(dir, 'clusters', 'dir', 'cluster.yaml'), { recursive: true });
    const list = await call<{ name: string; broken?: { name: string } }[]>('clusters.list', {});
    expect(list.map((c) => [c.name, c.broken?.name])).toEqual([
      ['dir', 'InvalidClusterFile'],
      ['lab', 'InvalidClusterFile'],
      ['ok', undefined],
    ]);
    expect((await refusal('clusters.create', { name: 'lab' })).name).toBe('ClusterExists');
    expect((await refusal('clusters.get', { name: 'dir' })).name).toBe('InvalidClusterFile');
    expect(await call('clusters.readFile', { name: 'lab' })).toEqual({ path: file(), text: 'name: lab\nhosts: {' });
    expect((await refusal('clusters.repair', { name: 'lab', text: 'name: other\n' })).name).toBe('InvalidClusterFile');
    const repaired = await call<Cluster>('clusters.repair', { name: 'lab', text: 'name: lab\nhosts: []\n' });
    expect(repaired.hosts).toEqual([]);
    await call('clusters.remove', { name: 'dir' });
    expect((await call<{ name: string }[]>('clusters.list', {})).map((c) => c.name)).toEqual(['lab', 'ok']);
  });

  it('keeps every change answered with ok when many clients mix every mutating call', async () => {
    await call('clusters.create', { name: 'lab' });
    const expectedHosts = new Set<string>();
    /** Removal takes only pasted hosts and role changes only upserted ones, so no client changes a host another removes. */
    const pasted: string[] = [];
    const upserted: string[] = [];
    const removed = new Set<string>();
    const roles = new Map<string, string[]>();
    let domain = 'cluster.local';
    const client = async (c: number) => {
      for (let i = 0; i < 6; i++) {
        const n = c * 10 + i;
        switch (i % 6) {
          case 0: {
            const { hostId } = await call<{ hostId: string }>('hosts.upsert', {
              cluster: 'lab',
              host: { ...host(`u${n}`, `192.0.2.${n}`), id: undefined },
            });
            expectedHosts.add(hostId);
            upserted.push(hostId);
            break;
          }
          case 1: {
            const { added } = await call<{ added: string[] }>('hosts.paste', { cluster: 'lab', text: `198.51.100.${n}` });
            added.forEach((id) => expectedHosts.add(id));
            pasted.push(...added);
            break;
          }
          case 2: {
            const id = upserted.find((h) => !roles.has(h));
            if (!id) break;
            roles.set(id, ['node']);
            await call('hosts.setRoles', { cluster: 'lab', roles: { [id]: ['node'] } });
            break;
          }
          case 3:
          case 4: {
            // A whole-cluster save is tried until it is based on the newest revision, as the screen does after ClusterChanged.
            for (;;) {
              const read = await call<Cluster>('clusters.get', { name: 'lab' });
              const next = `c${n}.local`;
              const result = await backend.dispatch('clusters.save', {
                cluster: { ...read, settings: { ...read.settings, clusterDomain: next } },
              });
              if (result.ok) {
                domain = next;
                break;
              }
              expect(result.error.name).toBe('ClusterChanged');
            }
            break;
          }
          case 5: {
            const cluster = await call<Cluster>('clusters.get', { name: 'lab' });
            await call('clusterSettings.save', { cluster: 'lab', settings: { ...cluster.settings, clusterDomain: `s${n}.local` } });
            domain = `s${n}.local`;
            const id = pasted.find((h) => !removed.has(h));
            if (id) {
              removed.add(id);
              await call('hosts.remove', { cluster: 'lab', hostId: id });
            }
            break;
          }
        }
      }
    };
    await Promise.all(Array.from({ length: 6 }, (_, c) => client(c)));
    const final = await call<Cluster>('clusters.get', { name: 'lab' });
    expect(final.hosts.map((h) => h.id).sort()).toEqual([...expectedHosts].filter((id) => !removed.has(id)).sort());
    for (const [id, want] of roles) expect(final.hosts.find((h) => h.id === id)?.roles).toEqual(want);
    expect(final.settings.clusterDomain).toBe(domain);
  }, 120_000);
});
