import { KubesmithError } from '../../../src-shared/errors';
import type { Host } from '../../../src-shared/model/cluster';
import type { PlanStep } from '../../../src-shared/model/plan';
import type { LocalImage } from '../binaries/types';
import type { PlanContext } from '../context';
import { hashOf } from '../hash';
import { imagesFor } from '../images';
import { BIN_DIR } from '../layout';
import { raw, sh, shJoin, type Shell } from '../../ssh/shell';
import { formatImportProgress, type ImageImportProgress } from '../../../src-shared/model/image-import';
import { commandStep } from '../steps';

/** Where a host keeps the bundle's image archives: a second deploy finds them by SHA-256 and sends nothing. */
export const IMAGES_DIR = '/var/lib/kubesmith/images';

const ctr = sh`${BIN_DIR}/ctr --address /run/containerd/containerd.sock -n k8s.io`;
const mb = (n: number) => `${(n / 1e6).toFixed(1)} MB`;

/** The reference add-on manifests use: pinned to the digest of the bundle's image when there is one. */
export function imageRef(ctx: PlanContext, role: string, ref: string): string {
  const image = ctx.binaries.images?.find((i) => i.role === role);
  return image ? `${image.ref}@${image.digest}` : ref;
}

function archiveStep(id: string, image: LocalImage): PlanStep {
  const action = {
    kind: 'file' as const,
    path: `${IMAGES_DIR}/${image.localPath.split('/').pop()!}`,
    mode: '0644',
    sha256: image.sha256,
    size: image.size,
    secret: false,
    localPath: image.localPath,
  };
  return {
    id,
    title: `Copy ${image.ref} (${mb(image.size)})`,
    action,
    hash: hashOf({ path: action.path, mode: action.mode, sha256: action.sha256 }),
  };
}

/** Where containerd keeps content and snapshots: the disk an import fills (containerd's default `root`). */
export const CONTAINERD_ROOT = '/var/lib/containerd';
const CONTAINERD_STORES = ['io.containerd.content.v1.content', 'io.containerd.snapshotter.v1.overlayfs'];

/** `ref` is in k8s.io with this digest, all its content present and unpacked (`images check -q` lists only such refs). */
export function imagePresent(image: Pick<LocalImage, 'ref' | 'digest'>): Shell {
  return sh`${ctr} images ls ${`name==${image.ref}`} | grep -qF ${image.digest} && ${ctr} images check -q ${`name==${image.ref}`} | grep -qxF ${image.ref}`;
}

const FULL = "%s: no space left on containerd's disk (%s) while importing %s; nothing of it is kept as imported.\\n";

/** The fullest of the filesystems containerd writes an import to (its content store and snapshots may be mounts of their own). */
const fullestDisk = sh`df -P ${[CONTAINERD_ROOT, ...CONTAINERD_STORES.map((s) => `${CONTAINERD_ROOT}/${s}`)]} 2>/dev/null | awk 'NR > 1 && !seen[$6]++ { print $4, $6, $1, $2 }' | sort -n | head -n 1 | awk '{ printf "%s on %s, %.1f MB free of %.1f MB", $2, $3, $1 / 1024, $4 / 1024 }'`;

/**
 * Imports one archive. ctr's output is held until it ends: on failure a record it left (content written, unpack cut
 * short) is removed so the digest check never passes on a half import, and a full disk is named (which host, which
 * filesystem, how much is free) instead of only ctr's words. The progress lines feed the Deploy screen's host rows.
 */
export function importCommand(hostName: string, image: LocalImage, archive: string, before: ImageImportProgress): Shell {
  const after: ImageImportProgress = { ...before, done: before.done + 1, doneBytes: before.doneBytes + image.size, state: 'imported' };
  // In a subshell: its `exit`s end only this step's script.
  const body = shJoin(
    [
      sh`echo ${formatImportProgress(before)}`,
      sh`out=$(${ctr} images import ${archive} 2>&1)`,
      raw(`rc=$?; printf '%s\\n' "$out"`),
      sh`if [ "$rc" -eq 0 ]; then echo ${formatImportProgress(after)}; exit 0; fi`,
      sh`${ctr} images check -q ${`name==${image.ref}`} | grep -qxF ${image.ref} || ${ctr} images rm ${image.ref} >/dev/null 2>&1`,
      sh`case "$out" in *'no space left on device'*) printf ${FULL} ${hostName} "$(${fullestDisk})" ${image.ref} >&2;; *) printf '%s\\n' "$out" | tail -n 3 >&2;; esac`,
      raw('exit "$rc"'),
    ],
    '\n',
  );
  return sh`(
${body}
)`;
}

/**
 * Every image of the offline bundle into containerd's k8s.io namespace (the one the CRI plugin and so the kubelet
 * use), before the kubelet starts: pods never pull. An image already present with this digest is not imported again.
 */
export function imageImportSteps(ctx: PlanContext, host: Host): PlanStep[] {
  refuseMissingImages(ctx);
  const images = ctx.binaries.images ?? [];
  const totalBytes = images.reduce((n, i) => n + i.size, 0);
  let doneBytes = 0;
  return images.flatMap((image, index) => {
    const upload = archiveStep(ctx.stepId('runtime', host, `image-${image.role}-file`), image);
    const before: ImageImportProgress = { done: index, total: images.length, doneBytes, totalBytes, state: 'importing', ref: image.ref };
    doneBytes += image.size;
    return [
      upload,
      commandStep(
        ctx.stepId('runtime', host, `image-${image.role}`),
        `Import ${image.ref} (${image.digest.slice(0, 19)}…, ${mb(image.size)})`,
        {
          skipIf: imagePresent(image),
          run: importCommand(host.name, image, upload.action.kind === 'file' ? upload.action.path : '', before),
          timeoutMs: 600_000,
          unit: 'containerd',
        },
      ),
    ];
  });
}

/**
 * A bundle with images stands for hosts that cannot pull: one made for other choices (another pod network, an add-on
 * left out) would leave pods stuck pulling, so the plan refuses it and says what to add.
 */
function refuseMissingImages(ctx: PlanContext): void {
  const have = ctx.binaries.images;
  if (!have) return;
  const s = ctx.cluster.settings;
  const missing = imagesFor(ctx.release, { cni: [s.cni], addons: s.addons }).filter((w) => !have.some((i) => i.role === w.role));
  if (missing.length === 0) return;
  throw new KubesmithError(
    'BundleImagesMissing',
    `The offline bundle has no ${missing.map((m) => m.ref).join(', ')}, which this cluster runs.`,
    `Make the bundle again with the cluster's pod network (${s.cni}) and add-ons, or change the cluster settings to what the bundle holds.`,
    { missing: missing.map((m) => m.ref) },
  );
}
