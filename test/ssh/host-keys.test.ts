import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { host, makeKey, makePool, type KeyPair } from './fixtures/harness';
import { explainSkip, sshdAvailable, sshdMissingReason, startSshd, type TestSshd } from './fixtures/sshd';

explainSkip(sshdAvailable, sshdMissingReason, it.skip);

describe.skipIf(!sshdAvailable)('host key verification against a real sshd', () => {
  let sshd: TestSshd;
  let dir: string;
  let key: KeyPair;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ks-hostkeys-'));
    sshd = await startSshd({ hostKeyTypes: ['ed25519', 'rsa'] });
    key = makeKey(dir, 'id_ed25519', 'ed25519');
    await sshd.authorize('root', key.publicKey);
  });

  afterAll(async () => {
    await sshd?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  const node = () =>
    host({ id: 'n1', address: '127.0.0.1', port: sshd.port, auth: { kind: 'key', keyPath: key.privatePath, hasPassphrase: false } });

  it('asks on first contact with the fingerprint ssh-keygen prints, records it, and does not ask again', async () => {
    const h = await makePool([node()]);
    try {
      await Promise.all([1, 2, 3, 4, 5].map(() => h.pool.exec('n1', 'true')));
      expect(h.questions).toEqual([
        { host: '127.0.0.1', port: sshd.port, keyType: 'ssh-ed25519', fingerprintSha256: sshd.fingerprint('ed25519') },
      ]);
      expect(await h.knownHosts()).toBe(`[127.0.0.1]:${sshd.port} ${await sshd.publicHostKey('ed25519')}\n`);

      await h.pool.disconnect('n1');
      await h.pool.exec('n1', 'true');
      const second = await makePool([node()], { workspaceKnownHosts: h.knownHostsPath });
      await second.pool.exec('n1', 'true');
      await second.close();
      expect(h.questions).toHaveLength(1);
      expect(second.questions).toEqual([]);
    } finally {
      await h.close();
    }
  });

  it('does not connect when the user declines, and records nothing', async () => {
    const h = await makePool([node()]);
    h.acceptHostKeys = false;
    try {
      await expect(h.pool.exec('n1', 'true')).rejects.toMatchObject({
        name: 'HostKeyRejected',
        message: expect.stringContaining(sshd.fingerprint('ed25519')),
      });
      expect(await h.knownHosts()).toBe('');
    } finally {
      await h.close();
    }
  });

  it('trusts hashed [host]:port entries in ~/.ssh/known_hosts without asking, preferring the key type on record', async () => {
    const userFile = join(dir, 'user_known_hosts');
    // Only the RSA key is on record: the handshake must ask for RSA rather than meet an "unknown" ed25519 key.
    await writeFile(userFile, `[127.0.0.1]:${sshd.port} ${await sshd.publicHostKey('rsa')}\n`);
    execFileSync('ssh-keygen', ['-H', '-f', userFile], { stdio: 'ignore' });
    expect(await readFile(userFile, 'utf8')).toMatch(/^\|1\|/);
    const h = await makePool([node()], { userKnownHosts: userFile });
    try {
      await h.pool.exec('n1', 'true');
      expect(h.questions).toEqual([]);
      expect(await h.knownHosts()).toBe('');
    } finally {
      await h.close();
    }
  });

  it('refuses a changed key loudly, and connects after the new key is accepted deliberately', async () => {
    const h = await makePool([node()]);
    try {
      await h.pool.exec('n1', 'true');
      const oldFingerprint = sshd.fingerprint('ed25519');

      sshd.regenerateHostKey('ed25519');
      await sshd.restart();
      const newFingerprint = sshd.fingerprint('ed25519');
      await h.pool.disconnect('n1');

      const err = await h.pool.exec('n1', 'true').catch((e: unknown) => e);
      expect(err).toMatchObject({
        name: 'HostKeyMismatch',
        message: expect.stringMatching(/HAS CHANGED/),
        details: { oldFingerprint, newFingerprint, keyType: 'ssh-ed25519' },
      });
      expect((err as Error).message).toContain(oldFingerprint);
      expect((err as Error).message).toContain(newFingerprint);
      expect(h.questions).toHaveLength(1);

      await expect(h.pool.replaceKnownHost('n1', oldFingerprint)).rejects.toMatchObject({ name: 'HostKeyMismatch' });
      await h.pool.replaceKnownHost('n1', newFingerprint);
      expect((await h.pool.exec('n1', 'echo ok')).stdout).toBe('ok\n');
      expect(await h.knownHosts()).toBe(`[127.0.0.1]:${sshd.port} ${await sshd.publicHostKey('ed25519')}\n`);
      expect(h.questions).toHaveLength(1);
    } finally {
      await h.close();
    }
  });

  it('lets a deliberate replacement override a stale key in the read-only ~/.ssh/known_hosts', async () => {
    const userFile = join(dir, 'stale_known_hosts');
    const stale = makeKey(dir, 'stale_host_key', 'ed25519').publicKey.split(' ').slice(0, 2).join(' ');
    await writeFile(userFile, `[127.0.0.1]:${sshd.port} ${stale}\n`);
    const h = await makePool([node()], { userKnownHosts: userFile });
    try {
      await expect(h.pool.exec('n1', 'true')).rejects.toMatchObject({
        name: 'HostKeyMismatch',
        details: { knownHostsFile: userFile, line: 1 },
      });
      await h.pool.replaceKnownHost('n1', sshd.fingerprint('ed25519'));
      await h.pool.exec('n1', 'true');
      expect(await readFile(userFile, 'utf8')).toBe(`[127.0.0.1]:${sshd.port} ${stale}\n`);
    } finally {
      await h.close();
    }
  });
});
