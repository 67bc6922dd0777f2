import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProbeResultSchema } from '../../src-shared/model/cluster';
import { probeHost } from '../../src-main/ssh/probe';
import { host, makeKey, makePool, type PoolHarness } from './fixtures/harness';
import { freePort } from '../support/free-port';
import { explainSkip, sshdAvailable, sshdMissingReason, startSshd, type TestSshd } from './fixtures/sshd';

explainSkip(sshdAvailable, sshdMissingReason, it.skip);

describe.skipIf(!sshdAvailable)('probeHost against a real sshd', () => {
  let sshd: TestSshd;
  let dir: string;
  let h: PoolHarness;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ks-probe-'));
    sshd = await startSshd();
    const key = makeKey(dir, 'id_ed25519', 'ed25519');
    await sshd.authorize('root', key.publicKey);
    const auth = { kind: 'key' as const, keyPath: key.privatePath, hasPassphrase: false };
    h = await makePool([
      host({ id: 'n1', address: '127.0.0.1', port: sshd.port, auth }),
      host({ id: 'down', address: '127.0.0.1', port: await freePort(), auth }),
    ]);
  });

  afterAll(async () => {
    await h?.close();
    await sshd?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('reads the facts of the machine it runs on', async () => {
    const result = await probeHost(h.pool, 'n1');
    expect(ProbeResultSchema.parse(result)).toEqual(result);
    const osRelease = readFileSync('/etc/os-release', 'utf8');
    const id = /^ID=(.*)$/m.exec(osRelease)?.[1]?.replace(/"/g, '');
    expect(result.os?.id).toBe(id);
    expect(result.hostname).toBe(hostname());
    expect(result.arch).toBe(execFileSync('uname', ['-m']).toString().trim());
    expect(result.kernel).toBe(execFileSync('uname', ['-r']).toString().trim());
    expect(result.cpus).toBe(Number(execFileSync('nproc').toString().trim()));
    expect(result.cpus).toBeLessThanOrEqual(cpus().length);
    expect(result.memoryBytes).toBeGreaterThan(100 * 1024 * 1024);
    expect(result.diskFreeBytes).toBeGreaterThan(0);
    expect(result.swapBytes).toBeGreaterThanOrEqual(0);
    expect(result.cgroupV2).toBe(execFileSync('stat', ['-fc', '%T', '/sys/fs/cgroup']).toString().trim() === 'cgroup2fs');
    // Same clock on both ends: the host read it between sending and the answer, so the offset lies within the stated
    // error however loaded the machine is (plus the rounding of this computer's millisecond clock).
    expect(result.timeOffsetErrorMs).toBeGreaterThanOrEqual(0);
    expect(Math.abs(result.timeOffsetMs ?? Infinity)).toBeLessThanOrEqual((result.timeOffsetErrorMs ?? 0) + 1.1);
    const supported =
      (id === 'debian' && /VERSION_ID="?(12|13)/.test(osRelease)) || (id === 'ubuntu' && /VERSION_ID="?(22.04|24.04)/.test(osRelease));
    expect(result.ok).toBe(supported);
  });

  it('returns an unreachable host as ok: false with the reason, not an exception', async () => {
    const result = await probeHost(h.pool, 'down');
    expect(result).toMatchObject({ ok: false, error: { name: 'ConnectionRefused', message: expect.stringContaining('refused') } });
  });
});
