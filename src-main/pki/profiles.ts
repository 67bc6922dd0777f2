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

export const EXT_KEY_USAGES: Record<CertProfile, readonly ExtKeyUsage[]> = {
  ca: [],
  server: ['serverAuth'],
  client: ['clientAuth'],
  // etcd members and peers dial each other with the same certificate they serve with.
  'server-client': ['serverAuth', 'clientAuth'],
};
