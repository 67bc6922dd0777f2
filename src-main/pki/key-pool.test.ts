import { describe, expect, it } from 'vitest';
import { keyTypeOf, readPrivateKey, readPublicKey, samePublicKey, type KeyPairPem, type KeyType } from './keys';
import { KeyPool } from './key-pool';

function expectKeyPair(pair: KeyPairPem | undefined, keyType: KeyType): void {
  const privateKey = pair && readPrivateKey(pair.privateKeyPem);
  const publicKey = pair && readPublicKey(pair.publicKeyPem);
  expect(privateKey && keyTypeOf(privateKey)).toBe(keyType);
  expect(privateKey && publicKey && samePublicKey(privateKey, publicKey)).toBe(true);
}

describe('KeyPool', { timeout: 60_000 }, () => {
  it('makes keys in the background up to the count asked for, and hands each out once', async () => {
    const pool = new KeyPool();
    pool.fill('rsa-2048', 3);
    expect(pool.size).toBe(0);
    await pool.idle();
    expect(pool.size).toBe(3);
    expect(pool.take('ecdsa-p256')).toBeUndefined();
    const taken = [pool.take('rsa-2048'), pool.take('rsa-2048'), pool.take('rsa-2048')];
    for (const pair of taken) expectKeyPair(pair, 'rsa-2048');
    expect(new Set(taken.map((p) => p?.privateKeyPem)).size).toBe(3);
    expect(pool.take('rsa-2048')).toBeUndefined();
    expect(pool.size).toBe(0);
  });

  it('as a generator, hands out pooled keys first, then makes fresh ones', async () => {
    const pool = new KeyPool();
    pool.fill('rsa-2048', 1);
    await pool.idle();
    const first = await pool.generator('rsa-2048');
    expect(pool.size).toBe(0);
    const second = await pool.generator('rsa-2048');
    expectKeyPair(first, 'rsa-2048');
    expectKeyPair(second, 'rsa-2048');
    expect(second.privateKeyPem).not.toBe(first.privateKeyPem);
    expectKeyPair(await pool.generator('ecdsa-p256'), 'ecdsa-p256');
  });

  it('holds at most maxKeys, and only keys of the type last asked for', async () => {
    const pool = new KeyPool({ maxKeys: 2 });
    pool.fill('rsa-2048', 30);
    await pool.idle();
    expect(pool.size).toBe(2);
    pool.fill('ecdsa-p256', 1);
    expect(pool.size).toBe(0);
    await pool.idle();
    expect(pool.size).toBe(1);
    expect(pool.take('rsa-2048')).toBeUndefined();
    expectKeyPair(pool.take('ecdsa-p256'), 'ecdsa-p256');
  });

  it('on close, forgets its keys and drops the ones still being made', async () => {
    const pool = new KeyPool({ concurrency: 2 });
    pool.fill('rsa-2048', 4);
    await pool.close();
    expect(pool.size).toBe(0);
    pool.fill('rsa-2048', 4);
    await pool.idle();
    expect(pool.size).toBe(0);
  });

  it('stops making keys after a failure, and reports it', async () => {
    const errors: unknown[] = [];
    let attempts = 0;
    const pool = new KeyPool({
      generate: () => {
        attempts++;
        return Promise.reject(new Error('no entropy'));
      },
      onError: (err) => errors.push(err),
    });
    pool.fill('rsa-2048', 5);
    await pool.idle();
    expect(attempts).toBe(1);
    expect(pool.size).toBe(0);
    expect(errors).toEqual([new Error('no entropy')]);
  });
});
