import { mkdir, readdir, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { ZodError } from 'zod';
import { KubesmithError } from '../../src-shared/errors';
import { ClusterSchema, type Cluster } from '../../src-shared/model/cluster';
import type { ClusterSummary } from '../../src-shared/contract/api';
import { writeFileAtomic } from './atomic-write';
import { pathExists } from './path-exists';

const CLUSTER_FILE = 'cluster.yaml';
const NAME_PATTERN = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/**
 * Clusters on disk: <dataDir>/clusters/<name>/{cluster.yaml, pki/, state/}.
 * Plain YAML so users can read it, diff it and keep it in git.
 */
export class Workspace {
  readonly clustersDir: string;

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

  pkiDir(name: string): string {
    return join(this.clusterDir(name), 'pki');
  }

  stateDir(name: string): string {
    return join(this.clusterDir(name), 'state');
  }

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
      try {
        const [cluster, info] = await Promise.all([this.get(name), stat(file)]);
        summaries.push({ name, hostCount: cluster.hosts.length, updatedAt: info.mtime.toISOString() });
      } catch {
        // A folder without a readable cluster.yaml is not a cluster; get() explains why when asked.
      }
    }
    return summaries;
  }

  async create(name: string): Promise<Cluster> {
    const dir = this.clusterDir(name);
    if (await pathExists(join(dir, CLUSTER_FILE))) {
      throw new KubesmithError(
        'ClusterExists',
        `A cluster named "${name}" already exists.`,
        'Pick another name, or open the existing cluster.',
      );
    }
    const cluster = ClusterSchema.parse({ name });
    // Private keys live under pki/: only the user may list it.
    await mkdir(join(dir, 'pki'), { recursive: true, mode: 0o700 });
    await mkdir(join(dir, 'state'), { recursive: true });
    return this.save(cluster);
  }

  async get(name: string): Promise<Cluster> {
    const file = join(this.clusterDir(name), CLUSTER_FILE);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new KubesmithError('ClusterNotFound', `There is no cluster named "${name}".`, 'Create it first, or pick one from the list.');
      }
      throw err;
    }
    try {
      const cluster = ClusterSchema.parse(parse(text));
      if (cluster.name !== name) {
        throw new KubesmithError(
          'InvalidClusterFile',
          `${file} names cluster "${cluster.name}", but its folder is "${name}".`,
          'Make the name in cluster.yaml match its folder.',
        );
      }
      return cluster;
    } catch (err) {
      if (err instanceof KubesmithError) throw err;
      const detail =
        err instanceof ZodError ? err.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') : (err as Error).message;
      throw new KubesmithError(
        'InvalidClusterFile',
        `${file} could not be read: ${detail}`,
        'Fix the file by hand (it is plain YAML) or restore it from git.',
      );
    }
  }

  async save(cluster: Cluster): Promise<Cluster> {
    const valid = ClusterSchema.parse(cluster);
    const dir = this.clusterDir(valid.name);
    await writeFileAtomic(join(dir, CLUSTER_FILE), stringify(valid, { lineWidth: 0 }));
    return valid;
  }

  async remove(name: string): Promise<void> {
    const dir = this.clusterDir(name);
    if (!(await pathExists(join(dir, CLUSTER_FILE)))) {
      throw new KubesmithError('ClusterNotFound', `There is no cluster named "${name}".`);
    }
    await rm(dir, { recursive: true });
  }
}
