import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Host } from '../../../src-shared/model/cluster';
import type { PlanTransfer } from '../../../src-shared/model/plan';
import type { RemoteResult, TransportProvider } from '../engine/transport';
import { DOWNLOAD_DIR, DOWNLOAD_EXIT } from './source-commands';
import { sourceTransports } from './source-transports';

const hosts = [1, 2, 3].map((i) => ({ id: `h${i}`, name: `node${i}`, address: `10.0.0.${i}` }) as Host);
const dir = mkdtempSync(join(tmpdir(), 'ks-source-unit-'));
const files = ['a', 'b', 'c', 'd'].map((n) => {
  writeFileSync(join(dir, n), n.repeat(5));
  return join(dir, n);
});
const packageFile = join(dir, 'pkg.deb');
writeFileSync(packageFile, 'debdeb');
const transfer = (downloads: boolean): PlanTransfer => ({
  source: 'https://mirror.lab/k8s',
  routes: hosts.map((h) => ({
    hostId: h.id,
    hostName: h.name,
    via: 'direct',
    files: 1,
    bytes: 6,
    ...(downloads ? { downloads: { files: 4, bytes: 20 } } : {}),
  })),
});
const origin = async (localPath: string) =>
  localPath === packageFile ? undefined : { url: `https://mirror.lab/k8s/${localPath.split('/').pop()}`, sha256: 'e'.repeat(64) };

type Answer = (host: string, command: string) => Partial<RemoteResult> | undefined;

/** Hosts that answer as told, recording downloads, uploads and clean-ups (a scripted stand-in for SSH). */
function scripted(answer: Answer = () => undefined) {
  const calls: string[] = [];
  let stateReads = 0;
  const provider: TransportProvider = {
    forHost: (host) => ({
      exec: async (command) => {
        const kind = command.includes('--url')
          ? 'download'
          : command.startsWith(`rm -rf ${DOWNLOAD_DIR}`)
            ? 'cleanup'
            : command.startsWith('if [ -f ')
              ? 'state'
              : 'other';
        if (kind === 'state') stateReads++;
        if (kind !== 'other' && kind !== 'state')
          calls.push(`${host.name} ${kind}${kind === 'download' ? ` ${/--url \S+\/(\w+)/.exec(command)?.[1]}` : ''}`);
        return { code: 0, stdout: '', stderr: '', ...(kind === 'download' ? answer(host.name, command) : {}) };
      },
      upload: async (localPath) => {
        calls.push(`${host.name} upload ${localPath.split('/').pop()}`);
        return { transferred: 5, skipped: false };
      },
    }),
    close: async () => {
      calls.push('closed');
    },
  };
  return { calls, provider, states: () => stateReads };
}

const installAll = async (p: TransportProvider, host: Host, list = files) => {
  const out = [];
  for (const f of list) out.push(await p.forHost(host).upload(f, `/usr/local/bin/${f.split('/').pop()}`, { mode: 0o755 }));
  return out;
};

describe('sourceTransports (hosts downloading from the binary source)', () => {
  it('each host downloads the binaries with an origin; a file without one is uploaded; nothing crosses this link; close cleans up', async () => {
    const { calls, provider } = scripted();
    const logs: string[] = [];
    const p = sourceTransports(provider, { transfer: transfer(true), origin, log: (h, l) => logs.push(`${h}: ${l}`) });
    const results = await installAll(p, hosts[1]!, [...files, packageFile]);
    await p.close();
    expect(results.map((r) => r.transferred)).toEqual([0, 0, 0, 0, 5]);
    expect(calls).toEqual([
      'node2 download a',
      'node2 download b',
      'node2 download c',
      'node2 download d',
      'node2 upload pkg.deb',
      'node2 cleanup',
      'closed',
    ]);
    expect(logs).toContain('h2: /usr/local/bin/a: downloaded by the host from mirror.lab, SHA-256 verified');
  });

  it('asks whether the host holds a file before downloading it, unless the job just found it lacking', async () => {
    const { calls, provider, states } = scripted();
    const p = sourceTransports(provider, { transfer: transfer(true), origin, log: () => undefined });
    await p.forHost(hosts[1]!).upload(files[0]!, '/usr/local/bin/a', { mode: 0o755 });
    expect(states()).toBe(1);
    await p.forHost(hosts[1]!).upload(files[1]!, '/usr/local/bin/b', { mode: 0o755, lacking: true });
    expect(states()).toBe(1);
    expect(calls).toEqual(['node2 download a', 'node2 download b']);
    await p.close();
  });

  it('a host that cannot reach the source gets that file and its others uploaded, and the log says why, once', async () => {
    const { calls, provider } = scripted((host) =>
      host === 'node3'
        ? { code: DOWNLOAD_EXIT.unreachable, stderr: 'curl: (7) Failed to connect\ncould not download (curl exit 7)' }
        : undefined,
    );
    const logs: string[] = [];
    const p = sourceTransports(provider, { transfer: transfer(true), origin, log: (h, l) => logs.push(`${h}: ${l}`) });
    const results = await installAll(p, hosts[2]!);
    expect(results.map((r) => r.transferred)).toEqual([5, 5, 5, 5]);
    expect(calls).toEqual(['node3 download a', 'node3 upload a', 'node3 upload b', 'node3 upload c', 'node3 upload d']);
    expect(logs.filter((l) => l.startsWith('h3:'))).toEqual([
      'h3: /usr/local/bin/a: the host could not download it from https://mirror.lab/k8s (curl: (7) Failed to connect; could not download (curl exit 7)); sending it from this computer',
      'h3: node3 cannot reach https://mirror.lab/k8s: its other binaries are sent from this computer',
    ]);
    // Another host is not held back by node3's trouble.
    await installAll(p, hosts[0]!, files.slice(0, 1));
    expect(calls.at(-1)).toBe('node1 download a');
  });

  it('other bytes are refused and the file uploaded; after three refusals the host stops downloading; an HTTP error is one file', async () => {
    const { calls, provider } = scripted((_, command) =>
      command.includes('/a ')
        ? { code: DOWNLOAD_EXIT.unreachable, stderr: 'curl: (22) The requested URL returned error: 404\ncould not download (curl exit 22)' }
        : { code: DOWNLOAD_EXIT.otherBytes, stderr: 'the source sent other bytes (SHA-256 differs from the published one)' },
    );
    const logs: string[] = [];
    const p = sourceTransports(provider, { transfer: transfer(true), origin, log: (h, l) => logs.push(l) });
    await installAll(p, hosts[0]!, [...files, files[0]!]);
    expect(calls).toEqual([
      'node1 download a',
      'node1 upload a',
      'node1 download b',
      'node1 upload b',
      'node1 download c',
      'node1 upload c',
      'node1 upload d',
      'node1 upload a',
    ]);
    expect(logs).toContain(
      '/usr/local/bin/b: https://mirror.lab/k8s sent other bytes than its published SHA-256 (the source sent other bytes (SHA-256 differs from the published one)); nothing of them is installed, sending it from this computer',
    );
    expect(logs).toContain('3 downloads from https://mirror.lab/k8s failed on node1: its other binaries are sent from this computer');
  });

  it('a full disk is the host’s failure, not a fallback; a plan without downloads leaves the transports as they are', async () => {
    const { provider } = scripted(() => ({ code: 1, stderr: 'cat: write error: No space left on device' }));
    const p = sourceTransports(provider, { transfer: transfer(true), origin });
    await expect(installAll(p, hosts[0]!)).rejects.toMatchObject({ name: 'DiskFull' });
    expect(sourceTransports(provider, { transfer: transfer(false), origin })).toBe(provider);
  });
});
