import { z } from 'zod';

const Digest = z.string().regex(/^sha256:[0-9a-f]{64}$/);
export const ArchSchema = z.enum(['amd64', 'arm64']);

/** One image of a bundle: the reference the manifests name, what containerd will list, and its archive. */
export const BundleImageSchema = z.object({
  /** Which release field names it (pauseImage, corednsImage …). */
  role: z.string(),
  ref: z.string(),
  /** The linux/<arch> manifest: `ctr images ls` shows this digest after the import. */
  digest: Digest,
  /** The multi-arch index the tag named, when it did. */
  indexDigest: Digest.optional(),
  /** OCI layout archive, relative to the bundle folder. */
  archive: z.string().regex(/^images\/[\w.-]+\.tar$/),
  /** Bytes of the archive. */
  size: z.number().int().nonnegative(),
});
export type BundleImage = z.infer<typeof BundleImageSchema>;

/** bundle.json: what a bundle made by Kubesmith holds. */
export const BundleIndexSchema = z.object({
  format: z.literal(1),
  kubernetes: z.string(),
  arch: ArchSchema,
  cni: z.array(z.string()),
  addons: z.object({ coredns: z.boolean(), metricsServer: z.boolean(), headlamp: z.boolean() }),
  versions: z.record(z.string(), z.string()),
  images: z.array(BundleImageSchema),
  createdAt: z.string(),
});
export type BundleIndex = z.infer<typeof BundleIndexSchema>;

/** Written last: a folder without it (or with one that does not match SHA256SUMS) was never finished. */
export const BUNDLE_COMPLETE = 'bundle.complete';
export const BUNDLE_INDEX = 'bundle.json';
