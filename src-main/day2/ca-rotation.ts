import { copyFile, cp, mkdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { KubesmithError } from '../../src-shared/errors';
import type { Cluster } from '../../src-shared/model/cluster';
import { currentKeyType, generateClusterPki } from '../pki';
import { secretDiskVariants } from '../pki/secret-files';
import type { SecretCipher } from '../store/secret-cipher';
import type { Workspace } from '../store/workspace';
import { writeFileAtomic } from '../store/atomic-write';
import { pathExists } from '../store/path-exists';
import { CA_ROTATION_STAGES, type CaRotationStage } from './plans/rotate-ca';

/**
 * A CA rotation in progress, kept in state/ca-rotation/: the new PKI (pki/, made once with new CAs and the cluster's
 * own service-account key pair) and the last stage that ran to its end. `finish` makes the new PKI the cluster's.
 */
export class CaRotation {
  private readonly dir: string;

  constructor(
    private readonly workspace: Workspace,
    private readonly cluster: string,
    private readonly cipher: SecretCipher,
  ) {
    this.dir = join(workspace.stateDir(cluster), 'ca-rotation');
  }

  private get nextDir(): string {
    return join(this.dir, 'pki');
  }

  async lastCompleted(): Promise<CaRotationStage | undefined> {
    try {
      const raw = JSON.parse(await readFile(join(this.dir, 'stage.json'), 'utf8')) as { completed?: string };
      return CA_ROTATION_STAGES.find((s) => s === raw.completed);
    } catch {
      return undefined;
    }
  }

  /** Each stage needs the one before it done on every host: skipping one would lock hosts out. */
  async checkOrder(stage: CaRotationStage): Promise<void> {
    const done = await this.lastCompleted();
    const index = CA_ROTATION_STAGES.indexOf(stage);
    const needed = CA_ROTATION_STAGES[index - 1];
    if (needed !== undefined && done !== needed && done !== stage) {
      throw new KubesmithError(
        'CaRotationOrder',
        `"${stage}" comes after "${needed}", which has not finished on every host${done ? ` (the last finished step is "${done}")` : ''}.`,
        `Run "${needed}" first; nothing was changed.`,
      );
    }
  }

  /** The new PKI, made on first use (new CAs and leaves, the current service-account key pair adopted). */
  async nextPki(cluster: Cluster): Promise<string> {
    if (await pathExists(join(this.nextDir, 'ca.crt'))) return this.nextDir;
    const pkiDir = this.workspace.pkiDir(this.cluster);
    await rm(this.nextDir, { recursive: true, force: true });
    await mkdir(this.nextDir, { recursive: true, mode: 0o700 });
    for (const rel of ['sa.key', 'sa.pub']) {
      const { plain, sealed } = secretDiskVariants(join(pkiDir, rel));
      for (const from of [plain, sealed]) {
        if (await pathExists(from)) await copyFile(from, join(this.nextDir, from.slice(pkiDir.length + 1)));
      }
    }
    const keyType = await currentKeyType(pkiDir);
    await generateClusterPki(cluster, { pkiDir: this.nextDir, cipher: this.cipher, ...(keyType ? { keyType } : {}) });
    return this.nextDir;
  }

  /** Records a stage as done on every host; after `finish` the new PKI replaces pki/ and the rotation is over. */
  async completed(stage: CaRotationStage): Promise<void> {
    if (stage !== 'finish') {
      await writeFileAtomic(join(this.dir, 'stage.json'), `${JSON.stringify({ completed: stage, at: new Date().toISOString() })}\n`);
      return;
    }
    // Swapped by renames, so pki/ is always a whole PKI: the old one or the new one, never half of each.
    const pkiDir = this.workspace.pkiDir(this.cluster);
    const incoming = `${pkiDir}.rotated`;
    const previous = `${pkiDir}.before-rotation`;
    await rm(incoming, { recursive: true, force: true });
    await cp(this.nextDir, incoming, { recursive: true });
    await rm(previous, { recursive: true, force: true });
    await rename(pkiDir, previous);
    await rename(incoming, pkiDir);
    await rm(previous, { recursive: true, force: true });
    await rm(this.dir, { recursive: true, force: true });
  }
}
