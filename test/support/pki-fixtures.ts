import { ClusterSchema, type Cluster, type Role } from '../../src-shared/model/cluster';
import type { SecretCipher } from '../../src-main/store/secret-cipher';
import { generateKeyPairPem, type KeyPairGenerator, type KeyPairPem } from '../../src-main/pki/keys';

/** Shared by the PKI unit tests, the integration tests in test/pki and the benchmark. */

/** The seed topology: 3 etcd members, 2 masters, 3 workers on 192.168.50.0/24. */
export function seedCluster(name = 'homelab'): Cluster {
  return clusterOf(name, [
    ['master-1', '192.168.50.10', ['master']],
    ['master-2', '192.168.50.11', ['master']],
    ['etcd-1', '192.168.50.20', ['etcd']],
    ['etcd-2', '192.168.50.21', ['etcd']],
    ['etcd-3', '192.168.50.22', ['etcd']],
    ['worker-1', '192.168.50.40', ['node']],
    ['worker-2', '192.168.50.41', ['node']],
    ['worker-3', '192.168.50.42', ['node']],
  ]);
}

/** Everything on 127.0.0.1, for servers the tests really start. */
export function loopbackCluster(name = 'loop'): Cluster {
  return clusterOf(name, [
    ['master-1', '127.0.0.1', ['master']],
    ['etcd-a', '127.0.0.1', ['etcd']],
    ['etcd-b', '127.0.0.1', ['etcd']],
    ['etcd-c', '127.0.0.1', ['etcd']],
    ['worker-1', '127.0.0.1', ['node']],
  ]);
}

export function clusterOf(name: string, hosts: [name: string, address: string, roles: Role[]][]): Cluster {
  return ClusterSchema.parse({
    name,
    hosts: hosts.map(([hostName, address, roles], i) => ({ id: `h${i + 1}`, name: hostName, address, roles })),
  });
}

/** Stands in for the keychain: reversible, and visibly not plain text. */
export const reversingCipher: SecretCipher = {
  description: 'test cipher',
  encryptsAtRest: true,
  encrypt: (plain) => Buffer.concat([Buffer.from('SEALED:'), Buffer.from(plain).reverse()]),
  decrypt: (sealed) => {
    if (!sealed.subarray(0, 7).equals(Buffer.from('SEALED:'))) throw new Error('bad seal');
    return Buffer.from(sealed.subarray(7)).reverse();
  },
};

/**
 * Hands out a few real keys round-robin. RSA key generation takes 0.1–0.3 s per key; tests about
 * what gets issued and written do not need every certificate to have its own.
 */
export async function reusedKeys(size: number): Promise<KeyPairGenerator> {
  const keys: KeyPairPem[] = await Promise.all(Array.from({ length: size }, () => generateKeyPairPem('rsa-2048')));
  let next = 0;
  return async () => keys[next++ % keys.length] as KeyPairPem;
}

/** A self-signed P-256 CA made with openssl, as a user might bring one. */
export const EC_CA_CERT_PEM = `-----BEGIN CERTIFICATE-----
MIIBhzCCAS2gAwIBAgIUGwMOH+CzeKS2Q9J+WlTT+2F14aMwCgYIKoZIzj0EAwIw
EDEOMAwGA1UEAwwFZWMtY2EwIBcNMjYxMTI3MDAyOTQ5WhgPMjEyNjExMDMwMDI5
NDlaMBAxDjAMBgNVBAMMBWVjLWNhMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE
aRQmCGnP3dpDM/GpWW6oDOWfrR1GvnHCwe9rVh4pV0MdiGrenYah543rZAil/PaK
ty3R0eXCM1QMcAEUwXPog6NjMGEwHQYDVR0OBBYEFJjkSq+cHBdqSUnEoWaWFSs3
1P/IMB8GA1UdIwQYMBaAFJjkSq+cHBdqSUnEoWaWFSs31P/IMA8GA1UdEwEB/wQF
MAMBAf8wDgYDVR0PAQH/BAQDAgIEMAoGCCqGSM49BAMCA0gAMEUCIQD5LapFHa1f
2lcqN8m10kn1rdzZjVNGFvF/mWasGcBn6gIgGIlzc9Oxm9no6yy7jGxPbqK/TtJj
c46g4b0vcgl17lI=
-----END CERTIFICATE-----
`;
