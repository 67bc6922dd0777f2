import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ShellSession } from '../../src-main/ssh/shell-session';
import { DEFAULT_HIGH_WATER_MARK } from '../../src-main/ssh/shell-session';
import { host, makeKey, makePool, type PoolHarness } from './fixtures/harness';
import { explainSkip, sshdAvailable, sshdMissingReason, startSshd, type TestSshd } from './fixtures/sshd';

explainSkip(sshdAvailable, sshdMissingReason, it.skip);

/** Collects a session's output and lets a test wait for a pattern in it. */
function recorder(session: ShellSession, autoAck = true) {
  const chunks: Buffer[] = [];
  session.onData((chunk) => {
    chunks.push(chunk);
    if (autoAck) session.ack(chunk.length);
  });
  // Without the control sequences bash adds around a command line (bracketed paste on/off).
  const csi = new RegExp(`${String.fromCharCode(27)}\\[[0-9;?]*[A-Za-z]`, 'g');
  const text = (): string =>
    Buffer.concat(chunks)
      .toString('utf8')
      .replace(csi, '')
      .replace(/\r(?!\n)/g, '');
  return {
    text,
    async waitFor(pattern: RegExp, timeoutMs = 10_000): Promise<RegExpExecArray> {
      const started = Date.now();
      for (;;) {
        const m = pattern.exec(text());
        if (m !== null) return m;
        if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${pattern}; got:\n${text().slice(-2000)}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
  };
}

describe.skipIf(!sshdAvailable)('interactive shells against a real sshd', () => {
  let sshd: TestSshd;
  let dir: string;
  let h: PoolHarness;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ks-shell-'));
    sshd = await startSshd();
    const key = makeKey(dir, 'id_ed25519', 'ed25519');
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

  it('runs a PTY shell that carries UTF-8 and follows resizes', async () => {
    const session = await h.pool.openShell('n1', { cols: 80, rows: 24, term: 'xterm-256color' });
    const out = recorder(session);
    const closed = new Promise<string>((resolve) => session.onClose((reason) => resolve(reason)));

    session.write('echo 你好; tput cols; echo $TERM\n');
    await out.waitFor(/\r\n你好\r\n80\r\nxterm-256color\r\n/);

    session.resize(132, 40);
    session.write('tput cols; stty size\n');
    await out.waitFor(/\r\n132\r\n40 132\r\n/);

    session.write('exit 0\n');
    expect(await closed).toBe('The shell exited with code 0.');
  });

  it('holds output back while the consumer is behind, and stays within the high-water mark', async () => {
    const session = await h.pool.openShell('n1', { cols: 120, rows: 40 });
    const out = recorder(session, false);
    let maxUnacked = 0;
    let maxHeld = 0;
    let pauses = 0;
    let wasPaused = false;
    session.onData(() => {
      maxUnacked = Math.max(maxUnacked, session.unacknowledgedBytes);
    });
    // A slow renderer: 32 KiB drawn every 20 ms, about 1.6 MB/s. It samples whether output is held back.
    const acker = setInterval(() => {
      maxHeld = Math.max(maxHeld, session.heldBytes);
      if (session.paused && !wasPaused) pauses++;
      wasPaused = session.paused;
      session.ack(Math.min(32 * 1024, session.unacknowledgedBytes));
    }, 20);
    try {
      // The quotes split the marker so the echoed command line does not match it.
      session.write('seq 1 200000; echo __DO""NE__\n');
      await out.waitFor(/\r\n200000\r\n__DONE__\r\n/, 60_000);
    } finally {
      clearInterval(acker);
    }
    const lines = out.text().split('\r\n');
    expect(lines.filter((l) => /^\d+$/.test(l))).toHaveLength(200_000);
    expect(pauses).toBeGreaterThan(0);
    // One SSH packet (32 KiB) can land on top of the mark before the pause takes effect.
    expect(maxUnacked).toBeLessThanOrEqual(DEFAULT_HIGH_WATER_MARK + 32 * 1024);
    // What the host sent beyond that waits in ssh2's channel, which stops granting window at 2 MiB.
    expect(maxHeld).toBeLessThanOrEqual(2 * 1024 * 1024 + 32 * 1024);
    console.log(`flow control: seen paused ${pauses} time(s) when sampled, at most ${maxUnacked} bytes unacknowledged and ${maxHeld} held`);
    session.close();
  });

  it('closes a shell whose output is held back, without waiting for the consumer', async () => {
    const session = await h.pool.openShell('n1', { cols: 80, rows: 24 });
    recorder(session, false);
    const closed = new Promise<string>((resolve) => session.onClose((reason) => resolve(reason)));
    session.write('seq 1 1000000\n');
    for (let i = 0; i < 200 && !session.paused; i++) await new Promise((r) => setTimeout(r, 25));
    expect(session.paused).toBe(true);
    session.close();
    await expect(closed).resolves.toBeTypeOf('string');
  });

  it('reports a shell cut off by a lost connection', async () => {
    const session = await h.pool.openShell('n1', { cols: 80, rows: 24 });
    recorder(session);
    const closed = new Promise<string>((resolve) => session.onClose((reason) => resolve(reason)));
    sshd.dropConnections();
    expect(await closed).toMatch(/connection to n1 .* was lost/);
  });
});
