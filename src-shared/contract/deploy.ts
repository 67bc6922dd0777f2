import { z } from 'zod';
import { DeployRunSchema } from '../model/deploy-run';
import { RunTimingsSchema } from '../model/run-timings';
import { LogLineSchema } from './events';
import { PhaseIdSchema, PlanSchema, WaivableCheckSchema } from '../model/plan';
import { ClusterNameSchema } from './clusters';
import { method } from './define';

const byCluster = z.object({ cluster: ClusterNameSchema }).strict();
/** Preflight checks the user waives for this run; the plan lists them as warnings. */
const Waive = z.array(WaivableCheckSchema).max(4).optional();

export const StepDiffSchema = z.object({
  stepId: z.string(),
  path: z.string(),
  /** Whether the host has the file now. */
  exists: z.boolean(),
  unchanged: z.boolean(),
  /** Line diff (-/+), empty when unchanged; secrets and binaries are compared by SHA-256 only. */
  diff: z.string(),
  comparedBy: z.enum(['content', 'sha256']),
  variant: z.string().optional(),
});
export type StepDiff = z.infer<typeof StepDiffSchema>;

export const DeployStatusSchema = z.object({
  /** The run going on now, or the last one the journal remembers. */
  run: DeployRunSchema.nullable(),
  running: z.boolean(),
  /** Steps the journal has as finished (for "Resume" to make sense). */
  journaledSteps: z.number().int().nonnegative(),
});
export type DeployStatus = z.infer<typeof DeployStatusSchema>;

export const deployMethods = {
  /** The plan, built from the cluster, its PKI and the binary source; may download binaries first (progress events). */
  'deploy.plan': method(z.object({ cluster: ClusterNameSchema, waive: Waive }).strict(), PlanSchema),
  /** What a file step would change on its host, read over SSH. */
  'deploy.diff': method(z.object({ cluster: ClusterNameSchema, stepId: z.string().min(1).max(300) }).strict(), StepDiffSchema),
  /**
   * Starts a deploy in the background; progress arrives as `deploy.run` and `log` events. `planHash`, when
   * given, must be the hash of the plan the user read: a cluster changed since is refused.
   */
  'deploy.start': method(
    z
      .object({
        cluster: ClusterNameSchema,
        mode: z.enum(['fresh', 'resume']).default('fresh'),
        concurrency: z.number().int().min(1).max(64).optional(),
        stopAfter: PhaseIdSchema.optional(),
        planHash: z.string().optional(),
        waive: Waive,
      })
      .strict(),
    z.object({ runId: z.string() }),
  ),
  /** Runs one failed step again on its host. */
  'deploy.retryStep': method(
    z.object({ cluster: ClusterNameSchema, hostId: z.string().min(1), stepId: z.string().min(1) }).strict(),
    z.object({ runId: z.string() }),
  ),
  'deploy.cancel': method(byCluster, z.object({ cancelled: z.boolean() })),
  'deploy.status': method(byCluster, DeployStatusSchema),
  /** Where the time of the last finished run (deploy or operation) went; null before any run kept one. */
  'deploy.timings': method(byCluster, RunTimingsSchema.nullable()),
  /** The log of a host in the current (or last) run, for a window that opens mid-run. */
  'deploy.logs': method(z.object({ cluster: ClusterNameSchema, hostId: z.string().min(1) }).strict(), z.array(LogLineSchema)),
  /** The admin kubeconfig (server: the first master), merged into ~/.kube/config or saved as a file. */
  'deploy.exportKubeconfig': method(
    z
      .object({
        cluster: ClusterNameSchema,
        target: z.discriminatedUnion('kind', [
          z.object({ kind: z.literal('merge') }),
          z.object({ kind: z.literal('file'), path: z.string().min(1) }),
        ]),
      })
      .strict(),
    z.object({ path: z.string(), context: z.string() }),
  ),
};
