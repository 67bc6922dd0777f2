import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { utils } from 'ssh2';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { isEncryptedKey, loadPrivateKey, parsePrivateKey, PrivateKeyCache } from './private-key';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ks-key-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

let generated = 0;
/**
 * An ed25519 key made by OpenSSH's ssh-keygen, as users have them, encrypted with the passphrase ('' for none). ssh2's own generator writes a key it cannot
 * read back about once in 200 (2 of 400 measured), which made these tests fail now and then.
 */
function openSshKey(passphrase: string): string {
  const path = join(dir, `generated-${generated++}`);
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-a', '4', '-N', passphrase, '-C', '', '-f', path]);
  return readFileSync(path, 'utf8');
}

function pkcs8(type: 'rsa' | 'ec' | 'ed25519', passphrase?: string): string {
  const enc = passphrase !== undefined ? { cipher: 'aes-256-cbc', passphrase } : {};
  const opts = {
    privateKeyEncoding: { type: 'pkcs8' as const, format: 'pem' as const, ...enc },
    publicKeyEncoding: { type: 'spki' as const, format: 'pem' as const },
  };
  if (type === 'rsa') return generateKeyPairSync('rsa', { modulusLength: 2048, ...opts }).privateKey;
  if (type === 'ec') return generateKeyPairSync('ec', { namedCurve: 'P-256', ...opts }).privateKey;
  return generateKeyPairSync('ed25519', opts).privateKey;
}

describe('parsePrivateKey', () => {
  it.each(['rsa', 'ec', 'ed25519'] as const)('reads PKCS#8 %s keys and can sign with them', (type) => {
    const key = parsePrivateKey(pkcs8(type), undefined);
    if (key instanceof Error) throw key;
    expect(key.isPrivateKey()).toBe(true);
    expect(key.sign(Buffer.from('data'))).toBeInstanceOf(Buffer);
  });

  it('reads encrypted PKCS#8 only with the right passphrase', () => {
    const text = pkcs8('ed25519', 'pw');
    expect(isEncryptedKey(text)).toBe(true);
    expect(parsePrivateKey(text, 'nope')).toBeInstanceOf(Error);
    expect(parsePrivateKey(text, 'pw')).not.toBeInstanceOf(Error);
  });

  it('recognises encrypted OpenSSH keys from the file', () => {
    const enc = openSshKey('pw');
    const plain = utils.generateKeyPairSync('ed25519');
    expect(isEncryptedKey(enc)).toBe(true);
    expect(isEncryptedKey(plain.private)).toBe(false);
  });

  it('refuses a public key', () => {
    const pair = utils.generateKeyPairSync('ed25519');
    expect(parsePrivateKey(pair.public, undefined)).toBeInstanceOf(Error);
  });
});

describe('loadPrivateKey', () => {
  it('asks for the passphrase only when needed and retries a wrong one', async () => {
    const path = join(dir, 'enc');
    await writeFile(path, openSshKey('right'));
    const answers = ['wrong', 'right'];
    const source = { get: vi.fn(async () => answers.shift() ?? ''), wrong: vi.fn() };
    const key = await loadPrivateKey(path, source);
    expect(key.type).toBe('ssh-ed25519');
    expect(source.get).toHaveBeenCalledTimes(2);
    expect(source.wrong).toHaveBeenCalledTimes(1);

    const plainPath = join(dir, 'plain');
    await writeFile(plainPath, openSshKey(''));
    const never = { get: vi.fn(async () => 'x'), wrong: vi.fn() };
    await loadPrivateKey(plainPath, never);
    expect(never.get).not.toHaveBeenCalled();
  });

  it('gives up after three wrong passphrases and explains missing files', async () => {
    const path = join(dir, 'enc2');
    await writeFile(path, openSshKey('right'));
    await expect(loadPrivateKey(path, { get: async () => 'wrong', wrong: () => undefined })).rejects.toMatchObject({
      name: 'KeyPassphraseWrong',
    });
    await expect(loadPrivateKey(join(dir, 'missing'), { get: async () => '', wrong: () => undefined })).rejects.toMatchObject({
      name: 'KeyFileUnreadable',
    });
  });
});

describe('PrivateKeyCache', () => {
  it('decrypts a key once, and again only when the file changes', async () => {
    const path = join(dir, 'cached');
    await writeFile(path, openSshKey('pw'));
    const cache = new PrivateKeyCache();
    const source = { get: vi.fn(async () => 'pw'), wrong: vi.fn() };
    const [a, b] = await Promise.all([cache.load(path, source), cache.load(path, source)]);
    expect(a).toBe(b);
    expect(await cache.load(path, source)).toBe(a);
    expect(source.get).toHaveBeenCalledTimes(1);

    // Replaced as a new file (a new inode), as a key is when it is made again: an in-place rewrite within one tick of
    // the kernel's coarse file clock can keep mtime and inode (this test failed once on a busy machine).
    // Made by ssh-keygen: ssh2's generator writes a key it cannot read back now and then (see openSshKey).
    await writeFile(`${path}.new`, openSshKey('pw'));
    await rename(`${path}.new`, path);
    expect(await cache.load(path, source)).not.toBe(a);
  });
});
