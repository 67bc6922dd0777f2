import { generateKeyPairSync } from 'node:crypto';
import forge from 'node-forge';
import { describe, expect, it } from 'vitest';
import { describeKey, ECDSA_UNSUPPORTED_REASON, generateKeyPairPem, keyTypeOf, readPrivateKey, readPublicKey, samePublicKey } from './keys';
import { EC_CA_CERT_PEM } from './test-fixtures';

describe('keys', { timeout: 60_000 }, () => {
  it('generates RSA key pairs in the PEM forms kubeadm writes', async () => {
    const pair = await generateKeyPairPem('rsa-2048');
    expect(pair.privateKeyPem).toMatch(/^-----BEGIN RSA PRIVATE KEY-----\n/);
    expect(pair.publicKeyPem).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
    const privateKey = readPrivateKey(pair.privateKeyPem);
    const publicKey = readPublicKey(pair.publicKeyPem);
    expect(privateKey && keyTypeOf(privateKey)).toBe('rsa-2048');
    expect(privateKey && publicKey && samePublicKey(privateKey, publicKey)).toBe(true);
    expect(publicKey && describeKey(publicKey)).toBe('RSA 2048');
  });

  it('tells keys apart and reads garbage as undefined', async () => {
    const [a, b] = await Promise.all([generateKeyPairPem('rsa-2048'), generateKeyPairPem('rsa-2048')]);
    const keyA = readPrivateKey(a.privateKeyPem);
    const keyB = readPrivateKey(b.privateKeyPem);
    expect(keyA && keyB && samePublicKey(keyA, keyB)).toBe(false);
    expect(readPrivateKey('-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n')).toBeUndefined();
    expect(readPublicKey('hello')).toBeUndefined();
  });

  it('has no KeyType for EC keys', () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    expect(keyTypeOf(privateKey)).toBeUndefined();
    expect(describeKey(privateKey)).toBe('EC prime256v1');
  });

  // If this starts failing, node-forge learned ECDSA: revisit ECDSA_UNSUPPORTED_REASON and KEY_TYPES.
  it('ECDSA stays out because node-forge cannot read or sign EC certificates', () => {
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    expect(() => forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString())).toThrow();
    expect(() => forge.pki.certificateFromPem(EC_CA_CERT_PEM)).toThrow(/not RSA/);
    const cert = forge.pki.createCertificate();
    cert.publicKey = forge.pki.rsa.setPublicKey(new forge.jsbn.BigInteger('3'), new forge.jsbn.BigInteger('65537'));
    cert.sign({ sign: () => '' } as unknown as forge.pki.rsa.PrivateKey, forge.md.sha256.create());
    expect(forge.pki.oids[cert.signatureOid]).toBe('sha256WithRSAEncryption');
    expect(ECDSA_UNSUPPORTED_REASON).toMatch(/node-forge/);
  });
});
