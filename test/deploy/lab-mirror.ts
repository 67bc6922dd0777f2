import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { officialArtifacts } from '../../src-main/deploy/binaries/artifacts';
import type { ReleaseSet } from '../../src-main/deploy/versions';
import { ROOT_ADDRESS } from '../lab/config';
import { standins } from '../standins/standins';

/** The lab image's real binaries for the archives' members (as the lab's offline bundle takes them). */
const FROM_IMAGE: Record<string, string> = {
  etcd: 'usr/bin/etcd',
  etcdctl: 'usr/bin/etcdctl',
  containerd: 'usr/bin/containerd',
  'containerd-shim-runc-v2': 'usr/bin/containerd-shim-runc-v2',
  ctr: 'usr/bin/ctr',
  runc: 'usr/sbin/runc',
  ...Object.fromEntries(
    ['bridge', 'host-local', 'loopback', 'portmap', 'bandwidth', 'firewall', 'tuning'].map((n) => [n, `usr/lib/cni/${n}`]),
  ),
};

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

export interface LabMirror {
  /** The binary source's mirror prefix the cluster is configured with. */
  prefix: string;
  /** GET requests by client address, then URL path. */
  requests: Map<string, Map<string, number>>;
  /** Paths served as other bytes to one client address (the published SHA-256 stays the true one). */
  alter: Map<string, Set<string>>;
  close(): Promise<void>;
}

/**
 * A test-made binary mirror (test-only) in the official layout under a prefix (see artifacts.ts throughMirror): the
 * kube-* stand-ins and release-like archives made with the real tar from the lab image's etcd, containerd, runc and
 * CNI plugins, each with its published SHA-256 file, served over HTTP from the test runner's address on the lab
 * bridge (never any other address), counting every request.
 */
export async function startLabMirror(rootfs: string, release: ReleaseSet, minor: string): Promise<LabMirror> {
  const work = mkdtempSync(join(tmpdir(), 'ks-lab-mirror-'));
  const files = new Map<string, Buffer>();
  const program = (name: string): Buffer => {
    const stand = standins(minor, release.kubernetes)[name];
    return stand !== undefined ? Buffer.from(stand) : readFileSync(join(rootfs, FROM_IMAGE[name]!));
  };
  const path = (url: string): string => `/mirror/${url.replace(/^https:\/\//, '')}`;
  for (const a of officialArtifacts(release, 'amd64')) {
    let body: Buffer;
    if (a.files) {
      const src = join(work, basename(a.url));
      for (const [name, inner] of Object.entries(a.files)) {
        mkdirSync(dirname(join(src, inner)), { recursive: true });
        writeFileSync(join(src, inner), program(name), { mode: 0o755 });
      }
      const tarball = join(work, `${basename(a.url)}.out`);
      const made = spawnSync('tar', ['-czf', tarball, '-C', src, ...Object.values(a.files)]);
      if (made.status !== 0) throw new Error(`lab mirror: tar failed: ${made.stderr.toString()}`);
      body = readFileSync(tarball);
    } else {
      body = program(a.name!);
    }
    files.set(path(a.url), body);
    // The sums file names the entry as the release's does (etcd's SHA256SUMS lists several files; ours one).
    const entry = a.sumsEntry ?? basename(a.url);
    files.set(path(a.checksumUrl), Buffer.from(a.sumsEntry ? `${sha(body)}  ${entry}\n` : `${sha(body)}\n`));
  }
  rmSync(work, { recursive: true, force: true });

  const requests = new Map<string, Map<string, number>>();
  const alter = new Map<string, Set<string>>();
  const server: Server = createServer((req, res) => {
    const client = (req.socket.remoteAddress ?? '?').replace(/^::ffff:/, '');
    const url = (req.url ?? '').split('?')[0]!;
    if (req.method === 'GET') {
      const byPath = requests.get(client) ?? new Map<string, number>();
      byPath.set(url, (byPath.get(url) ?? 0) + 1);
      requests.set(client, byPath);
    }
    const body = files.get(url);
    if (!body) {
      res.statusCode = 404;
      res.end('not found');
      return;
    }
    const served = alter.get(client)?.has(url)
      ? Buffer.concat([body.subarray(0, body.length - 1), Buffer.from([body[body.length - 1]! ^ 1])])
      : body;
    res.setHeader('content-length', served.length);
    res.end(req.method === 'HEAD' ? undefined : served);
  });
  server.on('clientError', (_err, socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, ROOT_ADDRESS, resolve);
  });
  const port = (server.address() as AddressInfo).port;
  return {
    prefix: `http://${ROOT_ADDRESS}:${port}/mirror`,
    requests,
    alter,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
