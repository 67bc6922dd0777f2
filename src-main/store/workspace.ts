import { mkdir, readdir, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { ZodError } from 'zod';
import { KubesmithError } from '../../src-shared/errors';
import { ClusterSchema, type Cluster } from '../../src-shared/model/cluster';
import { validateCluster, type ClusterProblem } from '../../src-shared/model/validate-cluster';
import type { ClusterSummary } from '../../src-shared/contract/api';
import { writeFileAtomic } from './atomic-write';
import { KeyedLock } from './keyed-lock';
import { pathExists } from './path-exists';

const CLUSTER_FILE = 'cluster.yaml';
const NAME_PATTERN = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
/** A cluster.yaml is a few KiB; anything far larger is not one, and is not read into memory. */
const MAX_FILE_BYTES = 4 * 1024 * 1024;

/**
 * Clusters on disk: <dataDir>/clusters/<name>/{cluster.yaml, pki/, state/}.
 * Plain YAML so users can read it, diff it and keep it in git.
 *
 * Every write goes through here: it takes the cluster's lock, passes the one gate (validateCluster) and counts
 * the revision, so a refused value never reaches disk and concurrent writers cannot lose each other's changes.
 */
export class Workspace {
  readonly clustersDir: string;
  private readonly lock = new KeyedLock();

  constructor(readonly dataDir: string) {
    this.clustersDir = join(dataDir, 'clusters');
  }

  clusterDir(name: string): string {
    if (!NAME_PATTERN.test(name)) {
      throw new KubesmithError(
        'InvalidClusterName',
        `"${name}" is not a valid cluster name.`,
        'Use lower-case letters, digits and dashes (1–63 characters), starting and ending with a letter or digit.',
      );
    }
    return join(this.clustersDir, name);
  }

  clusterFile(name: string): string {
    return join(this.clusterDir(name), CLUSTER_FILE);
  }

  pkiDir(name: string): string {
    return join(this.clusterDir(name), 'pki');
  }

  stateDir(name: string): string {
    return join(this.clusterDir(name), 'state');
  }

  /** Every cluster folder with a cluster.yaml, the broken ones too, with the reason they cannot be opened. */
  async list(): Promise<ClusterSummary[]> {
    let names: string[];
    try {
      names = await readdir(this.clustersDir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    const summaries: ClusterSummary[] = [];
    for (const name of names.sort()) {
      if (!NAME_PATTERN.test(name)) continue;
      const file = join(this.clustersDir, name, CLUSTER_FILE);
      const info = await stat(file).catch(() => undefined);
      if (!info) continue;
      const updatedAt = info.mtime.toISOString();
      try {
        const cluster = await this.get(name);
        summaries.push({ name, hostCount: cluster.hosts.length, updatedAt });
      } catch (err) {
        const { name: errorName, message } = err instanceof KubesmithError ? err : { name: 'InvalidClusterFile', message: String(err) };
        summaries.push({ name, hostCount: 0, updatedAt, broken: { name: errorName, message } });
      }
    }
    return summaries;
  }

  async create(name: string): Promise<Cluster> {
    const dir = this.clusterDir(name);
    return this.lock.run(name, async () => {
      if (await pathExists(join(dir, CLUSTER_FILE))) {
        throw new KubesmithError(
          'ClusterExists',
          `A cluster named "${name}" already exists.`,
          'Pick another name, or open the existing cluster (a broken one can be repaired or removed from the list).',
        );
      }
      // Private keys live under pki/: only the user may list it.
      await mkdir(join(dir, 'pki'), { recursive: true, mode: 0o700 });
      await mkdir(join(dir, 'state'), { recursive: true });
      return this.write(ClusterSchema.parse({ name }), 0);
    });
  }

  async get(name: string): Promise<Cluster> {
    return this.parseFile(name, await this.readText(name));
  }

  /** The file's text as it is, for repairing it by hand in the app. */
  async readText(name: string): Promise<string> {
    const file = this.clusterFile(name);
    try {
      const info = await stat(file);
      if (!info.isFile()) throw Object.assign(new Error('it is not a regular file'), { code: 'ENOTFILE' });
      if (info.size > MAX_FILE_BYTES)
        throw Object.assign(new Error(`it is ${info.size} bytes, far larger than a cluster file`), { code: 'EFBIG' });
      return await readFile(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new KubesmithError('ClusterNotFound', `There is no cluster named "${name}".`, 'Create it first, or pick one from the list.');
      }
      throw invalidFile(file, (err as Error).message);
    }
  }

  /**
   * Reads, changes and writes the cluster with no other write in between. `change` sees the latest copy;
   * what it returns passes the gate before it is written, with the next revision.
   */
  update(name: string, change: (cluster: Cluster) => Cluster | Promise<Cluster>): Promise<Cluster> {
    return this.lock.run(name, async () => {
      const current = await this.get(name);
      const next = await change(current);
      return this.write(next, (current.revision ?? 0) + 1);
    });
  }

  /**
   * Replaces the whole cluster, as a client that read it at `cluster.revision` changed it. A save based on an
   * older revision is refused: merging it would silently undo the writes that came in between.
   */
  replace(cluster: Cluster): Promise<Cluster> {
    return this.lock.run(cluster.name, async () => {
      const current = await this.get(cluster.name);
      const revision = current.revision ?? 0;
      if (cluster.revision !== revision) {
        throw new KubesmithError(
          'ClusterChanged',
          `Cluster "${cluster.name}" was changed elsewhere since it was read (revision ${revision}, this save was based on ${cluster.revision ?? 'none'}).`,
          'Nothing was saved. The cluster has been read again: make the change once more.',
          { revision },
        );
      }
      return this.write(cluster, revision + 1);
    });
  }

  /** Writes a hand-repaired cluster.yaml, if the text is a cluster that passes the gate; the revision goes on. */
  repair(name: string, text: string): Promise<Cluster> {
    return this.lock.run(name, async () => {
      const before = await this.readText(name);
      const previous = (() => {
        try {
          return ClusterSchema.parse(parse(before)).revision ?? 0;
        } catch {
          return 0;
        }
      })();
      const cluster = this.parseFile(name, text);
      return this.write(cluster, Math.max(previous, cluster.revision ?? 0) + 1);
    });
  }

  async remove(name: string): Promise<void> {
    const dir = this.clusterDir(name);
    await this.lock.run(name, async () => {
      if (!(await pathExists(join(dir, CLUSTER_FILE)))) {
        throw new KubesmithError('ClusterNotFound', `There is no cluster named "${name}".`);
      }
      await rm(dir, { recursive: true });
    });
  }

  private parseFile(name: string, text: string): Cluster {
    const file = this.clusterFile(name);
    let cluster: Cluster;
    try {
      cluster = ClusterSchema.parse(parse(text));
    } catch (err) {
      const detail =
        err instanceof ZodError ? err.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') : (err as Error).message;
      throw invalidFile(file, detail);
    }
    if (cluster.name !== name) {
      throw new KubesmithError(
        'InvalidClusterFile',
        `${file} names cluster "${cluster.name}", but its folder is "${name}".`,
        'Make the name in cluster.yaml match its folder.',
      );
    }
    const problems = validateCluster(cluster);
    if (problems.length > 0) throw invalidFile(file, describeProblems(problems), problems);
    return cluster;
  }

  /** The gate, then the write: what does not pass is refused with every reason, and the file stays as it was. */
  private async write(cluster: Cluster, revision: number): Promise<Cluster> {
    const problems = validateCluster(cluster);
    if (problems.length > 0) {
      throw new KubesmithError(
        'InvalidCluster',
        `Cluster "${cluster.name}" was not saved: ${describeProblems(problems)}.`,
        'Correct the values named above.',
        { problems },
      );
    }
    const valid = ClusterSchema.parse({ ...cluster, revision });
    await writeFileAtomic(this.clusterFile(valid.name), stringify(valid, { lineWidth: 0 }));
    return valid;
  }
}

function describeProblems(problems: readonly ClusterProblem[]): string {
  return problems.map((p) => `${p.path}: ${p.message}`).join('; ');
}

function invalidFile(file: string, detail: string, problems?: ClusterProblem[]): KubesmithError {
  return new KubesmithError(
    'InvalidClusterFile',
    `${file} could not be read: ${detail}`,
    'Repair it in the app (open the cluster from the list) or by hand (it is plain YAML), or remove the cluster.',
    problems ? { problems } : undefined,
  );
}
