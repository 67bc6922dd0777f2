/**
 * The cluster PKI, generated on the desktop: kubeadm's three CAs, every leaf certificate and
 * kubeconfig, stored in a cluster's pki/ folder. The layout is described in layout.ts.
 */
export { generateClusterPki, pendingIssues, renewCertificate, type PkiDeps } from './generate';
export { listCertificates, readCertificatePem, readKubeconfigFile } from './list';
export {
  API_SERVER_PORT,
  DEFAULT_API_SERVER_URL,
  DEFAULT_CA_VALIDITY_DAYS,
  DEFAULT_LEAF_VALIDITY_DAYS,
  type PkiOptions,
  type RenewOptions,
} from './options';
export { DEFAULT_KEY_TYPE, KEY_TYPES, KeyTypeSchema, type KeyType } from './keys';
export { currentKeyType, keyDemand, keyPairsOf, type KeyDemand } from './key-demand';
export { KeyPool, type KeyPoolOptions } from './key-pool';
export { MANIFEST_PATH } from './layout';
export { ENCRYPTED_SUFFIX } from './secret-files';
export * from './types';
