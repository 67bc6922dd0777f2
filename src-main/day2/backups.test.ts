import { createHash } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BackupStore, backupId, pemSha256 } from './backups';

const CA = '-----BEGIN CERTIFICATE-----\nZXRjZC1jYQ==\n-----END CERTIFICATE-----\n';
const OTHER_CA = '-----BEGIN CERTIFICATE-----\nb3RoZXI=\n-----END CERTIFICATE-----\n';

async function storeWith(bytes: string, sidecar: Partial<{ cluster: string; ca: string; sha256: string }> = {}) {
  const store = new BackupStore(join(await mkdtemp(join(tmpdir(), 'ks-backups-')), 'backups'));
  await store.ensureDir();
  const id = backupId('lab', new Date('2026-11-27T03:15:00Z'));
  await writeFile(store.snapshotPath(id), bytes);
  await store.record(id, {
    cluster: sidecar.cluster ?? 'lab',
    etcdCaSha256: pemSha256(sidecar.ca ?? CA),
    takenAt: '2026-11-27T03:15:00.000Z',
    size: bytes.length,
    sha256: sidecar.sha256 ?? createHash('sha256').update(bytes).digest('hex'),
    member: 'node1',
    revision: 42,
  });
  return { store, id };
}

describe('etcd backups on this computer', () => {
  it('names a backup by cluster and UTC time, and lists it with its record', async () => {
    const { store, id } = await storeWith('snapshot bytes');
    expect(id).toBe('lab-20261127-031500');
    expect(await store.list()).toEqual([
      expect.objectContaining({ id, cluster: 'lab', size: 14, member: 'node1', revision: 42, path: store.snapshotPath(id) }),
    ]);
    expect((await store.forRestore(id, 'lab', CA)).id).toBe(id);
  });

  it('refuses a snapshot of another cluster, by name or by etcd CA', async () => {
    const byName = await storeWith('x', { cluster: 'prod' });
    await expect(byName.store.forRestore(byName.id, 'lab', CA)).rejects.toMatchObject({
      name: 'SnapshotOfAnotherCluster',
      message: expect.stringContaining('cluster "prod", not of "lab"'),
    });
    const byCa = await storeWith('x', { ca: OTHER_CA });
    await expect(byCa.store.forRestore(byCa.id, 'lab', CA)).rejects.toMatchObject({ name: 'SnapshotOfAnotherCluster' });
  });

  it('refuses a damaged or unrecorded snapshot', async () => {
    const damaged = await storeWith('x', { sha256: 'f'.repeat(64) });
    await expect(damaged.store.forRestore(damaged.id, 'lab', CA)).rejects.toMatchObject({ name: 'SnapshotDamaged' });
    await expect(damaged.store.forRestore('lab-20200101-000000', 'lab', CA)).rejects.toMatchObject({ name: 'BackupNotFound' });
  });
});
