import { basename } from 'node:path';
import type { pkiMethods } from '../../src-shared/contract/pki';
import {
  currentKeyType,
  generateClusterPki,
  keyDemand,
  listCertificates,
  readCertificatePem,
  readKubeconfigFile,
  renewCertificate,
  type KeyPool,
  type KeyType,
  type PkiDeps,
} from '../pki';
import type { BackendContext } from './context';
import type { Handlers } from './dispatcher';

export function pkiHandlers({ workspace, cipher, events, log }: BackendContext, keyPool: KeyPool): Pick<Handlers, keyof typeof pkiMethods> {
  const deps: PkiDeps = { generateKeyPair: keyPool.generator, now: () => new Date() };

  /** Has keys made ahead for the cluster's next generation. Best effort: generation works without them. */
  const fillKeyPool = async (cluster: string, keyType?: KeyType): Promise<void> => {
    try {
      const demand = await keyDemand(await workspace.get(cluster), workspace.pkiDir(cluster));
      keyPool.fill(keyType ?? demand.keyType, demand.count);
    } catch (err) {
      log(`PKI key pool not filled for ${cluster}: ${err instanceof Error ? err.message : String(err)}`);
    }
  };

  return {
    'pki.list': async ({ cluster }) => {
      workspace.clusterDir(cluster);
      const pkiDir = workspace.pkiDir(cluster);
      const [listing, keyType] = await Promise.all([listCertificates(pkiDir, cipher), currentKeyType(pkiDir)]);
      void fillKeyPool(cluster, keyType);
      return {
        listing,
        ...(keyType !== undefined ? { keyType } : {}),
        keyProtection: cipher.description,
        encryptedAtRest: cipher.encryptsAtRest,
      };
    },
    'pki.generate': async ({ cluster, taskId, keyType, caValidityDays, leafValidityDays }) => {
      const spec = await workspace.get(cluster);
      const progress = (done: number, total: number, label: string, state: 'running' | 'succeeded' | 'failed') =>
        events.emit('progress', { taskId, label, done, total, state });
      try {
        const summary = await generateClusterPki(
          spec,
          {
            pkiDir: workspace.pkiDir(cluster),
            cipher,
            ...(keyType !== undefined ? { keyType } : {}),
            ...(caValidityDays !== undefined ? { caValidityDays } : {}),
            ...(leafValidityDays !== undefined ? { leafValidityDays } : {}),
            onProgress: (done, total, label) => progress(done, total, label, 'running'),
          },
          deps,
        );
        progress(1, 1, 'done', 'succeeded');
        return summary;
      } catch (err) {
        progress(0, 1, 'failed', 'failed');
        throw err;
      } finally {
        void fillKeyPool(cluster, keyType);
      }
    },
    'pki.renew': async ({ cluster, id }) => {
      const pkiDir = workspace.pkiDir(cluster);
      const keyType = await currentKeyType(pkiDir);
      try {
        return await renewCertificate(
          await workspace.get(cluster),
          pkiDir,
          id,
          { cipher, ...(keyType !== undefined ? { keyType } : {}) },
          deps,
        );
      } finally {
        void fillKeyPool(cluster, keyType);
      }
    },
    'pki.pem': async ({ cluster, id }) => ({ id, pem: await readCertificatePem(workspace.pkiDir(cluster), id) }),
    'pki.kubeconfig': async ({ cluster, id }) => ({
      id,
      fileName: `${cluster}-${basename(id)}.conf`,
      text: await readKubeconfigFile(workspace.pkiDir(cluster), id, cipher),
    }),
  };
}
