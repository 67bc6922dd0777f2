import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sumsKey } from '../engine/file-step';
import { tempBeside } from '../engine/write-batch';
import { fetchBatchCommand, relayFetchConfig, stagedBatchCommand, type BatchFetch } from './fetch-batch';
import { fetchFromRelayCommand, installStagedCommand, RELAY_HEADER } from './relay-commands';

const SECRET = 'c'.repeat(64);
const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

/** A relay stand-in on loopback: serves /files/<sha256> from a map, only with the run's secret. */
const served = new Map<string, Buffer>();
let server: Server;
let port: number;
beforeAll(async () => {
  server = createServer((req, res) => {
    const body = served.get((req.url ?? '').replace('/files/', ''));
    if (req.headers[RELAY_HEADER.toLowerCase()] !== SECRET) res.writeHead(403).end();
    else if (!body) res.writeHead(404).end();
    else res.writeHead(200, { 'content-length': body.length }).end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ks-fetch-batch-'));
  mkdirSync(join(dir, 'sums'));
  mkdirSync(join(dir, 'staged'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function runShell(
  shell: string,
  script: string,
  stdin: string,
  strace?: string,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const args = strace ? ['-f', '-qq', '-e', 'trace=clone,clone3,fork,vfork', '-o', strace, shell, '-c', script] : ['-c', script];
  const child = spawn(strace ? 'strace' : shell, args);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  child.stdin.end(stdin);
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

/** Files to fetch: targets under the test folder (one folder made by the batch), each served by its SHA-256. */
function files(contents: Buffer[], modes: string[]): BatchFetch[] {
  return contents.map((body, i) => {
    const path = join(dir, i % 2 ? 'bin' : 'new/folder', `file ${i}'s`);
    served.set(sha(body), body);
    return { path, sha256: sha(body), mode: modes[i % modes.length]!, temp: tempBeside(path, 'abcdef012345') };
  });
}
const config = (fs: BatchFetch[]) => relayFetchConfig({ relayAddress: '127.0.0.1', port, secret: SECRET, files: fs });
/** Processes a traced script started (runShell's strace file). */
const forks = (trace: string): number =>
  readFileSync(trace, 'utf8')
    .split('\n')
    .filter((l) => /clone|fork/.test(l)).length;

/** Each file in place with its bytes and mode, and the record fileStates reads: size, inode, mtime, then the SHA-256. */
function expectInstalled(fs: BatchFetch[], bodies: Buffer[]): void {
  for (const [i, f] of fs.entries()) {
    expect(readFileSync(f.path).equals(bodies[i]!)).toBe(true);
    const st = statSync(f.path);
    expect((st.mode & 0o7777).toString(8).padStart(4, '0')).toBe(f.mode);
    const [meta, sum] = readFileSync(sumsKey(f.path, join(dir, 'sums')), 'utf8')
      .trim()
      .split(' ');
    expect(sum).toBe(f.sha256);
    expect(meta?.split(':').slice(0, 2)).toEqual([String(st.size), String(st.ino)]);
  }
}
/** Six small executables to count processes with. */
function sixFiles(): { fs: BatchFetch[]; bodies: Buffer[] } {
  const bodies = [1, 2, 3, 4, 5, 6].map((n) => Buffer.alloc(n * 1000, n));
  return { fs: files(bodies, ['0755']), bodies };
}
const leftovers = (): string[] =>
  [join(dir, 'bin'), join(dir, 'new/folder')].flatMap((d) => {
    try {
      return readdirSync(d).filter((n) => n.endsWith('.tmp'));
    } catch {
      return [];
    }
  });

describe('fetchBatchCommand (a real curl against a relay stand-in on loopback)', () => {
  it.each(['dash', 'bash'])('%s: installs every file with its mode, records its SHA-256 and says so per file', async (shell) => {
    mkdirSync(join(dir, 'bin'));
    const bodies = [Buffer.from('#!/bin/sh\necho one\n'), Buffer.alloc(3 * 1024 * 1024, 7), Buffer.from('no newline at the end')];
    const fs = files(bodies, ['0755', '0644', '0600']);
    const r = await runShell(shell, fetchBatchCommand(fs, join(dir, 'sums')).command, config(fs));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n')).toEqual(['ks-wrote 0', 'ks-wrote 1', 'ks-wrote 2']);
    expectInstalled(fs, bodies);
    expect(leftovers()).toEqual([]);
  });

  it('installs nothing and leaves no temp file when one file arrives with other bytes', async () => {
    const fs = files([Buffer.from('first'), Buffer.from('second'), Buffer.from('third')], ['0644']);
    served.set(fs[1]!.sha256, Buffer.from('not the second'));
    const r = await runShell('dash', fetchBatchCommand(fs, join(dir, 'sums')).command, config(fs));
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(`${fs[1]!.path}: the file arrived damaged`);
    expect(r.stdout).not.toContain('ks-wrote');
    for (const f of fs) expect(() => statSync(f.path)).toThrow();
    expect(leftovers()).toEqual([]);
  });

  it('stops at the first failed transfer (curl would otherwise let the last one decide its exit code)', async () => {
    const fs = files([Buffer.from('first'), Buffer.from('second')], ['0644']);
    served.delete(fs[0]!.sha256);
    const r = await runShell('bash', fetchBatchCommand(fs, join(dir, 'sums')).command, config(fs));
    expect(r.code).toBe(22);
    expect(r.stdout).toBe('');
    for (const f of fs) expect(() => statSync(f.path)).toThrow();
    expect(leftovers()).toEqual([]);
  });

  it('starts one curl and one hasher for all files: 6 files cost fewer than a third of the processes of 6 fetches', async () => {
    const { fs } = sixFiles();
    const batch = await runShell('dash', fetchBatchCommand(fs, join(dir, 'sums')).command, config(fs), join(dir, 'batch.trace'));
    expect(batch.code).toBe(0);
    let single = 0;
    for (const [i, f] of fs.entries()) {
      const one = fetchFromRelayCommand({ relayAddress: '127.0.0.1', port, sha256: f.sha256, path: `${f.path}.one`, mode: f.mode });
      const r = await runShell('dash', one.command, `${RELAY_HEADER}: ${SECRET}\n`, join(dir, `one${i}.trace`));
      expect(r.code).toBe(0);
      single += forks(join(dir, `one${i}.trace`));
    }
    // Per file: one mv; for the batch: curl, a chmod per mode (one here), the hasher and stat (and mkdir for the new
    // folders). Before the records were found by parameter expansion, stat's reader was one more.
    expect(forks(join(dir, 'batch.trace'))).toBeLessThanOrEqual(fs.length + 5);
    expect(forks(join(dir, 'batch.trace')) * 3).toBeLessThan(single);
  });

  it('refuses values that would break out of the curl config or the temp name', () => {
    const f = { path: '/usr/local/bin/kubelet', sha256: 'a'.repeat(64), mode: '0755', temp: '/usr/local/bin/.kubelet.ks-abc.tmp' };
    expect(() =>
      relayFetchConfig({ relayAddress: '127.0.0.1', port: 4000, secret: SECRET, files: [{ ...f, temp: '/x\nurl = "http://evil"' }] }),
    ).toThrow(/curl config/);
    expect(() => relayFetchConfig({ relayAddress: 'evil.example', port: 4000, secret: SECRET, files: [f] })).toThrow(/not an IP address/);
    expect(() => relayFetchConfig({ relayAddress: '127.0.0.1', port: 4000, secret: 'x"', files: [f] })).toThrow(/hex/);
    expect(() => tempBeside('relative/path', 'abcdef012345')).toThrow(/temp file/);
    expect(
      relayFetchConfig({ relayAddress: '127.0.0.1', port: 4000, secret: SECRET, files: [{ ...f, temp: '/a "quoted" \\ name' }] }),
    ).toContain('output = "/a \\"quoted\\" \\\\ name"');
  });
});

describe('stagedBatchCommand (the relay host installing its own staged copies in one command)', () => {
  /** Stages each file as the relay does (files/<sha256>), with `other` bytes in place of the file at that index. */
  const stage = (fs: BatchFetch[], bodies: Buffer[], other?: { index: number; bytes?: Buffer }): void => {
    for (const [i, f] of fs.entries()) {
      if (other?.index === i && !other.bytes) continue;
      writeFileSync(join(dir, 'staged', f.sha256), other?.index === i ? other.bytes! : bodies[i]!);
    }
  };
  const staged = (fs: BatchFetch[]) => stagedBatchCommand(fs, join(dir, 'sums'), join(dir, 'staged')).command;

  it.each(['dash', 'bash'])('%s: installs every file with its mode, records its SHA-256 and leaves the staged copies', async (shell) => {
    const bodies = [Buffer.from('#!/bin/sh\necho one\n'), Buffer.alloc(3 * 1024 * 1024, 7), Buffer.from('no newline at the end')];
    const fs = files(bodies, ['0755', '0644', '0600']);
    stage(fs, bodies);
    const r = await runShell(shell, staged(fs), '');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n')).toEqual(['ks-wrote 0', 'ks-wrote 1', 'ks-wrote 2']);
    expectInstalled(fs, bodies);
    for (const [i, f] of fs.entries()) expect(readFileSync(join(dir, 'staged', f.sha256)).equals(bodies[i]!)).toBe(true);
    expect(leftovers()).toEqual([]);
  });

  it('installs nothing when a staged copy holds other bytes, or is missing', async () => {
    const bodies = [Buffer.from('first'), Buffer.from('second'), Buffer.from('third')];
    const fs = files(bodies, ['0644']);
    stage(fs, bodies, { index: 1, bytes: Buffer.from('not the second') });
    const damaged = await runShell('dash', staged(fs), '');
    expect(damaged.code).toBe(3);
    expect(damaged.stderr).toContain(`${fs[1]!.path}: the file arrived damaged`);
    rmSync(join(dir, 'staged', fs[2]!.sha256));
    const missing = await runShell('bash', staged(fs), '');
    expect(missing.code).not.toBe(0);
    for (const r of [damaged, missing]) expect(r.stdout).not.toContain('ks-wrote');
    for (const f of fs) expect(() => statSync(f.path)).toThrow();
    expect(leftovers()).toEqual([]);
  });

  it('refuses a staged name that is not a SHA-256', () => {
    const f = { path: '/usr/local/bin/kubelet', sha256: '../../etc/shadow', mode: '0755', temp: '/usr/local/bin/.kubelet.ks-abc.tmp' };
    expect(() => stagedBatchCommand([f])).toThrow(/not a SHA-256/);
  });

  it('starts a cat and a mv per file and one hasher for all: 6 files cost under two thirds of the processes of 6 installs, in one command', async () => {
    const { fs, bodies } = sixFiles();
    stage(fs, bodies);
    const batch = await runShell('dash', staged(fs), '', join(dir, 'batch.trace'));
    expect(batch.code).toBe(0);
    let single = 0;
    for (const [i, f] of fs.entries()) {
      // One install as the relay host ran them before, from the same staged copy (its path the relay's own).
      const one = installStagedCommand({ sha256: f.sha256, path: `${f.path}.one`, mode: f.mode }).command.replace(
        /< \S+$/,
        `< ${join(dir, 'staged', f.sha256)}`,
      );
      const r = await runShell('dash', one, '', join(dir, `one${i}.trace`));
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      single += forks(join(dir, `one${i}.trace`));
    }
    // Per file: a cat and a mv; for the batch: the copying subshell, a chmod per mode, the hasher and stat (and mkdir).
    expect(forks(join(dir, 'batch.trace'))).toBeLessThanOrEqual(2 * fs.length + 4);
    expect(forks(join(dir, 'batch.trace')) * 3).toBeLessThan(single * 2);
  });
});
