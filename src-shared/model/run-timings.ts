import { z } from 'zod';
import { OperationSchema, PhaseIdSchema } from './plan';

/**
 * Where one run's time went. `wallMs` is elapsed time; `remoteMs` time in commands and uploads on hosts (after
 * their waits); `waitMs` time waiting for an SSH connection (connect, login, sudo check) or a session channel (the
 * server's MaxSessions); `localMs` work on this computer (hashing, rendering the plan); `bytes` what was sent to
 * hosts; `roundTrips` commands and uploads started. Wall time beyond the rest is the engine's own (retry pauses).
 * Sums over parallel work (a phase's hosts) can exceed the wall time.
 */
export const TimingFiguresSchema = z.object({
  wallMs: z.number().nonnegative(),
  remoteMs: z.number().nonnegative(),
  waitMs: z.number().nonnegative(),
  localMs: z.number().nonnegative(),
  bytes: z.number().int().nonnegative(),
  roundTrips: z.number().int().nonnegative(),
});
export type TimingFigures = z.infer<typeof TimingFiguresSchema>;

export const StepTimingSchema = TimingFiguresSchema.extend({
  phase: PhaseIdSchema,
  hostId: z.string(),
  hostName: z.string(),
  stepId: z.string(),
  title: z.string(),
});
export type StepTiming = z.infer<typeof StepTimingSchema>;

/** A phase: wall from its first job's start to its last job's end; the rest summed over its hosts. */
export const PhaseTimingSchema = TimingFiguresSchema.extend({ phase: PhaseIdSchema, hosts: z.number().int().nonnegative() });
export type PhaseTiming = z.infer<typeof PhaseTimingSchema>;

/**
 * A host: wall is the time its jobs ran; `idleMs` the time between its first job's start and its last job's end
 * when none of its jobs ran (waiting for other hosts to finish a phase).
 */
export const HostTimingSchema = TimingFiguresSchema.extend({ hostId: z.string(), hostName: z.string(), idleMs: z.number().nonnegative() });
export type HostTiming = z.infer<typeof HostTimingSchema>;

/** state/run-timings.json and `deploy.timings`: the breakdown of the last finished run of a cluster. */
export const RunTimingsSchema = z.object({
  runId: z.string(),
  cluster: z.string(),
  operation: OperationSchema.optional(),
  startedAt: z.string(),
  finishedAt: z.string(),
  /** From the start (plan built again, certificates) to the end. */
  totalMs: z.number().nonnegative(),
  /** Building the plan before the run, and the part of it spent on this computer hashing and rendering. */
  beforeRun: z.object({ wallMs: z.number().nonnegative(), localMs: z.number().nonnegative() }),
  phases: z.array(PhaseTimingSchema),
  hosts: z.array(HostTimingSchema),
  /** The slowest steps (at most STEP_LIMIT), slowest first. */
  steps: z.array(StepTimingSchema),
  /** How many steps ran in all (more than `steps` holds on a large cluster). */
  stepCount: z.number().int().nonnegative(),
});
export type RunTimings = z.infer<typeof RunTimingsSchema>;

/** Steps kept in a breakdown: enough for the slowest of a large run without a file of megabytes. */
export const STEP_LIMIT = 200;

/** Rows with the longest wall time first (ties keep their order), for the Deploy screen and the bench. */
export function slowestFirst<T extends { wallMs: number }>(rows: readonly T[]): T[] {
  return rows
    .map((row, i) => ({ row, i }))
    .sort((a, b) => b.row.wallMs - a.row.wallMs || a.i - b.i)
    .map(({ row }) => row);
}
