import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SudoMode } from '../../src-shared/model/cluster';
import { host, makeKey, makePool, type KeyPair, type PoolHarness } from './fixtures/harness';
import { explainSkip, sshdAvailable, sshdMissingReason, startSshd, type TestSshd } from './fixtures/sshd';
import { canCreateUsers, createUser, type TestUser } from './fixtures/users';

const runnable = sshdAvailable && canCreateUsers;
explainSkip(runnable, sshdAvailable ? 'creating throwaway users needs root' : sshdMissingReason, it.skip);

describe.skipIf(!runnable)('sudo for non-root users against a real sshd', () => {
  let sshd: TestSshd;
  let dir: string;
  let key: KeyPair;
  let withPassword: TestUser;
  let nopasswd: TestUser;
  let notAllowed: TestUser;
  let root: PoolHarness;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ks-sudo-'));
    sshd = await startSshd();
    key = makeKey(dir, 'id_ed25519', 'ed25519');
    withPassword = createUser({ sudo: 'password' });
    nopasswd = createUser({ sudo: 'nopasswd' });
    notAllowed = createUser({ sudo: 'none' });
    for (const name of ['root', withPassword.name, nopasswd.name, notAllowed.name]) await sshd.authorize(name, key.publicKey);
    root = await makePool([node('root', 'root', 'none')]);
  });

  afterAll(async () => {
    await root?.close();
    await sshd?.stop();
    for (const u of [withPassword, nopasswd, notAllowed]) u?.remove();
    await rm(dir, { recursive: true, force: true });
  });

  function node(id: string, user: string, sudo: SudoMode) {
    return host({
      id,
      address: '127.0.0.1',
      port: sshd.port,
      user,
      sudo,
      auth: { kind: 'key', keyPath: key.privatePath, hasPassphrase: false },
    });
  }

  it('runs as root with a sudo password fed on stdin, asked once, never on the command line', async () => {
    const h = await makePool([node('n1', withPassword.name, 'password')]);
    h.secrets.sudo = withPassword.password;
    try {
      expect((await h.pool.exec('n1', 'whoami', { sudo: true })).stdout).toBe('root\n');
      expect((await h.pool.exec('n1', 'whoami')).stdout).toBe(`${withPassword.name}\n`);
      // The command's own stdin comes after the password line, and the password does not leak into it.
      const echoed = await h.pool.exec('n1', 'cat', { sudo: true, stdin: 'payload\n' });
      expect(echoed).toMatchObject({ code: 0, stdout: 'payload\n' });

      const running = h.pool.exec('n1', 'sleep 2', { sudo: true });
      await new Promise((r) => setTimeout(r, 700));
      const ps = await root.pool.exec('root', 'ps -eo args');
      expect(ps.stdout).toContain('sleep 2');
      expect(ps.stdout).not.toContain(withPassword.password);
      await running;

      expect(h.secretRequests).toEqual([{ hostId: 'n1', kind: 'sudo', prompt: expect.stringContaining(withPassword.name) }]);
    } finally {
      await h.close();
    }
  });

  it('refuses a wrong sudo password clearly, and asks again next time', async () => {
    const h = await makePool([node('n1', withPassword.name, 'password')]);
    h.secrets.sudo = 'wrong password';
    try {
      await expect(h.pool.exec('n1', 'true', { sudo: true })).rejects.toMatchObject({
        name: 'SudoRefused',
        message: expect.stringContaining('rejected the password'),
      });
      h.secrets.sudo = withPassword.password;
      expect((await h.pool.exec('n1', 'id -u', { sudo: true })).stdout).toBe('0\n');
      expect(h.secretRequests.filter((r) => r.kind === 'sudo')).toHaveLength(2);
    } finally {
      await h.close();
    }
  });

  it('refuses a user who may not use sudo', async () => {
    const h = await makePool([node('n1', notAllowed.name, 'password')]);
    h.secrets.sudo = notAllowed.password;
    try {
      await expect(h.pool.exec('n1', 'true', { sudo: true })).rejects.toMatchObject({
        name: 'SudoRefused',
        message: expect.stringContaining('not allowed to use sudo'),
      });
    } finally {
      await h.close();
    }
  });

  it('says so when a step needs root but the host has no sudo', async () => {
    const h = await makePool([node('n1', withPassword.name, 'none')]);
    try {
      await expect(h.pool.exec('n1', 'true', { sudo: true })).rejects.toMatchObject({
        name: 'SudoRefused',
        hint: expect.stringContaining('sudo mode'),
      });
    } finally {
      await h.close();
    }
  });

  it('uses passwordless sudo, and explains when sudo wants a password after all', async () => {
    const h = await makePool([node('ok', nopasswd.name, 'passwordless'), node('bad', withPassword.name, 'passwordless')]);
    try {
      expect((await h.pool.exec('ok', 'whoami', { sudo: true })).stdout).toBe('root\n');
      await expect(h.pool.exec('bad', 'true', { sudo: true })).rejects.toMatchObject({
        name: 'SudoRefused',
        message: expect.stringContaining('asks'),
      });
      expect(h.secretRequests).toEqual([]);
    } finally {
      await h.close();
    }
  });

  it('does not send a password to a NOPASSWD user even when the host is set to password', async () => {
    const h = await makePool([node('n1', nopasswd.name, 'password')]);
    try {
      expect((await h.pool.exec('n1', 'cat', { sudo: true, stdin: 'only this\n' })).stdout).toBe('only this\n');
      expect(h.secretRequests).toEqual([]);
    } finally {
      await h.close();
    }
  });

  it('kills a timed-out command that runs as root through sudo', async () => {
    const h = await makePool([node('n1', withPassword.name, 'password')]);
    h.secrets.sudo = withPassword.password;
    const marker = `ks-sudo-timeout-${Date.now()}`;
    try {
      await expect(h.pool.exec('n1', `sleep 60; echo ${marker}`, { sudo: true, timeoutMs: 1500 })).rejects.toMatchObject({
        name: 'CommandTimedOut',
      });
      await new Promise((r) => setTimeout(r, 2000));
      const pattern = `[${marker[0]}]${marker.slice(1)}`;
      expect((await root.pool.exec('root', `pgrep -f '${pattern}'`)).code).toBe(1);
    } finally {
      await h.close();
    }
  });
});
