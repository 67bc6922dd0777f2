import { z } from 'zod';
import { OperationSchema, PhaseIdSchema } from './plan';

/** Why a host's step failed, as the Deploy screen shows it. */
export const FailureCauseSchema = z.object({
  stepId: z.string(),
  stepTitle: z.string(),
  name: z.string(),
  message: z.string(),
  hint: z.string().optional(),
  command: z.string().optional(),
  exitCode: z.number().int().optional(),
  stderr: z.string().optional(),
  /** The unit whose journal was read, and its last lines. */
  unit: z.string().optional(),
  journal: z.string().optional(),
});
export type FailureCause = z.infer<typeof FailureCauseSchema>;

export const HostRunStateSchema = z.enum(['pending', 'running', 'succeeded', 'failed', 'blocked', 'cancelled']);
export type HostRunState = z.infer<typeof HostRunStateSchema>;

/** The upload a host is receiving now (direct or staged for the relay): bytes on the host so far, speed, time left. */
export const HostTransferSchema = z.object({
  path: z.string(),
  doneBytes: z.number().int().nonnegative(),
  totalBytes: z.number().int().nonnegative(),
  /** Over the last few seconds; 0 before there is a measure. */
  bytesPerSecond: z.number().nonnegative(),
  /** Absent while the speed is not known yet. */
  secondsLeft: z.number().nonnegative().optional(),
});
export type HostTransfer = z.infer<typeof HostTransferSchema>;

export const HostRunSchema = z.object({
  hostId: z.string(),
  hostName: z.string(),
  state: HostRunStateSchema,
  phase: PhaseIdSchema.optional(),
  stepId: z.string().optional(),
  stepTitle: z.string().optional(),
  /** Steps of this host settled (run, unchanged or already journaled), out of all its steps. */
  done: z.number().int().nonnegative(),
  total: z.number().int().nonnegative(),
  startedAt: z.string().optional(),
  finishedAt: z.string().optional(),
  cause: FailureCauseSchema.optional(),
  /** For a blocked host: which hosts' failures stopped it, in words. */
  blockedBy: z.string().optional(),
  /** While a file step's bytes travel to the host (a few updates a second at most). */
  transfer: HostTransferSchema.optional(),
});
export type HostRun = z.infer<typeof HostRunSchema>;

export const RunStateSchema = z.enum(['running', 'succeeded', 'failed', 'cancelled']);
export type RunState = z.infer<typeof RunStateSchema>;

export const RunModeSchema = z.enum(['fresh', 'resume', 'retry']);
export type RunMode = z.infer<typeof RunModeSchema>;

export const DeployRunSchema = z.object({
  runId: z.string(),
  cluster: z.string(),
  /** Absent in journals written before day-2 operations existed: a deploy. */
  operation: OperationSchema.optional(),
  mode: RunModeSchema,
  planHash: z.string(),
  state: RunStateSchema,
  startedAt: z.string(),
  finishedAt: z.string().optional(),
  hosts: z.array(HostRunSchema),
  /** Steps that changed something, found nothing to do, or were skipped because the journal had them. */
  counts: z.object({ changed: z.number().int(), unchanged: z.number().int(), journaled: z.number().int(), failed: z.number().int() }),
  bytesUploaded: z.number().int().nonnegative(),
  /** What failed on this computer after the hosts' part (an operation's local work), when that is why it failed. */
  error: z.object({ name: z.string(), message: z.string(), hint: z.string().optional() }).optional(),
});
export type DeployRun = z.infer<typeof DeployRunSchema>;

/** state/deploy-journal.json: which steps finished, with the hash of what they did. */
export const DeployJournalSchema = z.object({
  version: z.literal(1),
  cluster: z.string(),
  steps: z.record(z.string(), z.object({ hash: z.string(), at: z.string() })),
  lastRun: DeployRunSchema.optional(),
});
export type DeployJournal = z.infer<typeof DeployJournalSchema>;
