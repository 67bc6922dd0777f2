import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Workspace } from './workspace';

describe('Workspace', () => {
  let dir: string;
  let ws: Workspace;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ks-ws-'));
    ws = new Workspace(dir);
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('creates a cluster folder with cluster.yaml, pki/ and state/', async () => {
    const cluster = await ws.create('homelab');
    expect(cluster.settings.kubernetesVersion).toBe('1.37');
    expect((await readdir(join(dir, 'clusters', 'homelab'))).sort()).toEqual(['cluster.yaml', 'pki', 'state']);
    const yaml = parse(await readFile(join(dir, 'clusters', 'homelab', 'cluster.yaml'), 'utf8'));
    expect(yaml).toMatchObject({ apiVersion: 'kubesmith.io/v1alpha1', kind: 'Cluster', name: 'homelab' });
  });

  it('saves, reads back and lists', async () => {
    const cluster = await ws.create('homelab');
    cluster.hosts.push({
      id: 'h1',
      name: 'etcd-1',
      address: '192.168.50.20',
      port: 22,
      user: 'root',
      auth: { kind: 'agent' },
      sudo: 'none',
      roles: ['etcd'],
    });
    await ws.replace(cluster);
    expect((await ws.get('homelab')).hosts[0]).toMatchObject({ name: 'etcd-1', roles: ['etcd'] });
    expect(await ws.list()).toEqual([expect.objectContaining({ name: 'homelab', hostCount: 1 })]);
  });

  it('writes atomically: no temp files are left behind', async () => {
    const cluster = await ws.create('homelab');
    for (let i = 0; i < 5; i++)
      await ws.update('homelab', (c) => ({ ...c, settings: { ...cluster.settings, clusterDomain: `c${i}.local` } }));
    expect(await readdir(join(dir, 'clusters', 'homelab'))).not.toContainEqual(expect.stringMatching(/\.tmp$/));
  });

  it('refuses a duplicate cluster and a bad name with clear errors', async () => {
    await ws.create('homelab');
    await expect(ws.create('homelab')).rejects.toMatchObject({ name: 'ClusterExists' });
    await expect(ws.create('../escape')).rejects.toMatchObject({ name: 'InvalidClusterName' });
    await expect(ws.get('missing')).rejects.toMatchObject({ name: 'ClusterNotFound' });
  });

  it('explains a hand-broken cluster.yaml instead of crashing, and lists the others', async () => {
    await ws.create('good');
    await ws.create('broken');
    await writeFile(join(dir, 'clusters', 'broken', 'cluster.yaml'), 'name: broken\nhosts: 12\n');
    await expect(ws.get('broken')).rejects.toMatchObject({ name: 'InvalidClusterFile', message: expect.stringContaining('hosts') });
    const list = await ws.list();
    expect(list.map((c) => c.name)).toEqual(['broken', 'good']);
    expect(list[0]).toMatchObject({ name: 'broken', broken: { name: 'InvalidClusterFile', message: expect.stringContaining('hosts') } });
    expect(list[1]!.broken).toBeUndefined();
  });

  it('keeps a broken cluster in sight: creating the same name says it exists, repair writes only a valid file', async () => {
    await ws.create('broken');
    const file = join(dir, 'clusters', 'broken', 'cluster.yaml');
    await writeFile(file, 'name: broken\nhosts: [\n');
    await expect(ws.create('broken')).rejects.toMatchObject({ name: 'ClusterExists', hint: expect.stringContaining('repaired') });
    await expect(ws.repair('broken', 'name: broken\nhosts:\n  - {id: a, name: a, address: "1.2.3.4;reboot"}\n')).rejects.toMatchObject({
      name: 'InvalidClusterFile',
    });
    expect(await readFile(file, 'utf8')).toBe('name: broken\nhosts: [\n');
    const repaired = await ws.repair('broken', 'name: broken\n');
    expect(repaired.name).toBe('broken');
    expect((await ws.list())[0]!.broken).toBeUndefined();
  });

  it('names a cluster.yaml that is a folder as a broken file, not an internal error', async () => {
    await mkdir(join(dir, 'clusters', 'odd', 'cluster.yaml'), { recursive: true });
    await expect(ws.get('odd')).rejects.toMatchObject({ name: 'InvalidClusterFile' });
    expect(await ws.list()).toEqual([
      expect.objectContaining({ name: 'odd', broken: expect.objectContaining({ name: 'InvalidClusterFile' }) }),
    ]);
  });

  it('refuses a hand-edited cluster.yaml whose values would reach a shell, naming the field', async () => {
    await ws.create('edited');
    await writeFile(
      join(dir, 'clusters', 'edited', 'cluster.yaml'),
      'name: edited\nhosts:\n  - {id: h1, name: n1, address: "192.0.2.12;touch /tmp/x"}\nsettings: {clusterDomain: "x$(reboot)"}\n',
    );
    const err = await ws.get('edited').catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'InvalidClusterFile', details: { problems: expect.any(Array) } });
    const paths = (err as { details: { problems: { path: string }[] } }).details.problems.map((p) => p.path);
    expect(paths).toEqual(expect.arrayContaining(['hosts[0].address', 'settings.clusterDomain']));
  });

  it('refuses a save based on an older revision, and writes nothing', async () => {
    const first = await ws.create('rev');
    const second = await ws.update('rev', (c) => ({ ...c, settings: { ...c.settings, clusterDomain: 'two.local' } }));
    expect(second.revision).toBe((first.revision ?? 0) + 1);
    await expect(ws.replace({ ...first, settings: { ...first.settings, clusterDomain: 'stale.local' } })).rejects.toMatchObject({
      name: 'ClusterChanged',
    });
    expect((await ws.get('rev')).settings.clusterDomain).toBe('two.local');
    const third = await ws.replace({ ...second, settings: { ...second.settings, clusterDomain: 'three.local' } });
    expect(third.revision).toBe((second.revision ?? 0) + 1);
  });

  it('loses no write when whole-cluster saves and host additions race', async () => {
    await ws.create('race');
    const host = (i: number) => ({
      id: `h${i}`,
      name: `n${i}`,
      address: `192.0.2.${i + 1}`,
      port: 22,
      user: 'root',
      auth: { kind: 'agent' as const },
      sudo: 'none' as const,
      roles: [],
    });
    const added: string[] = [];
    const saved: string[] = [];
    let refused = 0;
    await Promise.all(
      Array.from({ length: 16 }, async (_, i) => {
        if (i % 2 === 0) {
          await ws.update('race', (c) => ({ ...c, hosts: [...c.hosts, host(i)] }));
          added.push(`h${i}`);
        } else {
          // A client that is told ClusterChanged reads again and retries, as the screen does.
          const domain = `d${i}.local`;
          for (;;) {
            const read = await ws.get('race');
            const ok = await ws.replace({ ...read, settings: { ...read.settings, clusterDomain: domain } }).then(
              () => true,
              (e: { name: string }) => (e.name === 'ClusterChanged' ? false : Promise.reject(e)),
            );
            if (ok) break;
            refused++;
          }
          saved.push(domain);
        }
      }),
    );
    const final = await ws.get('race');
    expect(final.hosts.map((h) => h.id).sort()).toEqual(added.sort());
    expect(refused).toBeGreaterThan(0);
    expect(final.settings.clusterDomain).toBe(saved[saved.length - 1]);
  }, 120_000);
});
