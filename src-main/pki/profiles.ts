/** What a certificate is for; decides its key usages and extended key usages. */
export type CertProfile = 'ca' | 'server' | 'client' | 'server-client';

export type KeyUsage = 'digitalSignature' | 'keyEncipherment' | 'keyCertSign' | 'cRLSign';
export type ExtKeyUsage = 'serverAuth' | 'clientAuth';

export const KEY_USAGES: Record<CertProfile, readonly KeyUsage[]> = {
  ca: ['digitalSignature', 'keyCertSign', 'cRLSign'],
  // keyEncipherment keeps RSA key exchange possible for TLS 1.2 peers, as kubeadm issues it.
  server: ['digitalSignature', 'keyEncipherment'],
  client: ['digitalSignature', 'keyEncipherment'],
  'server-client': ['digitalSignature', 'keyEncipherment'],
};

/**
 * The key usages of a certificate for a key of this algorithm. An EC key cannot encrypt, and RFC
 * 5480 forbids asserting keyEncipherment for one.
 */
export function keyUsagesFor(profile: CertProfile, keyAlgorithm: 'rsa' | 'ec'): readonly KeyUsage[] {
  return keyAlgorithm === 'rsa' ? KEY_USAGES[profile] : KEY_USAGES[profile].filter((usage) => usage !== 'keyEncipherment');
}

export const EXT_KEY_USAGES: Record<CertProfile, readonly ExtKeyUsage[]> = {
  ca: [],
  server: ['serverAuth'],
  client: ['clientAuth'],
  // etcd members and peers dial each other with the same certificate they serve with.
  'server-client': ['serverAuth', 'clientAuth'],
};
