import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { plainCipher } from '../store/secret-cipher';
import { generateClusterPki } from './generate';
import { currentKeyType, keyDemand, keyPairsOf } from './key-demand';
import { clusterOf, seedCluster } from '../../test/support/pki-fixtures';

describe('keyDemand', { timeout: 60_000 }, () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'ks-key-demand-'));
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  it('asks for keys of the default type before the first generation, one per key pair the generation makes', async () => {
    expect(await keyDemand(seedCluster(), join(root, 'pki'))).toEqual({ keyType: 'rsa-2048', count: 30 });
    const small = clusterOf('small', [['cp', '10.231.0.10', ['master', 'etcd']]]);
    const summary = await generateClusterPki(small, { pkiDir: join(root, 'small'), cipher: plainCipher, keyType: 'ecdsa-p256' });
    expect(keyPairsOf(small)).toBe(summary.issued.length);
  });

  it('asks for nothing while the cluster has no PKI to plan', () => {
    expect(keyPairsOf(clusterOf('empty', []))).toBe(0);
    expect(keyPairsOf(clusterOf('no-etcd', [['cp', '10.231.0.10', ['master']]]))).toBe(0);
  });

  it('asks for the key type the PKI was last generated with', async () => {
    const pkiDir = join(root, 'pki');
    await generateClusterPki(seedCluster(), { pkiDir, cipher: plainCipher, keyType: 'ecdsa-p256' });
    expect(await currentKeyType(pkiDir)).toBe('ecdsa-p256');
    expect(await keyDemand(seedCluster(), pkiDir)).toEqual({ keyType: 'ecdsa-p256', count: 30 });
  });
});
