import { createHash } from 'node:crypto';
import { cp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import type { Cluster } from '../../src-shared/model/cluster';
import type { PlanCertificates } from '../../src-shared/model/plan';
import { currentKeyType, generateClusterPki, MANIFEST_PATH, pendingIssues, type PkiDeps } from '../pki';
import { pathExists } from '../store/path-exists';
import type { SecretCipher } from '../store/secret-cipher';
import { readDeployPki } from './pki-adapter';
import type { ClusterPki } from './pki-source';

export interface PkiStepOptions {
  cluster: Cluster;
  /** The cluster's pki/ folder, as the Certificates screen shows it. */
  pkiDir: string;
  /** Where a deploy's certificates wait between reading the plan and starting it. */
  stagingDir: string;
  cipher: SecretCipher;
  deps?: PkiDeps;
}

export interface PreparedPki {
  pki: ClusterPki;
  /** Present when the PKI in pki/ is missing or stale: what the deploy's certificates step makes. */
  certificates?: PlanCertificates;
}

/**
 * The PKI a deploy plans with. When pki/ is complete and current, that one. Otherwise the certificates are made
 * now into a staging copy of pki/ (existing CAs kept), so the plan can show every file it uploads, and the
 * same staged files are reused until pki/ or the topology changes: the plan read and the plan started match.
 * The run's certificates step moves them into pki/ (promoteStagedPki) before anything is uploaded.
 */
export async function preparePki(o: PkiStepOptions): Promise<PreparedPki> {
  const keyType = await currentKeyType(o.pkiDir);
  const base = { cipher: o.cipher, ...(keyType !== undefined ? { keyType } : {}) };
  const issued = await pendingIssues(o.cluster, { ...base, pkiDir: o.pkiDir });
  if (issued.length === 0) return { pki: await readDeployPki(o.pkiDir, o.cluster, o.cipher) };
  const stamp = await sourceStamp(o.pkiDir);
  const reusable =
    (await readFile(stampPath(o.stagingDir), 'utf8').catch(() => '')) === stamp &&
    (await pendingIssues(o.cluster, { ...base, pkiDir: o.stagingDir }).catch(() => ['unusable'])).length === 0;
  if (!reusable) {
    await rm(o.stagingDir, { recursive: true, force: true });
    await rm(stampPath(o.stagingDir), { force: true });
    if (await pathExists(o.pkiDir)) await cp(o.pkiDir, o.stagingDir, { recursive: true, preserveTimestamps: true });
    await generateClusterPki(o.cluster, { ...base, pkiDir: o.stagingDir }, o.deps);
    await writeFile(stampPath(o.stagingDir), stamp);
  }
  return {
    pki: await readDeployPki(o.stagingDir, o.cluster, o.cipher),
    certificates: { issued },
  };
}

/** Replaces pki/ with the staged folder; the previous pki/ is removed only once the new one is in place. */
export async function promoteStagedPki(pkiDir: string, stagingDir: string): Promise<void> {
  const previous = `${pkiDir}.previous`;
  await rm(previous, { recursive: true, force: true });
  if (await pathExists(pkiDir)) await rename(pkiDir, previous);
  await rename(stagingDir, pkiDir);
  await rm(stampPath(stagingDir), { force: true });
  await rm(previous, { recursive: true, force: true });
}

/** Forgets a staged copy and its stamp, as if it had never been made. */
export async function discardStagedPki(stagingDir: string): Promise<void> {
  await rm(stagingDir, { recursive: true, force: true });
  await rm(stampPath(stagingDir), { force: true });
}

/** Names the pki/ a staging copy was made from: its manifest (every file's hash), or its absence. */
async function sourceStamp(pkiDir: string): Promise<string> {
  const manifest = await readFile(`${pkiDir}/${MANIFEST_PATH}`, 'utf8').catch(() => 'no manifest');
  return createHash('sha256').update(manifest).digest('hex');
}

/** Beside the staging folder, not in it: the PKI module refuses files it did not write. */
function stampPath(stagingDir: string): string {
  return `${stagingDir}.from`;
}
