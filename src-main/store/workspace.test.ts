import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
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
    expect(cluster.settings.kubernetesVersion).toBe('1.36');
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
    await ws.save(cluster);
    expect((await ws.get('homelab')).hosts[0]).toMatchObject({ name: 'etcd-1', roles: ['etcd'] });
    expect(await ws.list()).toEqual([expect.objectContaining({ name: 'homelab', hostCount: 1 })]);
  });

  it('writes atomically: no temp files are left behind', async () => {
    const cluster = await ws.create('homelab');
    for (let i = 0; i < 5; i++) await ws.save({ ...cluster, settings: { ...cluster.settings, clusterDomain: `c${i}.local` } });
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
    expect((await ws.list()).map((c) => c.name)).toEqual(['good']);
  });
});
