import { KubesmithError } from '../../src-shared/errors';
import type { SecretCipher } from '../store/secret-cipher';
import type { PkiClusterInputs } from './cluster-inputs';
import { DEFAULT_KEY_TYPE, KEY_TYPES, KeyTypeSchema, type KeyType } from './keys';
import { httpsUrl, httpsUrlHost } from './sans';

export interface PkiOptions {
  pkiDir: string;
  cipher: SecretCipher;
  /** Key type for new keys; existing CAs and the service-account key keep theirs. */
  keyType?: KeyType;
  caValidityDays?: number;
  leafValidityDays?: number;
  /** Server in the kubeconfigs used on the nodes: the local load balancer on each of them. */
  apiServerUrl?: string;
  /** Server in admin.conf and super-admin.conf; defaults to the first master, reachable from the desktop. */
  adminApiServerUrl?: string;
  onProgress?: (done: number, total: number, label: string) => void;
}

export type RenewOptions = Omit<PkiOptions, 'pkiDir' | 'caValidityDays' | 'onProgress'>;

export const DEFAULT_CA_VALIDITY_DAYS = 3650;
export const DEFAULT_LEAF_VALIDITY_DAYS = 365;
export const DEFAULT_API_SERVER_URL = 'https://127.0.0.1:6443';
export const API_SERVER_PORT = 6443;
const MAX_VALIDITY_DAYS = 36500;

export interface ResolvedOptions {
  keyType: KeyType;
  caValidityDays: number;
  leafValidityDays: number;
  apiServerUrl: string;
  adminApiServerUrl: string;
}

export function resolveOptions(opts: Omit<PkiOptions, 'pkiDir' | 'cipher'>, inputs: PkiClusterInputs): ResolvedOptions {
  const keyType = KeyTypeSchema.safeParse(opts.keyType ?? DEFAULT_KEY_TYPE);
  if (!keyType.success) {
    const asked = String(opts.keyType);
    throw new KubesmithError(
      'PkiUnsupportedKeyType',
      `"${asked}" is not a key type Kubesmith can issue.`,
      `Choose one of ${KEY_TYPES.join(', ')}.`,
      { keyType: asked },
    );
  }
  const caValidityDays = validity('CA', opts.caValidityDays ?? DEFAULT_CA_VALIDITY_DAYS);
  const leafValidityDays = validity('certificate', opts.leafValidityDays ?? DEFAULT_LEAF_VALIDITY_DAYS);
  const firstMaster = inputs.masters[0]?.address.value ?? '127.0.0.1';
  return {
    keyType: keyType.data,
    caValidityDays,
    leafValidityDays,
    apiServerUrl: serverUrl(opts.apiServerUrl ?? DEFAULT_API_SERVER_URL),
    adminApiServerUrl: serverUrl(opts.adminApiServerUrl ?? httpsUrl(firstMaster, API_SERVER_PORT)),
  };
}

function validity(what: string, days: number): number {
  if (!Number.isInteger(days) || days < 1 || days > MAX_VALIDITY_DAYS) {
    throw new KubesmithError(
      'PkiInvalidValidity',
      `${days} days is not a usable ${what} validity.`,
      `Use a whole number of days from 1 to ${MAX_VALIDITY_DAYS}.`,
      { what, days },
    );
  }
  return days;
}

function serverUrl(url: string): string {
  if (httpsUrlHost(url) === undefined) {
    throw new KubesmithError(
      'PkiInvalidApiServerUrl',
      `"${url}" is not a usable API server URL.`,
      'Use https://<IP or DNS name>:<port>, for example https://127.0.0.1:6443.',
      { url },
    );
  }
  return url.replace(/\/+$/, '');
}
