import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { KubesmithError } from '../../src-shared/errors';
import type { BundleImage, BundleIndex } from '../../src-shared/model/bundle';
import { imagesFor } from '../deploy/images';
import { RELEASES } from '../deploy/versions';
import { BlobStore } from '../images/blob-store';
import { RegistryClient } from '../images/registry-client';
import { gatherBinaries, placeBinaries } from './binaries-step';
import { finishBundle, markUnfinished } from './finish';
import { bundleImage } from './images-step';
import { targetFolder, type Arch, type BuiltBundle, type BundleRequest, type OnProgress } from './options';

/** Blobs fetched so far, shared by every bundle of the request; kept until all are finished, for a resumed run. */
export const WORK_DIR = '.kubesmith-work';

async function buildOne(
  req: BundleRequest,
  version: string,
  arch: Arch,
  client: RegistryClient,
  store: BlobStore,
  progress: OnProgress,
  bytes: { n: number },
): Promise<BuiltBundle> {
  const release = RELEASES[version];
  if (!release)
    throw new KubesmithError(
      'UnsupportedVersion',
      `Kubernetes ${version} is not supported.`,
      `Pick one of ${Object.keys(RELEASES).join(', ')}.`,
    );
  const folder = targetFolder(req, version, arch);
  await mkdir(folder, { recursive: true });
  await markUnfinished(folder);
  const say = (stage: 'binaries' | 'images' | 'index' | 'done', message: string, done: number, total: number) =>
    progress({ target: folder, stage, message, done, total, bytes: bytes.n });

  say('binaries', `Binaries of Kubernetes ${release.kubernetes} (${arch})`, 0, 1);
  const set = await gatherBinaries(req.binaries, release, arch, req.cacheDir, (m) => say('binaries', m, 0, 1), req.signal);
  const placed = await placeBinaries(set, folder);
  say('binaries', `${placed.length} binaries verified`, 1, 1);

  const wanted = imagesFor(release, { cni: req.cni, addons: req.addons });
  const images: BundleImage[] = [];
  for (const [i, image] of wanted.entries()) {
    say('images', `${image.ref} (${arch})`, i, wanted.length);
    images.push(await bundleImage(client, store, folder, image, arch, (n) => (bytes.n += n)));
    req.signal?.throwIfAborted();
  }
  say('images', `${images.length} images verified`, wanted.length, wanted.length);

  say('index', 'bundle.json and SHA256SUMS', 0, 1);
  const versions = { ...set.versions, kubernetes: set.versions.kubernetes ?? release.kubernetes };
  const index: BundleIndex = {
    format: 1,
    kubernetes: versions.kubernetes,
    arch,
    cni: [...req.cni],
    addons: { ...req.addons },
    versions: Object.fromEntries(Object.entries(versions).filter((e): e is [string, string] => typeof e[1] === 'string')),
    images,
    createdAt: new Date().toISOString(),
  };
  const files = await finishBundle(folder, index);
  say('done', `${folder} is complete`, 1, 1);
  return { folder, version, arch, images: images.length, files, bytes: bytes.n };
}

/**
 * Makes one offline bundle per chosen (Kubernetes version, architecture): the binaries, every image the plan would
 * run as an OCI archive, bundle.json, SHA256SUMS and — last — bundle.complete. Interrupted, it resumes: verified
 * blobs are kept in <out>/.kubesmith-work until every bundle is finished.
 */
export async function buildBundles(req: BundleRequest, progress: OnProgress = () => undefined): Promise<BuiltBundle[]> {
  if (req.versions.length === 0 || req.arches.length === 0 || req.cni.length === 0)
    throw new KubesmithError('BundleRequestInvalid', 'Pick at least one Kubernetes version, one pod network and one architecture.');
  const client = new RegistryClient({
    ...(req.mirrors ? { mirrors: req.mirrors } : {}),
    ...(req.credentials ? { credentials: req.credentials } : {}),
    ...(req.signal ? { signal: req.signal } : {}),
  });
  const store = new BlobStore(join(req.out, WORK_DIR, 'blobs'));
  const bytes = { n: 0 };
  const built: BuiltBundle[] = [];
  for (const version of req.versions) {
    for (const arch of req.arches) built.push(await buildOne(req, version, arch, client, store, progress, bytes));
  }
  await rm(join(req.out, WORK_DIR), { recursive: true, force: true });
  return built;
}
