import { createPrivateKey, createPublicKey, generateKeyPair, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import type { z } from 'zod';
import { PKI_KEY_TYPES, PkiKeyTypeSchema } from '../../src-shared/contract/pki';

const generateKeyPairAsync = promisify(generateKeyPair);

export const KEY_TYPES = PKI_KEY_TYPES;
export const KeyTypeSchema = PkiKeyTypeSchema;
export type KeyType = z.infer<typeof KeyTypeSchema>;
export const DEFAULT_KEY_TYPE: KeyType = 'rsa-2048';

/**
 * Why ECDSA is not among KEY_TYPES. Checked against node-forge 1.4.3: Certificate.sign() always
 * writes "<digest>WithRSAEncryption", publicKeyToAsn1() only encodes RSA keys, and
 * certificateFromPem() throws "OID is not RSA" for any other key, so forge can neither issue
 * nor read an ECDSA certificate.
 */
export const ECDSA_UNSUPPORTED_REASON =
  'ECDSA keys are not offered: node-forge 1.4.3 can only encode, sign and parse X.509 certificates with RSA keys.';

export interface KeyPairPem {
  /** PKCS#1 ("RSA PRIVATE KEY"), the form kubeadm writes. */
  privateKeyPem: string;
  /** SubjectPublicKeyInfo ("PUBLIC KEY"), the form kubeadm writes for sa.pub. */
  publicKeyPem: string;
}

export type KeyPairGenerator = (keyType: KeyType) => Promise<KeyPairPem>;

/** Runs on libuv's thread pool, so the event loop stays free while primes are found. */
export const generateKeyPairPem: KeyPairGenerator = async (keyType) => {
  const { publicKey, privateKey } = await generateKeyPairAsync('rsa', { modulusLength: rsaBits(keyType), publicExponent: 0x10001 });
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
};

export function rsaBits(keyType: KeyType): number {
  return Number(keyType.slice('rsa-'.length));
}

/** Reads a private key PEM; undefined when it is not one. */
export function readPrivateKey(pem: string): KeyObject | undefined {
  try {
    return createPrivateKey(pem);
  } catch {
    return undefined;
  }
}

/** Reads a public key (or derives it from a private key); undefined when it is neither. */
export function readPublicKey(pem: string): KeyObject | undefined {
  try {
    return createPublicKey(pem);
  } catch {
    return undefined;
  }
}

/** The KeyType for a key, or undefined for anything Kubesmith does not issue (EC, odd RSA sizes). */
export function keyTypeOf(key: KeyObject): KeyType | undefined {
  if (key.asymmetricKeyType !== 'rsa') return undefined;
  const parsed = KeyTypeSchema.safeParse(`rsa-${key.asymmetricKeyDetails?.modulusLength ?? 0}`);
  return parsed.success ? parsed.data : undefined;
}

/** "RSA 2048", "EC prime256v1": for people reading a certificate list. */
export function describeKey(key: KeyObject): string {
  const details = key.asymmetricKeyDetails;
  if (key.asymmetricKeyType === 'rsa') return `RSA ${details?.modulusLength ?? '?'}`;
  if (key.asymmetricKeyType === 'ec') return `EC ${details?.namedCurve ?? '?'}`;
  return (key.asymmetricKeyType ?? 'unknown').toUpperCase();
}

export function spkiDer(key: KeyObject): Buffer {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  return publicKey.export({ type: 'spki', format: 'der' });
}

export function samePublicKey(a: KeyObject, b: KeyObject): boolean {
  return spkiDer(a).equals(spkiDer(b));
}
