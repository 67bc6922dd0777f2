import { z } from 'zod';
import { ArchSchema } from '../model/bundle';
import { CniSchema, KUBERNETES_VERSIONS, MIRRORED_REGISTRIES } from '../model/cluster';
import { method } from './define';

const HttpUrl = z.string().regex(/^https?:\/\/[^\s"\\]+$/, 'an http:// or https:// URL');

export const BundleMakeInputSchema = z
  .object({
    /** Progress arrives as `progress` events with this task id. */
    taskId: z.string().min(1).max(64),
    versions: z.array(z.enum(KUBERNETES_VERSIONS)).min(1).max(KUBERNETES_VERSIONS.length),
    cni: z.array(CniSchema).min(1).max(3),
    addons: z.object({ coredns: z.boolean(), metricsServer: z.boolean(), headlamp: z.boolean() }).strict(),
    arches: z.array(ArchSchema).min(1).max(2),
    /** An absolute folder on this computer. */
    out: z.string().min(1).max(4096),
    /** registry → mirror prefix URL (http://mirror.lab:5000/docker.io). */
    mirrors: z.partialRecord(z.enum(MIRRORED_REGISTRIES), HttpUrl).default({}),
    binaryMirror: HttpUrl.optional(),
  })
  .strict();
export type BundleMakeInput = z.input<typeof BundleMakeInputSchema>;

export const BuiltBundleSchema = z.object({
  folder: z.string(),
  version: z.string(),
  arch: ArchSchema,
  images: z.number().int(),
  files: z.number().int(),
  bytes: z.number().int(),
});

export const bundleMethods = {
  /**
   * Makes offline bundles (binaries and every image the plan would run) into `out`; slow, with `progress` events.
   * Run again after an interruption, it resumes.
   */
  'bundle.make': method(BundleMakeInputSchema, z.object({ bundles: z.array(BuiltBundleSchema) })),
};
