import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signatureAlgorithmFor } from './signature-algorithm';

describe('signatureAlgorithmFor', () => {
  it('signs RSA keys with SHA-256, and EC keys with ECDSA and the hash of their curve', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey;
    const p256 = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey;
    expect(signatureAlgorithmFor(rsa)).toEqual({ hash: 'sha256', oid: '1.2.840.113549.1.1.11', nullParameters: true });
    expect(signatureAlgorithmFor(p256)).toEqual({ hash: 'sha256', oid: '1.2.840.10045.4.3.2', nullParameters: false });
    expect(signatureAlgorithmFor(p384)).toEqual({ hash: 'sha384', oid: '1.2.840.10045.4.3.3', nullParameters: false });
  });

  it('refuses keys it has no certificate signature algorithm for', () => {
    const ed25519 = generateKeyPairSync('ed25519').privateKey;
    const secp256k1 = generateKeyPairSync('ec', { namedCurve: 'secp256k1' }).privateKey;
    expect(() => signatureAlgorithmFor(ed25519)).toThrow(expect.objectContaining({ name: 'PkiUnsupportedSigningKey' }));
    expect(() => signatureAlgorithmFor(secp256k1)).toThrow(/EC secp256k1 key cannot sign/);
  });
});
