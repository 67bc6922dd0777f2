import { z } from 'zod';
import { KUBERNETES_VERSIONS } from '../model/cluster';
import { DeployRunSchema } from '../model/deploy-run';
import { PlanSchema, WaivableCheckSchema } from '../model/plan';
import { ClusterNameSchema } from './clusters';
import { method } from './define';

const HostIdSchema = z.string().min(1).max(200);
const BackupIdSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{0,80}-\d{8}-\d{6}$/, 'a backup id such as "lab-20261127-031500"');

/** A day-2 operation, as the user asks for it. */
export const OperationRequestSchema = z.discriminatedUnion('kind', [
  /** An etcd snapshot copied to this computer. */
  z.object({ kind: z.literal('backup') }).strict(),
  /** Snapshots taken by a systemd timer on every etcd host, each keeping its newest `keep`; "off" removes the timer. */
  z
    .object({
      kind: z.literal('backup-schedule'),
      schedule: z.enum(['hourly', 'daily', 'weekly', 'off']),
      keep: z.number().int().min(1).max(1000).default(7),
    })
    .strict(),
  /** Every member restored from one snapshot of this cluster. */
  z.object({ kind: z.literal('restore'), backupId: BackupIdSchema }).strict(),
  /** etcd members made to match the canvas: one member added or removed. */
  z.object({ kind: z.literal('etcd-membership') }).strict(),
  /** Everything Kubesmith installed removed from these hosts. */
  z.object({ kind: z.literal('reset'), hostIds: z.array(HostIdSchema).min(1).max(500) }).strict(),
  /** Kubernetes to the next minor version: masters one at a time, then workers in batches. */
  z.object({ kind: z.literal('upgrade'), to: z.enum(KUBERNETES_VERSIONS), batch: z.number().int().min(1).max(50).default(1) }).strict(),
  /** Every leaf certificate issued again under the same CAs and installed, one host at a time. */
  z.object({ kind: z.literal('renew-certificates') }).strict(),
  /** The cluster's CAs replaced in three runs (trust both, re-issue, stop trusting the old), the cluster serving throughout. */
  z.object({ kind: z.literal('rotate-ca'), stage: z.enum(['trust-both', 'reissue', 'finish']) }).strict(),
  /** A master or node taken out: drained, deleted, cleaned; the load balancers updated. */
  z.object({ kind: z.literal('remove-host'), hostId: HostIdSchema }).strict(),
]);
export type OperationRequest = z.infer<typeof OperationRequestSchema>;
export type OperationKind = OperationRequest['kind'];

export const OperationPlanSchema = z.object({
  plan: PlanSchema,
  /** What the user must type to run it, when it destroys something (a restore, a reset). */
  confirmText: z.string().optional(),
  /** In words: what is lost or changed for good. */
  consequences: z.array(z.string()),
});
export type OperationPlan = z.infer<typeof OperationPlanSchema>;

export const BackupSchema = z.object({
  id: BackupIdSchema,
  cluster: z.string(),
  takenAt: z.string(),
  size: z.number().int().nonnegative(),
  sha256: z.string(),
  /** The member the snapshot was taken from. */
  member: z.string(),
  revision: z.number().int().nonnegative(),
  /** Where the file is on this computer. */
  path: z.string(),
});
export type Backup = z.infer<typeof BackupSchema>;

export const EtcdMemberStateSchema = z.object({
  id: z.string(),
  name: z.string(),
  peerUrl: z.string(),
  clientUrl: z.string(),
  started: z.boolean(),
  healthy: z.boolean().optional(),
  leader: z.boolean().optional(),
  version: z.string().optional(),
  dbSize: z.number().optional(),
  revision: z.number().optional(),
  error: z.string().optional(),
});
export type EtcdMemberState = z.infer<typeof EtcdMemberStateSchema>;

export const EtcdStateSchema = z.object({
  ok: z.boolean(),
  readFrom: z.string().optional(),
  clusterId: z.string().optional(),
  members: z.array(EtcdMemberStateSchema),
  error: z.string().optional(),
});
export type EtcdState = z.infer<typeof EtcdStateSchema>;

export const ClusterHealthSchema = z.object({
  at: z.string(),
  hosts: z.array(
    z.object({
      hostId: z.string(),
      hostName: z.string(),
      reachable: z.boolean(),
      error: z.string().optional(),
      /** Each unit the host's roles run, with `systemctl is-active`'s answer. */
      units: z.array(z.object({ unit: z.string(), state: z.string() })),
    }),
  ),
  etcd: EtcdStateSchema,
  nodes: z.object({
    ok: z.boolean(),
    error: z.string().optional(),
    items: z.array(z.object({ name: z.string(), ready: z.boolean(), version: z.string() })),
  }),
  certificates: z.array(z.object({ id: z.string(), subject: z.string(), notAfter: z.string(), daysLeft: z.number() })),
});
export type ClusterHealth = z.infer<typeof ClusterHealthSchema>;

const byCluster = z.object({ cluster: ClusterNameSchema }).strict();

/** How to open the cluster's Headlamp: a loopback URL tunnelled over SSH to a master, and a short-lived login token. */
export const HeadlampAccessSchema = z.object({
  url: z.string(),
  token: z.string(),
  expiresAt: z.string(),
  /** The master the tunnel goes through. */
  via: z.string(),
});
export type HeadlampAccess = z.infer<typeof HeadlampAccessSchema>;

export const operationMethods = {
  /** Reads the hosts (and etcd's membership) and returns what the operation would do, or refuses with the reason. */
  'ops.plan': method(
    z
      .object({ cluster: ClusterNameSchema, operation: OperationRequestSchema, waive: z.array(WaivableCheckSchema).max(4).optional() })
      .strict(),
    OperationPlanSchema,
  ),
  /**
   * Runs the operation on the deploy's engine; progress arrives as `deploy.run` and `log` events. `planHash` must be
   * the plan the user read; `confirm` must equal the plan's confirmText when it has one.
   */
  'ops.start': method(
    z
      .object({
        cluster: ClusterNameSchema,
        operation: OperationRequestSchema,
        planHash: z.string().min(1),
        confirm: z.string().max(300).optional(),
        mode: z.enum(['fresh', 'resume']).default('fresh'),
      })
      .strict(),
    z.object({ runId: z.string() }),
  ),
  'ops.health': method(byCluster, ClusterHealthSchema),
  /** The last finished operation run of the cluster, for a screen opened afterwards (a running one comes from deploy.status). */
  'ops.lastRun': method(byCluster, DeployRunSchema.nullable()),
  'ops.backups': method(byCluster, z.array(BackupSchema)),
  /** Mints a Headlamp login token on a master and opens (or reuses) a loopback tunnel to Headlamp through it. */
  'ops.openHeadlamp': method(byCluster, HeadlampAccessSchema),
};
