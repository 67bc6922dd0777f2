import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { host, makeKey, makePool, type KeyPair, type PoolHarness } from './fixtures/harness';
import { explainSkip, sshdAvailable, sshdMissingReason, startSshd, type TestSshd } from './fixtures/sshd';
import { canCreateUsers, createUser, type TestUser } from './fixtures/users';

explainSkip(sshdAvailable, sshdMissingReason, it.skip);

function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

describe.skipIf(!sshdAvailable)('SFTP upload against a real sshd', () => {
  let sshd: TestSshd;
  let dir: string;
  let remoteDir: string;
  let key: KeyPair;
  let h: PoolHarness;
  let user: TestUser | undefined;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ks-upload-'));
    // The "remote" side is this machine too; a separate folder keeps the two apart.
    remoteDir = await mkdtemp(join(tmpdir(), 'ks-upload-remote-'));
    sshd = await startSshd();
    key = makeKey(dir, 'id_ed25519', 'ed25519');
    await sshd.authorize('root', key.publicKey);
    if (canCreateUsers) {
      user = createUser({ sudo: 'password' });
      await sshd.authorize(user.name, key.publicKey);
    }
    const auth = { kind: 'key' as const, keyPath: key.privatePath, hasPassphrase: false };
    h = await makePool([
      host({ id: 'root', address: '127.0.0.1', port: sshd.port, auth }),
      host({ id: 'user', address: '127.0.0.1', port: sshd.port, user: user?.name ?? 'nobody', sudo: 'password', auth }),
    ]);
    h.secrets.sudo = user?.password;
  });

  afterAll(async () => {
    await h?.close();
    await sshd?.stop();
    user?.remove();
    await rm(dir, { recursive: true, force: true });
    await rm(remoteDir, { recursive: true, force: true });
  });

  async function localFile(name: string, bytes: number): Promise<{ path: string; data: Buffer }> {
    const data = randomBytes(bytes);
    const path = join(dir, name);
    await writeFile(path, data);
    return { path, data };
  }

  const listing = (folder: string): string[] => execFileSync('ls', ['-A', folder]).toString().split('\n').filter(Boolean);
  const statOf = (path: string): string => execFileSync('stat', ['-c', '%a %U %G %i', path]).toString().trim();

  it('uploads with the requested mode, then transfers nothing when the content is the same', async () => {
    const { path, data } = await localFile('blob', 3 * 1024 * 1024 + 17);
    const target = join(remoteDir, 'blob.bin');
    const progress: number[] = [];
    const first = await h.pool.upload('root', path, target, { mode: 0o640, onProgress: (sent) => progress.push(sent) });
    expect(first).toEqual({ transferred: data.length, skipped: false, sha256: sha256(data) });
    expect(progress.at(-1)).toBe(data.length);
    expect(sha256(await readFile(target))).toBe(sha256(data));
    expect(statOf(target)).toMatch(/^640 root root /);

    const again = await h.pool.upload('root', path, target, { mode: 0o640 });
    expect(again).toEqual({ transferred: 0, skipped: true, sha256: sha256(data) });

    // Same content, other mode: fixed in place, still nothing sent.
    expect(await h.pool.upload('root', path, target, { mode: 0o600 })).toMatchObject({ transferred: 0, skipped: true });
    expect(statOf(target)).toMatch(/^600 /);
    expect(listing(remoteDir)).toEqual(['blob.bin']);
  });

  it('replaces a file atomically: a reader sees the old or the new content, never a mix', async () => {
    const target = join(remoteDir, 'swap.bin');
    const oldFile = await localFile('old', 2 * 1024 * 1024);
    const newFile = await localFile('new', 2 * 1024 * 1024);
    await h.pool.upload('root', oldFile.path, target);
    const inodeBefore = statOf(target).split(' ')[3];

    const reader = h.pool.exec('root', `for i in $(seq 1 200); do sha256sum ${target} | cut -c1-64; done`);
    await new Promise((r) => setTimeout(r, 50));
    expect((await h.pool.upload('root', newFile.path, target)).skipped).toBe(false);
    const seen = new Set((await reader).stdout.split('\n').filter(Boolean));
    for (const hash of seen) expect([sha256(oldFile.data), sha256(newFile.data)]).toContain(hash);
    expect(statOf(target).split(' ')[3]).not.toBe(inodeBefore);
    expect(listing(remoteDir)).not.toContainEqual(expect.stringMatching(/\.tmp$/));
  });

  it('cancels through its AbortSignal and leaves nothing behind', async () => {
    const { path } = await localFile('cancelled', 16 * 1024 * 1024);
    const target = join(remoteDir, 'cancelled.bin');
    const ctl = new AbortController();
    const upload = h.pool.upload('root', path, target, { signal: ctl.signal, onProgress: () => ctl.abort() });
    await expect(upload).rejects.toMatchObject({ name: 'CommandCancelled' });
    expect(listing(remoteDir)).not.toContainEqual(expect.stringMatching(/cancelled/));
  });

  it('explains a missing folder and a folder given as the target', async () => {
    const { path } = await localFile('small', 10);
    await expect(h.pool.upload('root', path, join(remoteDir, 'no-such-dir', 'f'))).rejects.toMatchObject({ name: 'NoSuchPath' });
    await expect(h.pool.upload('root', path, remoteDir)).rejects.toMatchObject({ name: 'InvalidPath' });
  });

  it('leaves nothing half-written when the disk fills up', async () => {
    const small = join(remoteDir, 'tiny-fs');
    mkdirSync(small);
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', small], { stdio: 'ignore' });
    } catch {
      rmSync(small, { recursive: true, force: true });
      console.warn('skipping the disk-full check: cannot mount a small tmpfs here (needs CAP_SYS_ADMIN)');
      return;
    }
    try {
      const target = join(small, 'config.yaml');
      await writeFile(target, 'old: content\n');
      const { path } = await localFile('too-big', 3 * 1024 * 1024);
      const err = await h.pool.upload('root', path, target).catch((e: unknown) => e);
      expect(err).toMatchObject({ name: 'DiskFull', hint: expect.stringContaining(`df -h ${small}`) });
      expect(await readFile(target, 'utf8')).toBe('old: content\n');
      expect(listing(small)).toEqual(['config.yaml']);
    } finally {
      execFileSync('umount', [small]);
      rmSync(small, { recursive: true, force: true });
    }
  });

  describe.skipIf(!canCreateUsers)('as a non-root user', () => {
    it('is refused without sudo where only root may write', async () => {
      const rootOnly = join(remoteDir, 'root-only-a');
      mkdirSync(rootOnly, { mode: 0o755 });
      const { path } = await localFile('cfg-a', 100);
      await expect(h.pool.upload('user', path, join(rootOnly, 'x.conf'))).rejects.toMatchObject({ name: 'PermissionDenied' });
      expect(listing(rootOnly)).toEqual([]);
    });

    it('installs through sudo with mode and owner, atomically, and skips a re-run', async () => {
      const rootOnly = join(remoteDir, 'root-only-b');
      mkdirSync(rootOnly, { mode: 0o700 });
      const { path, data } = await localFile('cfg-b', 2 * 1024 * 1024);
      const target = join(rootOnly, 'kubelet.conf');
      await writeFile(target, 'previous\n');
      const result = await h.pool.upload('user', path, target, { sudo: true, mode: 0o600, owner: 'root:root' });
      expect(result).toEqual({ transferred: data.length, skipped: false, sha256: sha256(data) });
      expect(sha256(await readFile(target))).toBe(sha256(data));
      expect(statOf(target)).toMatch(/^600 root root /);
      expect(listing(rootOnly)).toEqual(['kubelet.conf']);
      expect(listing(user?.home ?? '/nonexistent').filter((f) => f.startsWith('.ks-upload'))).toEqual([]);

      expect(await h.pool.upload('user', path, target, { sudo: true, mode: 0o600, owner: 'root:root' })).toMatchObject({
        skipped: true,
        transferred: 0,
      });
    });

    it('sets another owner when uploading as root', async () => {
      const { path } = await localFile('owned', 64);
      const target = join(remoteDir, 'owned.txt');
      await h.pool.upload('root', path, target, { owner: `${user?.name}:${user?.name}`, mode: 0o644 });
      expect(statOf(target)).toMatch(new RegExp(`^644 ${user?.name} ${user?.name} `));
    });
  });
});
