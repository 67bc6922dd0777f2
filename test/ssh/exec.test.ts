import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { host, makeKey, makePool, type KeyPair, type PoolHarness } from './fixtures/harness';
import { explainSkip, sshdAvailable, sshdMissingReason, startSshd, type TestSshd } from './fixtures/sshd';

explainSkip(sshdAvailable, sshdMissingReason, it.skip);

describe.skipIf(!sshdAvailable)('exec against a real sshd', () => {
  let sshd: TestSshd;
  let dir: string;
  let key: KeyPair;
  let h: PoolHarness;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ks-exec-'));
    sshd = await startSshd({ maxSessions: 3 });
    key = makeKey(dir, 'id_ed25519', 'ed25519');
    await sshd.authorize('root', key.publicKey);
    h = await makePool([
      host({ id: 'n1', address: '127.0.0.1', port: sshd.port, auth: { kind: 'key', keyPath: key.privatePath, hasPassphrase: false } }),
    ]);
  });

  afterAll(async () => {
    await h?.close();
    await sshd?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  /** Whether a process whose command line contains `marker` is still running on the host. */
  async function stillRunning(marker: string): Promise<boolean> {
    // The [x] trick keeps pgrep from matching its own command line.
    const pattern = `[${marker[0]}]${marker.slice(1)}`;
    return (await h.pool.exec('n1', `pgrep -f '${pattern}'`)).code === 0;
  }

  it("sends every packet at once (TCP_NODELAY): a command does not wait on the server's delayed ACK", async () => {
    const asked = vi.spyOn(Socket.prototype, 'setNoDelay');
    const fresh = await makePool([
      host({ id: 'n2', address: '127.0.0.1', port: sshd.port, auth: { kind: 'key', keyPath: key.privatePath, hasPassphrase: false } }),
    ]);
    try {
      expect((await fresh.pool.exec('n2', 'echo ok')).stdout).toBe('ok\n');
      expect(asked).toHaveBeenCalledWith(true);
      expect(asked).not.toHaveBeenCalledWith(false);
    } finally {
      asked.mockRestore();
      await fresh.close();
    }
  });

  it('returns exit code, stdout and stderr; a non-zero exit is a result, not an error', async () => {
    const result = await h.pool.exec('n1', 'echo out; echo err >&2; exit 3');
    expect(result).toEqual({ code: 3, signal: null, stdout: 'out\n', stderr: 'err\n', truncated: false });
  });

  it('streams output while the command runs', async () => {
    const seen: Array<{ text: string; at: number }> = [];
    const started = Date.now();
    const result = await h.pool.exec('n1', 'echo first; sleep 1; echo second', {
      onStdout: (chunk) => seen.push({ text: chunk.toString(), at: Date.now() - started }),
    });
    expect(result.stdout).toBe('first\nsecond\n');
    const first = seen.find((s) => s.text.includes('first'));
    const second = seen.find((s) => s.text.includes('second'));
    expect(second!.at - first!.at).toBeGreaterThan(700);
  });

  it('feeds stdin and closes it', async () => {
    expect((await h.pool.exec('n1', 'cat; echo end', { stdin: 'from stdin\n' })).stdout).toBe('from stdin\nend\n');
    expect((await h.pool.exec('n1', 'cat; echo end')).stdout).toBe('end\n');
  });

  it('feeds a stream on stdin chunk by chunk as the channel takes it, and closes it at the end', async () => {
    const chunk = Buffer.alloc(256 * 1024, 0x61);
    let pulled = 0;
    async function* chunks(): AsyncGenerator<Uint8Array> {
      for (let i = 0; i < 40; i++) {
        pulled++;
        yield chunk;
      }
    }
    const result = await h.pool.exec('n1', 'wc -c; echo end', { stdin: chunks() });
    expect(result.stdout).toBe(`${40 * chunk.length}\nend\n`);
    expect(pulled).toBe(40);
  });

  it('stops reading a stream on stdin once the command ended', async () => {
    let pulled = 0;
    async function* endless(): AsyncGenerator<Uint8Array> {
      for (;;) {
        pulled++;
        yield Buffer.alloc(64 * 1024);
      }
    }
    const result = await h.pool.exec('n1', 'head -c 100000 >/dev/null; echo read', { stdin: endless() });
    expect(result.stdout).toBe('read\n');
    const after = pulled;
    await new Promise((r) => setTimeout(r, 300));
    expect(pulled).toBe(after);
  });

  it('keeps only the end of huge output, but streams all of it', async () => {
    let streamed = 0;
    const result = await h.pool.exec('n1', 'head -c 5000000 /dev/zero | tr "\\0" a; echo; echo THE-END', {
      maxBufferBytes: 64 * 1024,
      onStdout: (c) => (streamed += c.length),
    });
    expect(streamed).toBe(5_000_000 + 1 + 8);
    expect(result.truncated).toBe(true);
    expect(result.stdout.length).toBe(64 * 1024);
    expect(result.stdout.endsWith('\nTHE-END\n')).toBe(true);
  });

  it('stops a command at its timeout and kills it on the host', async () => {
    const marker = `ks-timeout-${Date.now()}`;
    const started = Date.now();
    await expect(h.pool.exec('n1', `sleep 60; echo ${marker}`, { timeoutMs: 500, label: 'a long sleep' })).rejects.toMatchObject({
      name: 'CommandTimedOut',
      message: expect.stringContaining('"a long sleep"'),
    });
    // The timeout ended it, not the command (60 s): a loaded machine may add seconds, never thirty.
    expect(Date.now() - started).toBeLessThan(30_000);
    await new Promise((r) => setTimeout(r, 500));
    expect(await stillRunning(marker)).toBe(false);
  });

  it('cancels a running command through its AbortSignal and kills it on the host', async () => {
    const marker = `ks-cancel-${Date.now()}`;
    const ctl = new AbortController();
    const running = h.pool.exec('n1', `sh -c 'sleep 60; echo ${marker}'`, { signal: ctl.signal });
    await new Promise((r) => setTimeout(r, 500));
    expect(await stillRunning(marker)).toBe(true);
    ctl.abort();
    await expect(running).rejects.toMatchObject({ name: 'CommandCancelled' });
    await new Promise((r) => setTimeout(r, 500));
    expect(await stillRunning(marker)).toBe(false);
  });

  it('queues commands beyond the server MaxSessions instead of failing', async () => {
    // sshd allows 3 sessions per connection here; the pool assumes 10 until told otherwise.
    const started = Date.now();
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => h.pool.exec('n1', `sleep 0.3; echo ${i}`)));
    expect(results.map((r) => r.stdout)).toEqual(Array.from({ length: 12 }, (_, i) => `${i}\n`));
    // 12 commands, 3 at a time, 0.3 s each: at least 4 rounds.
    expect(Date.now() - started).toBeGreaterThan(1100);
    expect(h.pool.size).toBe(1);
  });

  it('reconnects with backoff after the host went away and came back', async () => {
    const r = await makePool(
      [host({ id: 'n1', address: '127.0.0.1', port: sshd.port, auth: { kind: 'key', keyPath: key.privatePath, hasPassphrase: false } })],
      {
        reconnect: { retries: 8, initialDelayMs: 100, maxDelayMs: 800 },
      },
    );
    try {
      await r.pool.exec('n1', 'true');
      sshd.dropConnections();
      await sshd.halt();
      const started = Date.now();
      const pending = r.pool.exec('n1', 'echo back');
      await new Promise((res) => setTimeout(res, 700));
      await sshd.resume();
      expect((await pending).stdout).toBe('back\n');
      expect(Date.now() - started).toBeGreaterThan(600);
    } finally {
      await r.close();
    }
  });

  it('tells how long a command waited for its connection, then for a channel while the others held them all', async () => {
    const r = await makePool([
      host({ id: 'n1', address: '127.0.0.1', port: sshd.port, auth: { kind: 'key', keyPath: key.privatePath, hasPassphrase: false } }),
    ]);
    try {
      const connectWaits: number[] = [];
      const t0 = performance.now();
      await r.pool.exec('n1', 'true', { onWait: (ms) => connectWaits.push(ms) });
      // The first command waited for the login itself: its wait is most of its time.
      expect(connectWaits.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(performance.now() - t0);
      expect(connectWaits.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);

      // The server allows 3 sessions: 3 sleeps hold them all, so a 4th waits until one of them ends.
      const start = performance.now();
      let firstFreed = Infinity;
      const holders = [1, 2, 3].map(() =>
        r.pool.exec('n1', 'sleep 0.5').then(() => (firstFreed = Math.min(firstFreed, performance.now()))),
      );
      await new Promise((res) => setTimeout(res, 100));
      const waits: number[] = [];
      const asked = performance.now();
      await r.pool.exec('n1', 'true', { onWait: (ms) => waits.push(ms) });
      await Promise.all(holders);
      const waited = waits.reduce((a, b) => a + b, 0);
      expect(firstFreed).toBeGreaterThan(start);
      // It cannot have had a channel before one of the sleeps gave its own back.
      expect(waited).toBeGreaterThanOrEqual(firstFreed - asked - 1);
    } finally {
      await r.close();
    }
  });

  it('reports a connection lost mid-command', async () => {
    const running = h.pool.exec('n1', 'sleep 5');
    await new Promise((r) => setTimeout(r, 300));
    sshd.dropConnections();
    await expect(running).rejects.toMatchObject({ name: 'ConnectionLost' });
    expect((await h.pool.exec('n1', 'echo fresh')).stdout).toBe('fresh\n');
  });

  it('closes idle connections after the idle timeout', async () => {
    const r = await makePool(
      [host({ id: 'n1', address: '127.0.0.1', port: sshd.port, auth: { kind: 'key', keyPath: key.privatePath, hasPassphrase: false } })],
      {
        idleTimeoutMs: 300,
      },
    );
    try {
      await r.pool.exec('n1', 'true');
      expect(r.pool.size).toBe(1);
      await new Promise((res) => setTimeout(res, 800));
      expect(r.pool.size).toBe(0);
      expect((await r.pool.exec('n1', 'echo again')).stdout).toBe('again\n');
    } finally {
      await r.close();
    }
  });

  it('shuts everything down on closeAll, and refuses work afterwards', async () => {
    const r = await makePool([
      host({ id: 'n1', address: '127.0.0.1', port: sshd.port, auth: { kind: 'key', keyPath: key.privatePath, hasPassphrase: false } }),
    ]);
    const running = r.pool.exec('n1', 'sleep 5');
    await new Promise((res) => setTimeout(res, 300));
    await r.pool.closeAll();
    await expect(running).rejects.toMatchObject({ name: 'ConnectionLost' });
    await expect(r.pool.exec('n1', 'true')).rejects.toMatchObject({ name: 'PoolClosed' });
    expect(r.pool.size).toBe(0);
    await r.close();
  });
});
