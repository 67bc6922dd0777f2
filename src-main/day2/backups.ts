import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { KubesmithError } from '../../src-shared/errors';
import type { Backup } from '../../src-shared/contract/operations';
import { writeFileAtomic } from '../store/atomic-write';

const FORMAT = 'kubesmith-etcd-snapshot/v1';

/** What Kubesmith writes next to every snapshot: without it a .db file is not restored. */
const SidecarSchema = z.object({
  format: z.literal(FORMAT),
  cluster: z.string(),
  /** The cluster's etcd CA: a snapshot restores only into the cluster whose CA it was taken under. */
  etcdCaSha256: z.string(),
  takenAt: z.string(),
  size: z.number().int().nonnegative(),
  sha256: z.string(),
  member: z.string(),
  revision: z.number().int().nonnegative(),
});
export type BackupSidecar = z.infer<typeof SidecarSchema>;

const pad = (n: number) => String(n).padStart(2, '0');
export function backupId(cluster: string, at: Date): string {
  return `${cluster}-${at.getUTCFullYear()}${pad(at.getUTCMonth() + 1)}${pad(at.getUTCDate())}-${pad(at.getUTCHours())}${pad(at.getUTCMinutes())}${pad(at.getUTCSeconds())}`;
}

export const pemSha256 = (pem: string): string => createHash('sha256').update(pem.trim()).digest('hex');

export async function fileSha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** <cluster folder>/backups: <id>.db and <id>.json. */
export class BackupStore {
  constructor(readonly dir: string) {}

  snapshotPath(id: string): string {
    return join(this.dir, `${id}.db`);
  }

  async ensureDir(): Promise<void> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
  }

  async record(id: string, sidecar: Omit<BackupSidecar, 'format'>): Promise<Backup> {
    await writeFileAtomic(join(this.dir, `${id}.json`), `${JSON.stringify({ format: FORMAT, ...sidecar }, null, 1)}\n`, 0o600);
    return this.toBackup(id, { format: FORMAT, ...sidecar });
  }

  async list(): Promise<Backup[]> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    const out: Backup[] = [];
    for (const name of names.filter((n) => n.endsWith('.json'))) {
      const id = name.slice(0, -'.json'.length);
      const sidecar = await this.sidecar(id).catch(() => undefined);
      if (sidecar && (await stat(this.snapshotPath(id)).catch(() => undefined))) out.push(this.toBackup(id, sidecar));
    }
    return out.sort((a, b) => b.takenAt.localeCompare(a.takenAt));
  }

  /**
   * The snapshot of `id`, checked before anything on a host is touched: it has Kubesmith's record, it was taken
   * under this cluster's etcd CA, and its bytes are the ones recorded.
   */
  async forRestore(id: string, cluster: string, etcdCaPem: string): Promise<Backup> {
    let sidecar: BackupSidecar;
    try {
      sidecar = await this.sidecar(id);
    } catch {
      throw new KubesmithError(
        'BackupNotFound',
        `There is no backup ${id} of ${cluster} (or its record ${id}.json is unreadable).`,
        `Backups live in ${this.dir}; only snapshots Kubesmith took (with their .json record) can be restored.`,
      );
    }
    if (sidecar.cluster !== cluster || sidecar.etcdCaSha256 !== pemSha256(etcdCaPem)) {
      throw new KubesmithError(
        'SnapshotOfAnotherCluster',
        sidecar.cluster !== cluster
          ? `Backup ${id} is a snapshot of cluster "${sidecar.cluster}", not of "${cluster}".`
          : `Backup ${id} was taken under another etcd CA than ${cluster}'s: it belongs to another cluster (or one since rebuilt).`,
        'Restoring it would replace this cluster with another one; nothing was changed.',
      );
    }
    const path = this.snapshotPath(id);
    const actual = await fileSha256(path).catch(() => 'missing');
    if (actual !== sidecar.sha256) {
      throw new KubesmithError(
        'SnapshotDamaged',
        actual === 'missing'
          ? `The snapshot file ${path} is missing.`
          : `The snapshot file ${path} is not the one recorded (its SHA-256 differs).`,
        'Pick another backup; nothing was changed.',
      );
    }
    return this.toBackup(id, sidecar);
  }

  private async sidecar(id: string): Promise<BackupSidecar> {
    return SidecarSchema.parse(JSON.parse(await readFile(join(this.dir, `${id}.json`), 'utf8')));
  }

  private toBackup(id: string, s: BackupSidecar): Backup {
    return {
      id,
      cluster: s.cluster,
      takenAt: s.takenAt,
      size: s.size,
      sha256: s.sha256,
      member: s.member,
      revision: s.revision,
      path: this.snapshotPath(id),
    };
  }
}
