import type { KeyObject } from 'node:crypto';
import { KubesmithError } from '../../src-shared/errors';
import { describeKey } from './keys';

export interface SignatureAlgorithm {
  hash: 'sha256' | 'sha384' | 'sha512';
  oid: string;
  /** RSA algorithm identifiers carry NULL parameters; ECDSA ones have none (RFC 5758). */
  nullParameters: boolean;
}

const ECDSA_BY_CURVE: Record<string, SignatureAlgorithm> = {
  prime256v1: { hash: 'sha256', oid: '1.2.840.10045.4.3.2', nullParameters: false },
  secp384r1: { hash: 'sha384', oid: '1.2.840.10045.4.3.3', nullParameters: false },
  secp521r1: { hash: 'sha512', oid: '1.2.840.10045.4.3.4', nullParameters: false },
};

/** How a key signs: SHA-256 with RSA, or ECDSA with the hash that matches its curve. */
export function signatureAlgorithmFor(key: KeyObject): SignatureAlgorithm {
  if (key.asymmetricKeyType === 'rsa') return { hash: 'sha256', oid: '1.2.840.113549.1.1.11', nullParameters: true };
  const ecdsa = key.asymmetricKeyType === 'ec' ? ECDSA_BY_CURVE[key.asymmetricKeyDetails?.namedCurve ?? ''] : undefined;
  if (ecdsa) return ecdsa;
  throw new KubesmithError(
    'PkiUnsupportedSigningKey',
    `A CA with a ${describeKey(key)} key cannot sign certificates here.`,
    'Use a CA whose key is RSA or ECDSA on P-256, P-384 or P-521, or move the CA out of the pki folder so Kubesmith creates one.',
    { key: describeKey(key) },
  );
}
