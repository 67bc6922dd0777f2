import { z } from 'zod';
import { ClusterSchema } from '../model/cluster';
import { noInput } from './app';
import { method } from './define';

export const ClusterNameSchema = ClusterSchema.shape.name;

export const ClusterSummarySchema = z.object({
  name: z.string(),
  hostCount: z.number().int().nonnegative(),
  updatedAt: z.string(),
  /** Set when cluster.yaml cannot be opened: the reason, so the cluster can be repaired or removed, not lost from sight. */
  broken: z.object({ name: z.string(), message: z.string() }).optional(),
});
export type ClusterSummary = z.infer<typeof ClusterSummarySchema>;

export const byClusterName = z.object({ name: ClusterNameSchema }).strict();

export const clusterMethods = {
  'clusters.list': method(noInput, z.array(ClusterSummarySchema)),
  'clusters.create': method(byClusterName, ClusterSchema),
  'clusters.get': method(byClusterName, ClusterSchema),
  /** Replaces the whole cluster; `revision` is the one it was read at, and a save based on an older one is refused (ClusterChanged). */
  'clusters.save': method(
    z.object({ cluster: ClusterSchema.extend({ revision: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER) }) }).strict(),
    ClusterSchema,
  ),
  /** cluster.yaml as text, for repairing a broken one in the app. */
  'clusters.readFile': method(byClusterName, z.object({ path: z.string(), text: z.string() })),
  /** Writes repaired cluster.yaml text, if it is a cluster that passes every rule. */
  'clusters.repair': method(z.object({ name: ClusterNameSchema, text: z.string().max(4 * 1024 * 1024) }).strict(), ClusterSchema),
  'clusters.remove': method(byClusterName, z.object({ removed: z.literal(true) })),
};
