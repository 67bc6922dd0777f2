import { basename } from 'node:path';
import type { pkiMethods } from '../../src-shared/contract/pki';
import { generateClusterPki, listCertificates, readCertificatePem, readKubeconfigFile, renewCertificate } from '../pki';
import type { BackendContext } from './context';
import type { Handlers } from './dispatcher';

export function pkiHandlers({ workspace, cipher, events }: BackendContext): Pick<Handlers, keyof typeof pkiMethods> {
  return {
    'pki.list': async ({ cluster }) => {
      workspace.clusterDir(cluster);
      return {
        listing: await listCertificates(workspace.pkiDir(cluster), cipher),
        keyProtection: cipher.description,
        encryptedAtRest: cipher.encryptsAtRest,
      };
    },
    'pki.generate': async ({ cluster, taskId, keyType, caValidityDays, leafValidityDays }) => {
      const spec = await workspace.get(cluster);
      const progress = (done: number, total: number, label: string, state: 'running' | 'succeeded' | 'failed') =>
        events.emit('progress', { taskId, label, done, total, state });
      try {
        const summary = await generateClusterPki(spec, {
          pkiDir: workspace.pkiDir(cluster),
          cipher,
          ...(keyType !== undefined ? { keyType } : {}),
          ...(caValidityDays !== undefined ? { caValidityDays } : {}),
          ...(leafValidityDays !== undefined ? { leafValidityDays } : {}),
          onProgress: (done, total, label) => progress(done, total, label, 'running'),
        });
        progress(1, 1, 'done', 'succeeded');
        return summary;
      } catch (err) {
        progress(0, 1, 'failed', 'failed');
        throw err;
      }
    },
    'pki.renew': async ({ cluster, id }) => renewCertificate(await workspace.get(cluster), workspace.pkiDir(cluster), id, { cipher }),
    'pki.pem': async ({ cluster, id }) => ({ id, pem: await readCertificatePem(workspace.pkiDir(cluster), id) }),
    'pki.kubeconfig': async ({ cluster, id }) => ({
      id,
      fileName: `${cluster}-${basename(id)}.conf`,
      text: await readKubeconfigFile(workspace.pkiDir(cluster), id, cipher),
    }),
  };
}
