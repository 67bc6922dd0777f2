import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupDownloadsCommand, DOWNLOAD_EXIT, hostDownloadCommand, sourceUrl } from './source-commands';

const sha = (b: Buffer | string): string => createHash('sha256').update(b).digest('hex');

/** Runs a built command with dash, as a host's /bin/sh would (async: the test's own server must keep answering). */
function run(command: string): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('dash', ['-c', command]);
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

describe('a host downloading from the binary source (commands run with dash against a server on 127.0.0.1)', () => {
  let server: Server;
  let base: string;
  let root: string;
  const routes = new Map<string, Buffer>();
  const kubelet = Buffer.from('#!/bin/sh\necho kubelet\n');
  let archive: Buffer;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'ks-srccmd-'));
    // A release-like archive made with the real tar, members under ./ as the CNI plugins' archive has them.
    const src = join(root, 'src');
    mkdirSync(src);
    writeFileSync(join(src, 'bridge'), 'bridge-plugin');
    writeFileSync(join(src, 'loopback'), 'loopback-plugin');
    const made = spawnSync('tar', ['-czf', join(root, 'cni.tgz'), '-C', src, './bridge', './loopback']);
    expect(made.status, made.stderr.toString()).toBe(0);
    archive = readFileSync(join(root, 'cni.tgz'));
    routes.set('/bin/kubelet', kubelet);
    routes.set('/cni.tgz', archive);
    routes.set('/tampered', Buffer.concat([kubelet, Buffer.from('x')]));
    server = createServer((req, res) => {
      const body = routes.get(req.url ?? '');
      if (!body) {
        res.statusCode = 404;
        res.end('not found');
        return;
      }
      res.end(body);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    server.close();
    rmSync(root, { recursive: true, force: true });
  });

  const dl = (name: string) => join(root, `dl-${name}`);
  const target = (name: string) => join(root, 'target', name);

  it('installs a single binary checked against its pin, with the mode, and keeps no download', async () => {
    const path = target("kube let's");
    const r = await run(
      hostDownloadCommand({
        origin: { url: `${base}/bin/kubelet`, sha256: sha(kubelet) },
        sha256: sha(kubelet),
        path,
        mode: '0755',
        dir: dl('one'),
      }).command,
    );
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(path)).toEqual(kubelet);
    expect(statSync(path).mode & 0o777).toBe(0o755);
    expect(readdirSync(dl('one'))).toEqual([]);
  });

  it('takes each binary out of the checked archive, downloaded once for all of its binaries', async () => {
    const origin = (member: string) => ({ url: `${base}/cni.tgz`, sha256: sha(archive), member });
    for (const [name, member] of [
      ['bridge', './bridge'],
      ['loopback', 'loopback'],
    ] as const) {
      const want = `${name}-plugin`;
      const r = await run(
        hostDownloadCommand({ origin: origin(member), sha256: sha(want), path: target(name), mode: '0755', dir: dl('tgz') }).command,
      );
      expect(r.code, r.stderr).toBe(0);
      expect(readFileSync(target(name), 'utf8')).toBe(want);
    }
    expect(readdirSync(dl('tgz'))).toEqual([sha(archive)]);
    const missing = await run(
      hostDownloadCommand({ origin: origin('./nope'), sha256: sha('x'), path: target('nope'), mode: '0755', dir: dl('tgz') }).command,
    );
    expect(missing.code).toBe(DOWNLOAD_EXIT.notInArchive);
    await run(cleanupDownloadsCommand(dl('tgz')).command);
    expect(existsSync(dl('tgz'))).toBe(false);
  });

  it('other bytes than the published SHA-256 are never installed, nor kept', async () => {
    const path = target('tampered');
    const r = await run(
      hostDownloadCommand({
        origin: { url: `${base}/tampered`, sha256: sha(kubelet) },
        sha256: sha(kubelet),
        path,
        mode: '0755',
        dir: dl('bad'),
      }).command,
    );
    expect(r.code).toBe(DOWNLOAD_EXIT.otherBytes);
    expect(r.stderr).toMatch(/SHA-256 differs/);
    expect(existsSync(path)).toBe(false);
    expect(readdirSync(dl('bad'))).toEqual([]);
  });

  it('an HTTP error or a source nobody listens on is "could not download", with curl saying why', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    for (const url of [`${base}/missing`, `http://127.0.0.1:${port}/kubelet`]) {
      const r = await run(
        hostDownloadCommand({ origin: { url, sha256: sha(kubelet) }, sha256: sha(kubelet), path: target('x'), mode: '0755', dir: dl('x') })
          .command,
      );
      expect(r.code, url).toBe(DOWNLOAD_EXIT.unreachable);
      expect(r.stderr).toMatch(/curl: \(\d+\)[\s\S]*could not download \(curl exit \d+\)/);
    }
    expect(existsSync(target('x'))).toBe(false);
  });

  it('quotes every value and refuses what is not an http(s) URL or a SHA-256', () => {
    const c = hostDownloadCommand({
      origin: { url: "https://mirror.lab/k8s/it's", sha256: 'a'.repeat(64), member: './a b' },
      sha256: 'b'.repeat(64),
      path: '/usr/local/bin/x',
      mode: '0755',
    }).command;
    expect(c).toContain("--url 'https://mirror.lab/k8s/it'\\''s'");
    expect(c).toContain("m='./a b'");
    for (const shell of ['dash', 'bash']) expect(spawnSync(shell, ['-n'], { input: c }).status).toBe(0);
    expect(() => sourceUrl('file:///etc/shadow')).toThrow(/not an http/);
    expect(() => sourceUrl('-K/etc/shadow')).toThrow(/not an http/);
    expect(() => sourceUrl('https://a.lab/x\ny')).toThrow(/not an http/);
    expect(() =>
      hostDownloadCommand({ origin: { url: 'https://a.lab/x', sha256: '../../etc' }, sha256: 'b'.repeat(64), path: '/x', mode: '0755' }),
    ).toThrow(/not a SHA-256/);
  });
});
