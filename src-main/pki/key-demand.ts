import { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { KubesmithError } from '../../src-shared/errors';
import type { Cluster } from '../../src-shared/model/cluster';
import { readClusterInputs } from './cluster-inputs';
import { DEFAULT_KEY_TYPE, keyTypeOf, type KeyType } from './keys';
import { planLayout } from './layout';
import { resolveOptions } from './options';

/** What to make ahead for a cluster: keys of the type its PKI uses, one per key pair of a full generation. */
export interface KeyDemand {
  keyType: KeyType;
  count: number;
}

export async function keyDemand(cluster: Cluster, pkiDir: string): Promise<KeyDemand> {
  return { keyType: (await currentKeyType(pkiDir)) ?? DEFAULT_KEY_TYPE, count: keyPairsOf(cluster) };
}

/**
 * The key type the PKI in pkiDir was last generated with, read from the API server certificate
 * (every leaf is re-issued when the key type changes); undefined before the first generation.
 */
export async function currentKeyType(pkiDir: string): Promise<KeyType | undefined> {
  try {
    return keyTypeOf(new X509Certificate(await readFile(join(pkiDir, 'apiserver.crt'))).publicKey);
  } catch {
    return undefined;
  }
}

/** CAs, leaves and the service-account key; 0 for a cluster whose PKI cannot be planned yet (no hosts, bad addresses). */
export function keyPairsOf(cluster: Cluster): number {
  try {
    const inputs = readClusterInputs(cluster);
    const layout = planLayout(inputs, resolveOptions({}, inputs));
    return layout.cas.length + layout.leaves.length + 1;
  } catch (err) {
    if (err instanceof KubesmithError) return 0;
    throw err;
  }
}
