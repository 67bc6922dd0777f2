import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { describeKey, generateKeyPairPem, keyTypeOf, readPrivateKey, readPublicKey, samePublicKey } from './keys';

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

  it('generates ECDSA P-256 key pairs in the PEM forms kubeadm writes', async () => {
    const pair = await generateKeyPairPem('ecdsa-p256');
    expect(pair.privateKeyPem).toMatch(/^-----BEGIN EC PRIVATE KEY-----\n/);
    expect(pair.publicKeyPem).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
    const privateKey = readPrivateKey(pair.privateKeyPem);
    const publicKey = readPublicKey(pair.publicKeyPem);
    expect(privateKey && keyTypeOf(privateKey)).toBe('ecdsa-p256');
    expect(privateKey && publicKey && samePublicKey(privateKey, publicKey)).toBe(true);
    expect(publicKey && describeKey(publicKey)).toBe('EC prime256v1');
  });

  it('has no KeyType for keys Kubesmith does not issue', () => {
    const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey;
    const ed25519 = generateKeyPairSync('ed25519').privateKey;
    const rsa1024 = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey;
    expect([p384, ed25519, rsa1024].map(keyTypeOf)).toEqual([undefined, undefined, undefined]);
    expect([p384, ed25519, rsa1024].map(describeKey)).toEqual(['EC secp384r1', 'ED25519', 'RSA 1024']);
  });
});
