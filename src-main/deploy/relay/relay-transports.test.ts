import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Host } from '../../../src-shared/model/cluster';
import type { PlanTransfer } from '../../../src-shared/model/plan';
import type { RemoteResult, TransportProvider } from '../engine/transport';
import { RELAY_FILES } from './relay-commands';
import { relayTransports } from './relay-transports';

const hosts = [1, 2, 3].map((i) => ({ id: `h${i}`, name: `node${i}`, address: `10.0.0.${i}` }) as Host);
const transfer: PlanTransfer = {
  relay: { hostId: 'h1', hostName: 'node1' },
  routes: hosts.map((h, i) => ({ hostId: h.id, hostName: h.name, via: i === 0 ? 'direct' : 'relay', files: 2, bytes: 10 })),
};
const dir = mkdtempSync(join(tmpdir(), 'ks-relay-unit-'));
const fileA = join(dir, 'a');
const fileB = join(dir, 'b');
writeFileSync(fileA, 'aaaa');
writeFileSync(fileB, 'bbbbbb');

type Answer = (host: string, command: string) => Partial<RemoteResult> | undefined;

/** Hosts that answer the relay's commands as told, recording every command and upload (a scripted stand-in for SSH). */
function scripted(answer: Answer = () => undefined) {
  const calls: string[] = [];
  const stdins: string[] = [];
  const provider: TransportProvider = {
    forHost: (host) => ({
      exec: async (command, o = {}) => {
        const kind = command.includes('systemd-run')
          ? 'start'
          : command.includes(' -K -')
            ? 'batch'
            : command.includes('ks-wrote') && command.includes(`< ${RELAY_FILES}/`)
              ? 'staged batch'
              : command.includes('curl -fsS')
                ? 'fetch'
                : command.includes(`< ${RELAY_FILES}/`)
                  ? 'staged'
                  : command.includes('rm -rf /var/lib/kubesmith/relay')
                    ? 'stop'
                    : command.includes('sha256sum') && command.startsWith('if [ -f')
                      ? 'state'
                      : 'other';
        calls.push(`${host.name} ${kind}${o.stdin && kind === 'fetch' ? ' (secret on stdin)' : ''}`);
        if (kind === 'batch') stdins.push(Buffer.from(o.stdin as Uint8Array).toString());
        if (kind === 'staged batch' && o.stdin !== undefined) calls.push(`${host.name} staged batch given stdin`);
        return { code: 0, stdout: '', stderr: '', ...answer(host.name, kind) };
      },
      upload: async (localPath, remotePath) => {
        calls.push(`${host.name} upload ${localPath.split('/').pop()} → ${remotePath.startsWith(RELAY_FILES) ? 'staging' : remotePath}`);
        return { transferred: localPath === fileA ? 4 : 6, skipped: false };
      },
    }),
    close: async () => {
      calls.push('closed');
    },
  };
  return { calls, provider, stdins };
}

const install = async (p: TransportProvider, host: Host, file: string) =>
  p.forHost(host).upload(file, `/usr/local/bin/${file.split('/').pop()}`, { mode: 0o755 });

describe('relayTransports', () => {
  it('sends each file once (to the relay host), the others fetch it; close stops the relay', async () => {
    const { calls, provider } = scripted();
    const logs: string[] = [];
    const p = relayTransports(provider, { transfer, hosts, log: (h, l) => logs.push(`${h}: ${l}`), ports: () => 41000 });
    const results = await Promise.all(hosts.flatMap((h) => [install(p, h, fileA), install(p, h, fileB)]));
    await p.close();
    expect(results.reduce((n, r) => n + r.transferred, 0)).toBe(10);
    expect(calls.filter((c) => c.includes('upload')).sort()).toEqual(['node1 upload a → staging', 'node1 upload b → staging']);
    expect(calls.filter((c) => c.includes('fetch')).sort()).toEqual([
      'node2 fetch (secret on stdin)',
      'node2 fetch (secret on stdin)',
      'node3 fetch (secret on stdin)',
      'node3 fetch (secret on stdin)',
    ]);
    expect(calls.filter((c) => c === 'node1 staged')).toHaveLength(2);
    expect(calls.filter((c) => c.endsWith(' start'))).toEqual(['node1 start']);
    expect(calls.slice(-2)).toEqual(['node1 stop', 'closed']);
    expect(logs).toContain('h2: /usr/local/bin/a: over the LAN from node1, SHA-256 verified');
  });

  it('asks the host whether it holds the file unless the job just found it lacking (one command per fetch, not two)', async () => {
    const { calls, provider } = scripted();
    const p = relayTransports(provider, { transfer, hosts, log: () => undefined, ports: () => 41000 });
    await install(p, hosts[0]!, fileA);
    calls.length = 0;
    await p.forHost(hosts[1]!).upload(fileA, '/usr/local/bin/a', { mode: 0o755 });
    expect(calls).toEqual(['node2 state', 'node2 fetch (secret on stdin)']);
    calls.length = 0;
    await p.forHost(hosts[2]!).upload(fileA, '/usr/local/bin/a', { mode: 0o755, lacking: true });
    expect(calls).toEqual(['node3 fetch (secret on stdin)']);
    await p.close();
  });

  it('a fetch that fails (relay gone, other bytes) falls back to the direct upload of that file on that host', async () => {
    const { calls, provider } = scripted((host, kind) =>
      host === 'node3' && kind === 'fetch'
        ? { code: 3, stderr: 'curl: (7) Failed to connect\nthe file arrived damaged (SHA-256 differs)' }
        : undefined,
    );
    const logs: string[] = [];
    const p = relayTransports(provider, { transfer, hosts, log: (h, l) => logs.push(`${h}: ${l}`) });
    await install(p, hosts[0]!, fileA);
    const r = await install(p, hosts[2]!, fileA);
    await p.close();
    expect(r).toEqual({ transferred: 4, skipped: false });
    expect(calls).toContain('node3 upload a → /usr/local/bin/a');
    expect(logs.some((l) => l.startsWith('h3: /usr/local/bin/a: the relay') && l.includes('SHA-256 differs'))).toBe(true);
  });

  it('a full disk on the fetching host is DiskFull there, not another upload', async () => {
    const { calls, provider } = scripted((host, kind) =>
      host === 'node2' && kind === 'fetch' ? { code: 1, stderr: 'cat: write error: No space left on device' } : undefined,
    );
    const p = relayTransports(provider, { transfer, hosts });
    await expect(install(p, hosts[1]!, fileA)).rejects.toMatchObject({ name: 'DiskFull' });
    await p.close();
    expect(calls.filter((c) => c.startsWith('node2 upload'))).toEqual([]);
  });

  it('without nginx on the relay host yet, files go directly and the relay is tried again for the next file', async () => {
    let nginx = false;
    const { calls, provider } = scripted((_host, kind) =>
      kind === 'start' && !nginx ? { code: 10, stderr: 'nginx is not installed on this host' } : undefined,
    );
    const p = relayTransports(provider, { transfer, hosts });
    await install(p, hosts[1]!, fileA);
    nginx = true;
    await install(p, hosts[1]!, fileB);
    await p.close();
    expect(calls.filter((c) => c.includes('upload') || c.endsWith('start') || c.includes('fetch'))).toEqual([
      'node1 start',
      'node2 upload a → /usr/local/bin/a',
      'node1 start',
      'node1 upload b → staging',
      'node2 fetch (secret on stdin)',
    ]);
  });

  it('a file the host already has moves nothing and starts no relay; close then leaves the relay host alone', async () => {
    const sha = createHash('sha256').update('aaaa').digest('hex');
    const { calls, provider } = scripted((_host, kind) => (kind === 'state' ? { stdout: `${sha}\n755\n` } : undefined));
    const p = relayTransports(provider, { transfer, hosts });
    expect(await install(p, hosts[2]!, fileA)).toEqual({ transferred: 0, skipped: true });
    await p.close();
    expect(calls).toEqual(['node3 state', 'closed']);
  });
});

describe('relayTransports, files a job said it will upload', () => {
  it('are staged ahead of the requests, each once, and counted once, by the first host that asks', async () => {
    const { calls, provider } = scripted();
    let bothStaging = (): void => undefined;
    const staging = new Promise<void>((resolve) => (bothStaging = resolve));
    const watched: TransportProvider = {
      ...provider,
      forHost: (h) => {
        const t = provider.forHost(h);
        return {
          ...t,
          upload: (l, r, o) => {
            const out = t.upload(l, r, o);
            if (calls.filter((c) => c.includes('→ staging')).length === 2) bothStaging();
            return out;
          },
        };
      },
    };
    const p = relayTransports(watched, { transfer, hosts, ports: () => 41000 });
    // Both hosts say what their jobs will upload; nothing has been asked for yet, and both files start staging.
    p.forHost(hosts[1]!).expectUploads?.([fileA, fileB]);
    p.forHost(hosts[2]!).expectUploads?.([fileA, fileB]);
    await staging;
    expect(calls.filter((c) => c.includes('upload') || c.includes('fetch')).sort()).toEqual([
      'node1 upload a → staging',
      'node1 upload b → staging',
    ]);
    // The requests come after the staging began: each waits for it, none stages again.
    const results = await Promise.all(hosts.slice(1).flatMap((h) => [install(p, h, fileA), install(p, h, fileB)]));
    await p.close();
    expect(calls.filter((c) => c.includes('→ staging'))).toHaveLength(2);
    expect(results.map((r) => r.transferred).reduce((a, b) => a + b, 0)).toBe(10);
    expect(calls.filter((c) => c.includes('fetch'))).toHaveLength(4);
    expect(calls.slice(-2)).toEqual(['node1 stop', 'closed']);
  });

  it('are not staged when the relay does not serve yet (they go directly when asked)', async () => {
    const { calls, provider } = scripted((_host, kind) => (kind === 'start' ? { code: 10, stderr: 'nginx is not installed' } : undefined));
    const p = relayTransports(provider, { transfer, hosts });
    p.forHost(hosts[1]!).expectUploads?.([fileA, fileB]);
    await install(p, hosts[1]!, fileA);
    await install(p, hosts[1]!, fileB);
    await p.close();
    expect(calls.filter((c) => c.includes('upload'))).toEqual(['node2 upload a → /usr/local/bin/a', 'node2 upload b → /usr/local/bin/b']);
  });

  it('close waits for a staging under way before it stops the relay (the stop removes its folder)', async () => {
    let release = (): void => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const { calls, provider } = scripted();
    const slow: TransportProvider = {
      ...provider,
      forHost: (h) => {
        const t = provider.forHost(h);
        return {
          ...t,
          upload: async (l, r, o) => {
            const out = await t.upload(l, r, o);
            await gate;
            calls.push(`${h.name} staging ended`);
            return out;
          },
        };
      },
    };
    const p = relayTransports(slow, { transfer, hosts });
    p.forHost(hosts[1]!).expectUploads?.([fileA]);
    await new Promise((resolve) => setImmediate(resolve));
    const closed = p.close();
    await new Promise((resolve) => setImmediate(resolve));
    expect(calls).not.toContain('node1 stop');
    release();
    await closed;
    expect(calls.indexOf('node1 staging ended')).toBeLessThan(calls.indexOf('node1 stop'));
  });
});

describe('relayTransports, a relay that keeps failing', () => {
  it('is given up after 3 failed transfers: the later files go directly without trying it', async () => {
    const { calls, provider } = scripted((_host, kind) =>
      kind === 'fetch' ? { code: 3, stderr: 'curl: (7) Failed to connect' } : undefined,
    );
    const p = relayTransports(provider, { transfer, hosts });
    for (const file of [fileA, fileB, fileA, fileB]) await install(p, file === fileA ? hosts[1]! : hosts[2]!, file);
    await p.close();
    expect(calls.filter((c) => c.includes('fetch'))).toHaveLength(3);
    expect(calls.filter((c) => c.startsWith('node3 upload'))).toEqual([
      'node3 upload b → /usr/local/bin/b',
      'node3 upload b → /usr/local/bin/b',
    ]);
  });
});

describe('relayTransports, files a job found lacking (uploadLacking)', () => {
  const lacking = [fileA, fileB].map((f) => ({ localPath: f, remotePath: `/usr/local/bin/${f.split('/').pop()}`, mode: 0o755 }));

  /** Host `hostIndex` asks for both lacking files, its commands answered by `answer`; the relay is closed after. */
  async function lackingRun(hostIndex: number, answer: Answer) {
    const { calls, provider, stdins } = scripted(answer);
    const logs: string[] = [];
    const p = relayTransports(provider, { transfer, hosts, log: (h, l) => logs.push(`${h}: ${l}`), ports: () => 41000 });
    const outcomes = await p.forHost(hosts[hostIndex]!).uploadLacking!(lacking, {});
    await p.close();
    return { calls, stdins, logs, outcomes };
  }

  it('go in one fetch command once staged: the secret and the URLs on stdin, one outcome per file', async () => {
    const { calls, stdins, logs, outcomes } = await lackingRun(1, (_h, kind) =>
      kind === 'batch' ? { stdout: 'ks-wrote 0\nks-wrote 1\n' } : undefined,
    );
    expect(outcomes).toEqual([
      { ok: true, transferred: 4, skipped: false },
      { ok: true, transferred: 6, skipped: false },
    ]);
    expect(calls.filter((c) => c.includes('fetch') || c.includes('batch') || c.includes('upload'))).toEqual([
      'node1 upload a → staging',
      'node1 upload b → staging',
      'node2 batch',
    ]);
    const sha = (text: string) => createHash('sha256').update(text).digest('hex');
    expect(stdins[0]).toContain(`url = "http://10.0.0.1:41000/files/${sha('aaaa')}"`);
    expect(stdins[0]).toContain(`url = "http://10.0.0.1:41000/files/${sha('bbbbbb')}"`);
    expect(stdins[0]).toMatch(/^header = "X-Kubesmith-Relay: [0-9a-f]{64}"$/m);
    expect(logs).toContain('h2: /usr/local/bin/b: over the LAN from node1, SHA-256 verified (2 files in one fetch)');
  });

  it('a batch that stops part way: the files it installed count, the rest are fetched one by one (and fall back as one would)', async () => {
    const { calls, logs, outcomes } = await lackingRun(2, (_h, kind) =>
      kind === 'batch'
        ? { code: 3, stdout: 'ks-wrote 0\n', stderr: '/usr/local/bin/b: the file arrived damaged (SHA-256 differs)' }
        : undefined,
    );
    expect(outcomes).toEqual([
      { ok: true, transferred: 4, skipped: false },
      { ok: true, transferred: 6, skipped: false },
    ]);
    expect(calls.filter((c) => c.startsWith('node3'))).toEqual(['node3 batch', 'node3 fetch (secret on stdin)']);
    expect(logs.some((l) => l.startsWith('h3: relay: fetching 2 files at once failed') && l.includes('SHA-256 differs'))).toBe(true);
  });

  it('a full disk during the batch (curl does not say why) is found by the one-file fetch: DiskFull for that file, the rest untried', async () => {
    const { calls, outcomes } = await lackingRun(1, (_h, kind) =>
      kind === 'batch'
        ? { code: 23, stderr: 'curl: (23) Failure writing output to destination' }
        : kind === 'fetch'
          ? { code: 1, stderr: 'cat: write error: No space left on device' }
          : undefined,
    );
    expect(outcomes).toHaveLength(1);
    expect(outcomes[0]).toMatchObject({ ok: false, error: { name: 'DiskFull' } });
    expect(calls.filter((c) => c.startsWith('node2'))).toEqual(['node2 batch', 'node2 fetch (secret on stdin)', 'node2 other']);
  });

  it('on the relay host itself go in one command from the staged copies, once staged (no fetch, nothing on stdin)', async () => {
    const { calls, logs, outcomes } = await lackingRun(0, (_h, kind) =>
      kind === 'staged batch' ? { stdout: 'ks-wrote 0\nks-wrote 1\n' } : undefined,
    );
    expect(outcomes).toEqual([
      { ok: true, transferred: 4, skipped: false },
      { ok: true, transferred: 6, skipped: false },
    ]);
    expect(calls.filter((c) => c.startsWith('node1') && !c.endsWith(' start') && !c.endsWith(' stop'))).toEqual([
      'node1 upload a → staging',
      'node1 upload b → staging',
      'node1 staged batch',
    ]);
    expect(logs).toContain('h1: /usr/local/bin/a: from the staged copy, SHA-256 verified (2 files in one command)');
  });

  it('on the relay host, a batch that fails installs its files one by one from the staged copies', async () => {
    const { calls, logs, outcomes } = await lackingRun(0, (_h, kind) =>
      kind === 'staged batch' ? { code: 3, stderr: 'a: the file arrived damaged' } : undefined,
    );
    expect(outcomes.map((o) => o.ok)).toEqual([true, true]);
    expect(calls.filter((c) => c === 'node1 staged batch' || c === 'node1 staged')).toEqual([
      'node1 staged batch',
      'node1 staged',
      'node1 staged',
    ]);
    expect(logs.some((l) => l.startsWith('h1: relay: installing 2 files at once failed') && l.endsWith('installing them one by one'))).toBe(
      true,
    );
  });

  it('hosts that get their files directly have none (one upload per file)', () => {
    const direct: PlanTransfer = { ...transfer, routes: transfer.routes.map((r) => (r.hostId === 'h3' ? { ...r, via: 'direct' } : r)) };
    const p = relayTransports(scripted().provider, { transfer: direct, hosts });
    expect(p.forHost(hosts[2]!).uploadLacking).toBeUndefined();
    expect(p.forHost(hosts[1]!).uploadLacking).toBeDefined();
    expect(p.forHost(hosts[0]!).uploadLacking).toBeDefined();
  });
});
