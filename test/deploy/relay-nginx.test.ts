import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchFromRelayCommand, RELAY_HEADER, relayNginxConf } from '../../src-main/deploy/relay/relay-commands';
import { onFreePort } from '../support/free-port';

const nginx = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((p) => existsSync(p));
const killGroup = (child: ChildProcess): void => {
  try {
    process.kill(-child.pid!, 'SIGKILL');
  } catch {
    // already gone
  }
};
const sha = (b: Buffer | string): string => createHash('sha256').update(b).digest('hex');

/** The relay's real nginx config and fetch command, on loopback: what reaches a host, and what is refused. */
describe.skipIf(!nginx)('relay: nginx config and fetch on loopback (real nginx and curl)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ks-relay-'));
  const out = join(dir, 'out');
  const secret = randomBytes(32).toString('hex');
  let port = 0;
  let relay: ChildProcess;
  const servers: ChildProcess[] = [];
  /** nginx serving the relay's config; up once a listener on the port is nginx's own (not some other server's). */
  const start = (relayDir: string, allow: string[], p: number): Promise<ChildProcess> => {
    for (const d of [relayDir, join(relayDir, 'www'), join(relayDir, 'www', 'files'), join(relayDir, 'tmp')]) {
      mkdirSync(d, { recursive: true });
      chmodSync(d, 0o755);
    }
    writeFileSync(join(relayDir, 'nginx.conf'), relayNginxConf({ address: '127.0.0.1', port: p, allow, secret, dir: relayDir }), {
      mode: 0o600,
    });
    const child = spawn(nginx!, ['-e', 'stderr', '-p', relayDir, '-c', join(relayDir, 'nginx.conf')], {
      stdio: ['ignore', 'ignore', 'pipe'],
      // Its own process group: the master and its workers are killed together (a master killed alone leaves them).
      detached: true,
    });
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', () => undefined);
    servers.push(child);
    return new Promise((resolve, reject) => {
      const until = Date.now() + 30_000;
      const poll = (): void => {
        const owners = spawnSync('ss', ['-Hltnp', `sport = :${p}`], { encoding: 'utf8' }).stdout;
        if (owners.includes(`pid=${child.pid},`)) resolve(child);
        else if (child.exitCode !== null || Date.now() > until)
          reject(new Error(`nginx did not start (exit ${child.exitCode}): ${stderr}`));
        else setTimeout(poll, 50);
      };
      poll();
    });
  };
  const fetch = (content: string, path: string, header = `${RELAY_HEADER}: ${secret}\n`, p = port) => {
    const cmd = fetchFromRelayCommand({ relayAddress: '127.0.0.1', port: p, sha256: sha(content), path, mode: '0755' });
    return spawnSync('sh', ['-c', cmd.command], { input: header });
  };
  const stage = (relayDir: string, name: string, bytes: string): void =>
    writeFileSync(join(relayDir, 'www', 'files', name), bytes, { mode: 0o644 });
  const leftovers = (): string[] => (existsSync(out) ? readdirSync(out).filter((f) => f.includes('.ks-')) : []);

  beforeAll(async () => {
    chmodSync(dir, 0o755);
    await onFreePort(async (p) => {
      relay = await start(join(dir, 'relay'), ['127.0.0.1'], p);
      port = p;
    });
  });
  afterAll(() => {
    for (const s of servers) killGroup(s);
    rmSync(dir, { recursive: true, force: true });
  });

  it('a staged file reaches the host with the secret, SHA-256 checked, installed with its mode', () => {
    stage(join(dir, 'relay'), sha('payload one\n'), 'payload one\n');
    const r = fetch('payload one\n', join(out, 'one'));
    expect(r.status, r.stderr.toString()).toBe(0);
    expect(readFileSync(join(out, 'one'), 'utf8')).toBe('payload one\n');
    expect(
      execFileSync('stat', ['-c', '%a', join(out, 'one')])
        .toString()
        .trim(),
    ).toBe('755');
    expect(leftovers()).toEqual([]);
  });

  it('without the secret, or with another, the relay answers 403 and nothing is installed', () => {
    stage(join(dir, 'relay'), sha('payload two\n'), 'payload two\n');
    for (const header of ['', `${RELAY_HEADER}: ${'0'.repeat(64)}\n`]) {
      const r = fetch('payload two\n', join(out, 'two'), header);
      expect(r.status).not.toBe(0);
      expect(r.stderr.toString()).toMatch(/403/);
      expect(existsSync(join(out, 'two'))).toBe(false);
    }
    expect(leftovers()).toEqual([]);
  });

  it('other bytes under the name are refused by the SHA-256 check; the file already in place stays untouched', () => {
    writeFileSync(join(out, 'three'), 'old content\n');
    stage(join(dir, 'relay'), sha('payload three\n'), 'tampered\n');
    const r = fetch('payload three\n', join(out, 'three'));
    expect(r.status).not.toBe(0);
    expect(r.stderr.toString()).toMatch(/SHA-256 differs/);
    expect(readFileSync(join(out, 'three'), 'utf8')).toBe('old content\n');
    expect(leftovers()).toEqual([]);
  });

  it('a client the allow list does not name gets 403', async () => {
    const other = await onFreePort(async (p) => {
      await start(join(dir, 'relay2'), ['127.0.0.2'], p);
      return p;
    });
    stage(join(dir, 'relay2'), sha('payload four\n'), 'payload four\n');
    const r = fetch('payload four\n', join(out, 'four'), undefined, other);
    expect(r.stderr.toString()).toMatch(/403/);
    expect(existsSync(join(out, 'four'))).toBe(false);
  });

  it('a relay that is gone: the fetch fails and nothing is installed', () => {
    stage(join(dir, 'relay'), sha('payload five\n'), 'payload five\n');
    killGroup(relay);
    spawnSync('sleep', ['0.2']);
    const r = fetch('payload five\n', join(out, 'five'));
    expect(r.status).not.toBe(0);
    expect(existsSync(join(out, 'five'))).toBe(false);
    expect(leftovers()).toEqual([]);
  });
});
