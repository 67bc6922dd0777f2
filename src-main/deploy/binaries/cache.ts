import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { KubesmithError } from '../../../src-shared/errors';
import { writeFileAtomic } from '../../store/atomic-write';
import type { ReleaseSet } from '../versions';
import { officialArtifacts, publishedSha256, throughMirror, type Artifact } from './artifacts';
import { downloadVerified, fetchText } from './download';
import { readTarGz } from './tar';
import { isHostDownloadUrl, isSha256, type BinaryOrigin, type BinarySet, type LocalBinary } from './types';

export interface DownloadProgress {
  (message: string): void;
}

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

type Verified = { sha256: string; size: number; origin?: BinaryOrigin };

/** The origin recorded beside a cached binary; a cache made before origins were recorded (or a bundle's file) has none. */
export async function recordedOrigin(path: string): Promise<BinaryOrigin | undefined> {
  try {
    const o = JSON.parse(await readFile(`${path}.origin.json`, 'utf8')) as Partial<BinaryOrigin>;
    // A damaged record is no origin (the file is then sent from this computer), never an error.
    if (typeof o.url !== 'string' || !isHostDownloadUrl(o.url) || !URL.canParse(o.url)) return undefined;
    if (typeof o.sha256 !== 'string' || !isSha256(o.sha256)) return undefined;
    return { url: o.url, sha256: o.sha256, ...(typeof o.member === 'string' ? { member: o.member } : {}) };
  } catch {
    return undefined;
  }
}

/** A binary already in the cache: the hash recorded when it was verified, and the file still its size. */
async function cached(path: string): Promise<Verified | undefined> {
  try {
    const [recorded, info, origin] = await Promise.all([readFile(`${path}.sha256`, 'utf8'), stat(path), recordedOrigin(path)]);
    const [hash, size] = recorded.trim().split(' ');
    if (hash && Number(size) === info.size) return { sha256: hash, size: info.size, ...(origin ? { origin } : {}) };
  } catch {
    // Not cached yet.
  }
  return undefined;
}

async function remember(path: string, data: Buffer, origin: BinaryOrigin): Promise<Verified> {
  const hash = sha256(data);
  await writeFileAtomic(path, data, 0o755);
  await writeFile(`${path}.origin.json`, `${JSON.stringify(origin)}\n`);
  await writeFile(`${path}.sha256`, `${hash} ${data.length}\n`);
  return { sha256: hash, size: data.length, origin };
}

async function fetchArtifact(a: Artifact, dir: string, log: DownloadProgress, signal?: AbortSignal): Promise<LocalBinary[]> {
  const names = a.files ? Object.keys(a.files) : [a.name ?? basename(a.url)];
  const hits = await Promise.all(names.map((n) => cached(join(dir, n))));
  if (hits.every(Boolean)) return names.map((name, i) => ({ component: a.component, name, localPath: join(dir, name), ...hits[i]! }));

  const published = publishedSha256(await fetchText(a.checksumUrl, signal), a.sumsEntry);
  if (!published)
    throw new KubesmithError(
      'ChecksumMissing',
      `${a.checksumUrl} does not list a SHA-256 for ${a.sumsEntry ?? basename(a.url)}.`,
      'Check the mirror; Kubesmith installs nothing it cannot verify.',
    );
  const download = join(dir, 'download', basename(a.url));
  log(`downloading ${a.url}`);
  const { bytes } = await downloadVerified(a.url, download, published, signal);
  log(`verified ${basename(a.url)} (${(bytes / 1e6).toFixed(1)} MB, SHA-256 ${published.slice(0, 12)}…)`);
  const data = await readFile(download);
  if (!a.files) {
    const name = names[0]!;
    const origin = { url: a.url, sha256: published };
    return [{ component: a.component, name, localPath: join(dir, name), ...(await remember(join(dir, name), data, origin)) }];
  }
  const entries = readTarGz(data);
  const out: LocalBinary[] = [];
  for (const [name, inner] of Object.entries(a.files)) {
    const body = entries.get(inner) ?? entries.get(inner.replace(/^\.\//, ''));
    if (!body)
      throw new KubesmithError(
        'ArchiveIncomplete',
        `${basename(a.url)} has no ${inner}.`,
        'The release layout changed; this is a bug in Kubesmith.',
      );
    const origin = { url: a.url, sha256: published, member: inner };
    out.push({ component: a.component, name, localPath: join(dir, name), ...(await remember(join(dir, name), body, origin)) });
  }
  return out;
}

/** Downloads (once) and verifies every binary of a release from the official URLs or a mirror. */
export async function resolveDownloads(opts: {
  release: ReleaseSet;
  arch: 'amd64' | 'arm64';
  mirrorPrefix?: string;
  cacheDir: string;
  log?: DownloadProgress;
  signal?: AbortSignal;
  artifacts?: Artifact[];
}): Promise<BinarySet> {
  const official = opts.artifacts ?? officialArtifacts(opts.release, opts.arch);
  const artifacts = opts.mirrorPrefix ? throughMirror(official, opts.mirrorPrefix) : official;
  const files: LocalBinary[] = [];
  for (const a of artifacts) {
    const version = a.component === 'kubernetes' ? opts.release.kubernetes : opts.release[a.component];
    const dir = join(opts.cacheDir, `${a.component}-${version}-${opts.arch}`);
    files.push(...(await fetchArtifact(a, dir, opts.log ?? (() => undefined), opts.signal)));
  }
  const r = opts.release;
  return { files, versions: { kubernetes: r.kubernetes, etcd: r.etcd, containerd: r.containerd, runc: r.runc, cni: r.cni }, packages: [] };
}

export const cacheExists = (dir: string): boolean => existsSync(dir);
