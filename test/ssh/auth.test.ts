import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAgent, type TestAgent } from './fixtures/agent';
import { host, makeKey, makePool, type KeyPair } from './fixtures/harness';
import { DEFAULT_CONNECT_TIMEOUT_MS } from '../../src-main/ssh/connection-pool';
import { freePort } from '../support/free-port';
import { explainSkip, sshdAvailable, sshdMissingReason, startSshd, type TestSshd } from './fixtures/sshd';
import { canCreateUsers, createUser, type TestUser } from './fixtures/users';

explainSkip(sshdAvailable, sshdMissingReason, it.skip);

describe.skipIf(!sshdAvailable)('SSH login methods against a real sshd', () => {
  let sshd: TestSshd;
  let kbdSshd: TestSshd;
  let dir: string;
  let keys: Record<'ed25519' | 'rsaPem' | 'ecdsaPemEncrypted' | 'ed25519Encrypted' | 'agentKey' | 'stranger', KeyPair>;
  let user: TestUser | undefined;
  let agent: TestAgent;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ks-auth-'));
    sshd = await startSshd();
    kbdSshd = await startSshd({ passwordAuthentication: false, kbdInteractiveAuthentication: true });
    keys = {
      ed25519: makeKey(dir, 'id_ed25519', 'ed25519'),
      rsaPem: makeKey(dir, 'id_rsa_pem', 'rsa', { pem: true }),
      ecdsaPemEncrypted: makeKey(dir, 'id_ecdsa_pem_enc', 'ecdsa', { pem: true, passphrase: 'ecdsa pass' }),
      ed25519Encrypted: makeKey(dir, 'id_ed25519_enc', 'ed25519', { passphrase: 'correct horse' }),
      agentKey: makeKey(dir, 'id_agent', 'ed25519'),
      stranger: makeKey(dir, 'id_stranger', 'ed25519'),
    };
    for (const k of [keys.ed25519, keys.rsaPem, keys.ecdsaPemEncrypted, keys.ed25519Encrypted, keys.agentKey]) {
      await sshd.authorize('root', k.publicKey);
    }
    if (canCreateUsers) user = createUser();
    agent = await startAgent(dir);
    agent.add(keys.agentKey.privatePath);
  });

  afterAll(async () => {
    await agent?.stop();
    await sshd?.stop();
    await kbdSshd?.stop();
    user?.remove();
    await rm(dir, { recursive: true, force: true });
  });

  const keyHost = (id: string, keyPath: string, hasPassphrase = false) =>
    host({ id, address: '127.0.0.1', port: sshd.port, auth: { kind: 'key', keyPath, hasPassphrase } });

  it.each([
    ['an OpenSSH ed25519 key', 'ed25519'],
    ['an RSA key in PEM format', 'rsaPem'],
  ] as const)('logs in with %s', async (_what, which) => {
    const h = await makePool([keyHost('n1', keys[which].privatePath)]);
    try {
      const result = await h.pool.exec('n1', 'whoami');
      expect(result).toMatchObject({ code: 0, stdout: 'root\n' });
      expect(h.secretRequests).toEqual([]);
    } finally {
      await h.close();
    }
  });

  it('asks for a key passphrase once per session, for every host using that key', async () => {
    const h = await makePool([
      keyHost('n1', keys.ed25519Encrypted.privatePath, true),
      { ...keyHost('n2', keys.ed25519Encrypted.privatePath, true), name: 'n2' },
      keyHost('n3', keys.ecdsaPemEncrypted.privatePath, true),
    ]);
    h.secrets.passphrase = 'correct horse';
    try {
      expect((await h.pool.exec('n1', 'echo one')).stdout).toBe('one\n');
      expect((await h.pool.exec('n2', 'echo two')).stdout).toBe('two\n');
      await h.pool.disconnect('n1');
      expect((await h.pool.exec('n1', 'echo again')).stdout).toBe('again\n');
      expect(h.secretRequests).toEqual([{ hostId: 'n1', kind: 'passphrase', prompt: expect.stringContaining('id_ed25519_enc') }]);

      h.secrets.passphrase = 'ecdsa pass';
      expect((await h.pool.exec('n3', 'echo pem')).stdout).toBe('pem\n');
      expect(h.secretRequests).toHaveLength(2);
    } finally {
      await h.close();
    }
  });

  it('reports a wrong passphrase after asking again', async () => {
    const h = await makePool([keyHost('n1', keys.ed25519Encrypted.privatePath, true)]);
    h.secrets.passphrase = 'wrong';
    try {
      await expect(h.pool.exec('n1', 'true')).rejects.toMatchObject({ name: 'KeyPassphraseWrong' });
      expect(h.secretRequests).toHaveLength(3);
    } finally {
      await h.close();
    }
  });

  it('logs in with ssh-agent', async () => {
    const h = await makePool([host({ id: 'n1', address: '127.0.0.1', port: sshd.port, auth: { kind: 'agent' } })], {
      agentSocket: agent.socket,
    });
    try {
      expect((await h.pool.exec('n1', 'whoami')).stdout).toBe('root\n');
    } finally {
      await h.close();
    }
  });

  it('explains a missing agent', async () => {
    const h = await makePool([host({ id: 'n1', address: '127.0.0.1', port: sshd.port, auth: { kind: 'agent' } })]);
    try {
      await expect(h.pool.exec('n1', 'true')).rejects.toMatchObject({ name: 'AgentUnavailable' });
    } finally {
      await h.close();
    }
  });

  it('names the key it tried when the server does not accept it', async () => {
    const h = await makePool([keyHost('n1', keys.stranger.privatePath)]);
    try {
      const err = await h.pool.exec('n1', 'true').catch((e: unknown) => e);
      expect(err).toMatchObject({
        name: 'AuthFailed',
        message: expect.stringContaining(`Tried: key ${keys.stranger.privatePath}`),
        hint: expect.stringContaining('authorized_keys'),
      });
      expect((err as Error).message).toMatch(/The server allows: publickey, password\./);
    } finally {
      await h.close();
    }
  });

  it('reports a closed port as connection refused', async () => {
    const port = await freePort();
    const h = await makePool(
      [host({ id: 'n1', address: '127.0.0.1', port, auth: { kind: 'key', keyPath: keys.ed25519.privatePath, hasPassphrase: false } })],
      {
        reconnect: { retries: 1, initialDelayMs: 10 },
      },
    );
    try {
      await expect(h.pool.exec('n1', 'true')).rejects.toMatchObject({
        name: 'ConnectionRefused',
        message: expect.stringContaining(`127.0.0.1:${port}`),
      });
    } finally {
      await h.close();
    }
  });

  it('gives up on a server that accepts TCP but never speaks SSH, within the connect timeout', async () => {
    const sockets: Socket[] = [];
    const silent: Server = createServer((s) => sockets.push(s));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as { port: number }).port;
    const h = await makePool(
      [host({ id: 'n1', address: '127.0.0.1', port, auth: { kind: 'key', keyPath: keys.ed25519.privatePath, hasPassphrase: false } })],
      {
        connectTimeoutMs: 800,
      },
    );
    try {
      const started = Date.now();
      await expect(h.pool.exec('n1', 'true')).rejects.toMatchObject({
        name: 'ConnectTimeout',
        message: expect.stringContaining('within 800 ms'),
      });
      // The configured timeout decided, not the default one (a loaded machine may add seconds, never twenty).
      expect(Date.now() - started).toBeLessThan(DEFAULT_CONNECT_TIMEOUT_MS);
    } finally {
      await h.close();
      for (const s of sockets) s.destroy();
      silent.close();
    }
  });

  it('does not count the time a person takes to accept the host key against the connect timeout', async () => {
    const h = await makePool([keyHost('n1', keys.ed25519.privatePath)], {
      connectTimeoutMs: 500,
      confirmHostKey: async () => {
        await new Promise((r) => setTimeout(r, 1500));
        return true;
      },
    });
    try {
      expect((await h.pool.exec('n1', 'echo patient')).stdout).toBe('patient\n');
    } finally {
      await h.close();
    }
  });

  describe.skipIf(!canCreateUsers)('as a non-root user with a password', () => {
    const pwHost = (port: number) =>
      host({ id: 'pw', address: '127.0.0.1', port, user: user?.name ?? 'nobody', auth: { kind: 'password' } });

    it('logs in with password authentication, asking once', async () => {
      const h = await makePool([pwHost(sshd.port)]);
      h.secrets.password = user?.password;
      try {
        expect((await h.pool.exec('pw', 'whoami')).stdout).toBe(`${user?.name}\n`);
        await h.pool.disconnect('pw');
        expect((await h.pool.exec('pw', 'whoami')).code).toBe(0);
        expect(h.secretRequests).toEqual([{ hostId: 'pw', kind: 'password', prompt: expect.stringContaining(user?.name ?? '') }]);
      } finally {
        await h.close();
      }
    });

    it('logs in with keyboard-interactive when password authentication is off', async () => {
      const h = await makePool([pwHost(kbdSshd.port)]);
      h.secrets.password = user?.password;
      try {
        expect((await h.pool.exec('pw', 'whoami')).stdout).toBe(`${user?.name}\n`);
      } finally {
        await h.close();
      }
    });

    it('says which methods it tried when the password is wrong, and asks again next time', async () => {
      for (const port of [sshd.port, kbdSshd.port]) {
        const h = await makePool([pwHost(port)]);
        h.secrets.password = 'not-the-password';
        try {
          const err = await h.pool.exec('pw', 'true').catch((e: unknown) => e);
          expect(err).toMatchObject({ name: 'AuthFailed', hint: expect.stringContaining('Check the password') });
          expect((err as Error).message).toMatch(port === sshd.port ? /Tried: password\./ : /Tried: keyboard-interactive/);
          h.secrets.password = user?.password;
          expect((await h.pool.exec('pw', 'true')).code).toBe(0);
          expect(h.secretRequests).toHaveLength(2);
        } finally {
          await h.close();
        }
      }
    });
  });
});
