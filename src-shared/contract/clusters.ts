import { z } from 'zod';
import { ClusterSchema } from '../model/cluster';
import { noInput } from './app';
import { method } from './define';

export const ClusterNameSchema = ClusterSchema.shape.name;

export const ClusterSummarySchema = z.object({
  name: z.string(),
  hostCount: z.number().int().nonnegative(),
  updatedAt: z.string(),
});
export type ClusterSummary = z.infer<typeof ClusterSummarySchema>;

export const byClusterName = z.object({ name: ClusterNameSchema }).strict();

export const clusterMethods = {
  'clusters.list': method(noInput, z.array(ClusterSummarySchema)),
  'clusters.create': method(byClusterName, ClusterSchema),
  'clusters.get': method(byClusterName, ClusterSchema),
  'clusters.save': method(z.object({ cluster: ClusterSchema }).strict(), ClusterSchema),
  'clusters.remove': method(byClusterName, z.object({ removed: z.literal(true) })),
};
