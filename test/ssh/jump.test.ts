import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Jump } from '../../src-shared/model/cluster';
import { host, makeKey, makePool, type KeyPair } from './fixtures/harness';
import { explainSkip, sshdAvailable, sshdMissingReason, startSshd, type TestSshd } from './fixtures/sshd';

explainSkip(sshdAvailable, sshdMissingReason, it.skip);

describe.skipIf(!sshdAvailable)('jump hosts through real sshds on loopback', () => {
  let bastion: TestSshd;
  let second: TestSshd;
  let closedBastion: TestSshd;
  let target: TestSshd;
  let dir: string;
  let key: KeyPair;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ks-jump-'));
    key = makeKey(dir, 'id_ed25519', 'ed25519');
    bastion = await startSshd();
    second = await startSshd();
    closedBastion = await startSshd({ allowTcpForwarding: false });
    target = await startSshd();
    for (const s of [bastion, second, closedBastion, target]) await s.authorize('root', key.publicKey);
  });

  afterAll(async () => {
    for (const s of [bastion, second, closedBastion, target]) await s?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  const auth = () => ({ kind: 'key' as const, keyPath: key.privatePath, hasPassphrase: false });
  const node = (jump: Jump) => host({ id: 'node', address: '127.0.0.1', port: target.port, auth: auth(), jump });

  it('reaches a host through another host of the cluster, checking both host keys', async () => {
    const h = await makePool([
      host({ id: 'bastion', address: '127.0.0.1', port: bastion.port, auth: auth() }),
      node({ kind: 'host', hostId: 'bastion' }),
    ]);
    try {
      expect((await h.pool.exec('node', 'echo via-bastion')).stdout).toBe('via-bastion\n');
      expect(h.questions.map((q) => [q.port, q.fingerprintSha256])).toEqual([
        [bastion.port, bastion.fingerprint()],
        [target.port, target.fingerprint()],
      ]);
      // The bastion's own connection is shared with the tunnel.
      expect((await h.pool.exec('bastion', 'echo direct')).stdout).toBe('direct\n');
      expect(h.pool.size).toBe(2);
    } finally {
      await h.close();
    }
  });

  it('follows a ProxyJump-style spec over two hops', async () => {
    const h = await makePool([node({ kind: 'spec', spec: `root@127.0.0.1:${bastion.port},root@127.0.0.1:${second.port}` })]);
    try {
      expect((await h.pool.exec('node', 'echo two-hops')).stdout).toBe('two-hops\n');
      expect(h.questions.map((q) => q.port)).toEqual([bastion.port, second.port, target.port]);
      expect(h.pool.size).toBe(3);
    } finally {
      await h.close();
    }
  });

  it('really goes through the jump host: one that forbids forwarding stops it', async () => {
    const h = await makePool([node({ kind: 'spec', spec: `root@127.0.0.1:${closedBastion.port}` })]);
    try {
      await expect(h.pool.exec('node', 'true')).rejects.toMatchObject({
        name: 'JumpRefused',
        hint: expect.stringContaining('AllowTcpForwarding'),
      });
    } finally {
      await h.close();
    }
  });

  it('refuses jump hosts that lead in a circle', async () => {
    const h = await makePool([
      host({ id: 'a', address: '127.0.0.1', port: bastion.port, auth: auth(), jump: { kind: 'host', hostId: 'b' } }),
      host({ id: 'b', address: '127.0.0.1', port: second.port, auth: auth(), jump: { kind: 'host', hostId: 'a' } }),
    ]);
    try {
      await expect(h.pool.exec('a', 'true')).rejects.toMatchObject({ name: 'JumpLoop' });
    } finally {
      await h.close();
    }
  });
});
