import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sshTransports } from '../../src-main/deploy/ssh-transport';
import type { HostTransport } from '../../src-main/deploy/engine/transport';
import { raw, sh } from '../../src-main/ssh/shell';
import { host, makeKey, makePool, type KeyPair, type PoolHarness } from './fixtures/harness';
import { explainSkip, sshdAvailable, sshdMissingReason, startSshd, type TestSshd } from './fixtures/sshd';
import { canCreateUsers, createUser, type TestUser } from './fixtures/users';

explainSkip(sshdAvailable, sshdMissingReason, it.skip);

const MB = 1024 * 1024;
// Shaped like a deploy's binaries: a few big ones and many small ones. KS_HEAVY_SCALE shrinks or grows them.
const SCALE = Number(process.env.KS_HEAVY_SCALE ?? '1');
const SIZES = [96, 64, 48, 8, 2, 1, 1, 0.5, 0.25, 0.1, 0.05, 0.01].map((m) => Math.max(1, Math.round(m * MB * SCALE)));
const HOSTS = Number(process.env.KS_HEAVY_HOSTS ?? '3');
const PARALLEL = Number(process.env.KS_HEAVY_PARALLEL ?? '4');

async function fileSha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: MB })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Runs `jobs` with at most `limit` in flight, collecting every failure instead of stopping at the first. */
async function runLimited(jobs: Array<() => Promise<void>>, limit: number, failures: string[]): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < jobs.length) {
      const job = jobs[next++]!;
      await job().catch((err: unknown) => {
        failures.push(err instanceof Error ? `${err.name}: ${err.message}` : String(err));
      });
    }
  };
  await Promise.all(Array.from({ length: limit }, worker));
}

describe.skipIf(!sshdAvailable)('heavy traffic on pooled connections', () => {
  let sshd: TestSshd;
  let dir: string;
  let remoteDir: string;
  let key: KeyPair;
  let h: PoolHarness;
  let user: TestUser | undefined;
  const files: Array<{ name: string; path: string; sha256: string }> = [];
  const hostIds: string[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ks-heavy-'));
    remoteDir = await mkdtemp(join(tmpdir(), 'ks-heavy-remote-'));
    sshd = await startSshd();
    key = makeKey(dir, 'id_ed25519', 'ed25519');
    await sshd.authorize('root', key.publicKey);
    if (canCreateUsers) {
      user = createUser({ sudo: 'nopasswd' });
      await sshd.authorize(user.name, key.publicKey);
    }
    const auth = { kind: 'key' as const, keyPath: key.privatePath, hasPassphrase: false };
    const hosts = Array.from({ length: HOSTS }, (_, i) => {
      // Every other host logs in as an ordinary user and goes through sudo, as real clusters do.
      const viaSudo = user !== undefined && i % 2 === 1;
      return host({
        id: `n${i}`,
        address: '127.0.0.1',
        port: sshd.port,
        ...(viaSudo ? { user: user!.name, sudo: 'passwordless' as const } : {}),
        auth,
      });
    });
    hostIds.push(...hosts.map((x) => x.id));
    h = await makePool(hosts);
    for (const [i, size] of SIZES.entries()) {
      // Random-ish but cheap: one random block repeated with a per-file twist, so every file differs.
      const block = randomBytes(MB);
      const data = Buffer.alloc(size);
      for (let off = 0; off < size; off += block.length) block.copy(data, off, 0, Math.min(block.length, size - off));
      data.writeUInt32BE(i, 0);
      const name = `bin-${i}`;
      const path = join(dir, name);
      await writeFile(path, data);
      files.push({ name, path, sha256: createHash('sha256').update(data).digest('hex') });
    }
  });

  afterAll(async () => {
    await h?.close();
    await sshd?.stop();
    user?.remove();
    await rm(dir, { recursive: true, force: true });
    await rm(remoteDir, { recursive: true, force: true });
  });

  // Fast commands' exit status often arrives in the same socket read as the reply that opens their channel
  // (always for a non-root login here; for root once the event loop stalls, as it does while big files are
  // hashed and encrypted). ssh2 emits 'exit' at once, before the awaiting caller could listen.
  it('gets the exit status of fast commands, also while the event loop stalls', async () => {
    const failures: string[] = [];
    const stall = setInterval(() => {
      const until = Date.now() + 150;
      while (Date.now() < until);
    }, 50);
    try {
      const jobs = hostIds.flatMap((id) =>
        Array.from({ length: 20 }, (_, i) => async (): Promise<void> => {
          const r = await h.pool.exec(id, `echo ${i}; exit ${i % 3}`, { sudo: i % 2 === 0 });
          if (r.code !== i % 3 || r.stdout !== `${i}\n`) failures.push(`${id}: ${JSON.stringify(r)}`);
        }),
      );
      await runLimited(jobs, 6, failures);
    } finally {
      clearInterval(stall);
    }
    expect(failures).toEqual([]);
  });

  it('uploads over SFTP and over exec stdin, with small commands in between, on several hosts at once without losing a command', async () => {
    const failures: string[] = [];
    const viaExec = sshTransports(h.pool);
    const viaSftp = sshTransports(h.pool, async () => undefined, { sftp: true });
    const started = Date.now();
    let smallExecs = 0;

    await Promise.all(
      hostIds.map(async (id) => {
        const hostRecord = h.hosts.get(id)!;
        const exec = viaExec.forHost(hostRecord);
        const sftp = viaSftp.forHost(hostRecord);
        const target = (how: string, name: string): string => join(remoteDir, id, how, name);
        await exec.exec(sh`mkdir -p ${join(remoteDir, id, 'exec')} ${join(remoteDir, id, 'sftp')}`.command);

        let uploading = true;
        const chatter = (async () => {
          while (uploading) {
            try {
              const r = await exec.exec(raw('echo ok; uname -r >/dev/null').command);
              if (r.code !== 0 || r.stdout !== 'ok\n') failures.push(`small exec on ${id}: ${r.code} ${r.stdout}`);
              smallExecs++;
            } catch (err) {
              failures.push(`small exec on ${id}: ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`);
            }
          }
        })();

        const upload = (t: HostTransport, how: string, f: (typeof files)[number]) => async (): Promise<void> => {
          const r = await t.upload(f.path, target(how, f.name), { mode: 0o755 });
          expect(r.skipped).toBe(false);
        };
        // Interleave the two kinds so both are in flight on the connection together.
        const jobs = files.flatMap((f) => [upload(exec, 'exec', f), upload(sftp, 'sftp', f)]);
        await runLimited(jobs, PARALLEL, failures);
        uploading = false;
        await chatter;
      }),
    );

    console.log(
      `heavy traffic: ${HOSTS} hosts x ${files.length} files x 2 ways (${Math.round((SIZES.reduce((a, b) => a + b, 0) * HOSTS * 2) / MB)} MiB) and ${smallExecs} small commands in ${Date.now() - started} ms; ${failures.length} failures`,
    );
    expect(failures).toEqual([]);
    for (const id of hostIds) {
      for (const how of ['exec', 'sftp']) {
        for (const f of files) expect(await fileSha256(join(remoteDir, id, how, f.name))).toBe(f.sha256);
      }
    }
  });
});
