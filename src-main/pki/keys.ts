import { createPrivateKey, createPublicKey, generateKeyPair, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import type { z } from 'zod';
import { PKI_KEY_TYPES, PkiKeyTypeSchema } from '../../src-shared/contract/pki';

const generateKeyPairAsync = promisify(generateKeyPair);

export const KEY_TYPES = PKI_KEY_TYPES;
export const KeyTypeSchema = PkiKeyTypeSchema;
export type KeyType = z.infer<typeof KeyTypeSchema>;
export const DEFAULT_KEY_TYPE: KeyType = 'rsa-2048';

/** What to generate for each key type; the curve by its OpenSSL name, as Node reports it back. */
const KEY_PARAMETERS: Record<KeyType, { algorithm: 'rsa'; bits: number } | { algorithm: 'ec'; curve: string }> = {
  'rsa-2048': { algorithm: 'rsa', bits: 2048 },
  'rsa-3072': { algorithm: 'rsa', bits: 3072 },
  'rsa-4096': { algorithm: 'rsa', bits: 4096 },
  'ecdsa-p256': { algorithm: 'ec', curve: 'prime256v1' },
};

export interface KeyPairPem {
  /** PKCS#1 ("RSA PRIVATE KEY") or SEC 1 ("EC PRIVATE KEY"): the forms kubeadm writes. */
  privateKeyPem: string;
  /** SubjectPublicKeyInfo ("PUBLIC KEY"), the form kubeadm writes for sa.pub. */
  publicKeyPem: string;
}

export type KeyPairGenerator = (keyType: KeyType) => Promise<KeyPairPem>;

/** Runs on libuv's thread pool, so the event loop stays free while primes are found. */
export const generateKeyPairPem: KeyPairGenerator = async (keyType) => {
  const parameters = KEY_PARAMETERS[keyType];
  const { publicKey, privateKey } =
    parameters.algorithm === 'rsa'
      ? await generateKeyPairAsync('rsa', { modulusLength: parameters.bits, publicExponent: 0x10001 })
      : await generateKeyPairAsync('ec', { namedCurve: parameters.curve });
  return {
    privateKeyPem: privateKey.export({ type: parameters.algorithm === 'rsa' ? 'pkcs1' : 'sec1', format: 'pem' }).toString(),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
};

export function keyAlgorithmOf(keyType: KeyType): 'rsa' | 'ec' {
  return KEY_PARAMETERS[keyType].algorithm;
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

/** The KeyType for a key, or undefined for anything Kubesmith does not issue (other curves, odd RSA sizes, Ed25519). */
export function keyTypeOf(key: KeyObject): KeyType | undefined {
  const details = key.asymmetricKeyDetails;
  return KEY_TYPES.find((keyType) => {
    const parameters = KEY_PARAMETERS[keyType];
    return parameters.algorithm === 'rsa'
      ? key.asymmetricKeyType === 'rsa' && details?.modulusLength === parameters.bits
      : key.asymmetricKeyType === 'ec' && details?.namedCurve === parameters.curve;
  });
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
