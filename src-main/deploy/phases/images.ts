import { KubesmithError } from '../../../src-shared/errors';
import type { Host } from '../../../src-shared/model/cluster';
import type { PlanStep } from '../../../src-shared/model/plan';
import type { LocalImage } from '../binaries/types';
import type { PlanContext } from '../context';
import { hashOf } from '../hash';
import { imagesFor } from '../images';
import { BIN_DIR } from '../layout';
import { sh } from '../../ssh/shell';
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

/**
 * Every image of the offline bundle into containerd's k8s.io namespace (the one the CRI plugin and so the kubelet
 * use), before the kubelet starts: pods never pull. An image `ctr images ls` already lists with this digest is not
 * imported again.
 */
export function imageImportSteps(ctx: PlanContext, host: Host): PlanStep[] {
  refuseMissingImages(ctx);
  const steps: PlanStep[] = [];
  for (const image of ctx.binaries.images ?? []) {
    const upload = archiveStep(ctx.stepId('runtime', host, `image-${image.role}-file`), image);
    steps.push(
      upload,
      commandStep(
        ctx.stepId('runtime', host, `image-${image.role}`),
        `Import ${image.ref} (${image.digest.slice(0, 19)}…, ${mb(image.size)})`,
        {
          skipIf: sh`${ctr} images ls ${`name==${image.ref}`} | grep -qF ${image.digest}`,
          run: sh`${ctr} images import ${upload.action.kind === 'file' ? upload.action.path : ''}`,
          timeoutMs: 600_000,
          unit: 'containerd',
        },
      ),
    );
  }
  return steps;
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
