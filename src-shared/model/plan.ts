import { z } from 'zod';
import { ShellCommandSchema } from './shell-command';
import { IssueReasonSchema } from './pki';

/** The deploy's phases, in the order they run. */
export const PHASES = [
  'preflight',
  'prepare',
  'binaries',
  'etcd',
  'runtime',
  'load-balancer',
  'control-plane',
  'nodes',
  'addons',
  'verify',
] as const;
/** Phases of day-2 operations (backup, restore, etcd membership, reset, host removal), which run on the same engine. */
export const OPERATION_PHASES = [
  'check',
  'backup',
  'stop-apiservers',
  'restore',
  'start-etcd',
  'start-apiservers',
  'etcd-member',
  'drain',
  'reset',
  'renew',
] as const;
export const PhaseIdSchema = z.enum([...PHASES, ...OPERATION_PHASES]);
/** Phases whose hosts must all run at once: etcd members wait for each other to form a quorum. */
export const ALL_AT_ONCE_PHASES: ReadonlySet<string> = new Set(['etcd', 'start-etcd']);

/** What a plan does: the deploy, or one day-2 operation. */
export const OPERATIONS = [
  'deploy',
  'backup',
  'restore',
  'etcd-membership',
  'reset',
  'remove-host',
  'upgrade',
  'renew-certificates',
  'backup-schedule',
  'rotate-ca',
] as const;
export const OperationSchema = z.enum(OPERATIONS);
export type Operation = z.infer<typeof OperationSchema>;

/** Preflight checks the user may waive for a run (the plan says so in its warnings). */
export const WAIVABLE_CHECKS = ['cgroup2', 'resources', 'clock', 'ports'] as const;
export const WaivableCheckSchema = z.enum(WAIVABLE_CHECKS);
export type WaivableCheck = z.infer<typeof WaivableCheckSchema>;
export type PhaseId = z.infer<typeof PhaseIdSchema>;
export type DeployPhaseId = (typeof PHASES)[number];

/** A file the step puts on the host. Secret files (keys, kubeconfigs) never carry their content to the renderer. */
export const FileActionSchema = z.object({
  kind: z.literal('file'),
  path: z.string(),
  mode: z.string().regex(/^0[0-7]{3}$/),
  sha256: z.string(),
  size: z.number().int().nonnegative(),
  secret: z.boolean(),
  /** Text content, for the plan view and its diff; absent for binaries and secrets. */
  text: z.string().optional(),
  /** Where a binary comes from on this computer (cache or offline bundle). */
  localPath: z.string().optional(),
  /**
   * The file has variants, and this command picks one on the host (its output is matched against each
   * variant's pattern, first match wins). The plan shows every variant.
   */
  chooseBy: ShellCommandSchema.optional(),
  /**
   * The one file (a binary) chooseBy's answer depends on, as `etcd --version` on etcd: the host keeps the answer and
   * gives it again until that file changes, instead of starting the program on every run.
   */
  chooseByReads: z.string().optional(),
  variants: z
    .array(z.object({ match: z.string(), label: z.string(), sha256: z.string(), size: z.number().int(), text: z.string().optional() }))
    .optional(),
});
export type FileAction = z.infer<typeof FileActionSchema>;

export const CommandActionSchema = z.object({
  kind: z.literal('command'),
  /** Runs as root (through sudo when the host needs it). */
  run: ShellCommandSchema,
  /** When this exits 0 the step has nothing to do and `run` is not executed. */
  skipIf: ShellCommandSchema.optional(),
  /**
   * Repeats `run` until it succeeds: for waits (quorum, readiness). With `pollMs` each attempt asks on the host for
   * `intervalMs`, the pauses starting at `pollMs` and doubling (one round trip per interval; poll-on-host.ts); without
   * it this computer asks once per attempt, the pauses growing to `intervalMs`.
   */
  retry: z
    .object({
      attempts: z.number().int().positive(),
      intervalMs: z.number().int().positive(),
      pollMs: z.number().int().positive().optional(),
    })
    .optional(),
  /** A systemd unit whose journal explains a failure of this step. */
  unit: z.string().optional(),
  timeoutMs: z.number().int().positive().optional(),
  /** The step prints the host's clock (seconds since the epoch); it fails when that is this far from ours. */
  clockSkewMaxSeconds: z.number().positive().optional(),
  /** The step prints identifiers (machine id, MAC addresses) that must differ between hosts; the runner compares them. */
  uniqueAcrossHosts: z.boolean().optional(),
  /** It only reads (a check): consecutive checks of a job run at once. */
  check: z.boolean().optional(),
});
export type CommandAction = z.infer<typeof CommandActionSchema>;

export const StepActionSchema = z.discriminatedUnion('kind', [FileActionSchema, CommandActionSchema]);
export type StepAction = z.infer<typeof StepActionSchema>;

export const PlanStepSchema = z.object({
  /** Stable across plans of the same cluster: phase/host/name. */
  id: z.string(),
  title: z.string(),
  action: StepActionSchema,
  /** Hash of everything the step does; the journal keys on it, so a changed step runs again on resume. */
  hash: z.string(),
  /**
   * The host the step runs on, when not the job's own: a drain runs on a master (where kubectl has the admin
   * credentials) in the middle of a worker's job.
   */
  runOn: z.string().optional(),
});
export type PlanStep = z.infer<typeof PlanStepSchema>;

/**
 * What a host's job in a phase needs from other hosts' jobs: all of them, any one, or a majority
 * (etcd quorum). A job whose needs cannot be met is blocked, and the UI says by which hosts.
 */
export const NeedSchema = z.object({
  phase: PhaseIdSchema,
  hostIds: z.array(z.string()),
  quantity: z.enum(['all', 'any', 'majority']),
});
export type Need = z.infer<typeof NeedSchema>;

export const PlanJobSchema = z.object({
  phase: PhaseIdSchema,
  hostId: z.string(),
  hostName: z.string(),
  steps: z.array(PlanStepSchema),
  needs: z.array(NeedSchema),
  /**
   * Other hosts' jobs that must have settled (whatever their outcome) before this one starts: an order, not a need.
   * Workers upload their binaries after the hosts whose later jobs everyone waits for.
   */
  after: z.array(z.object({ phase: PhaseIdSchema, hostIds: z.array(z.string()) })).optional(),
});
export type PlanJob = z.infer<typeof PlanJobSchema>;

export const PlanCertificatesSchema = z.object({
  issued: z.array(z.object({ id: z.string(), reason: IssueReasonSchema })),
});
export type PlanCertificates = z.infer<typeof PlanCertificatesSchema>;

/**
 * How the artifacts (binaries, packages, image archives) reach each host: a host on the relay route fetches them over
 * the LAN from the relay host (which receives them once from this computer), the others receive them directly.
 * With the cluster's artifactTransfer "hostsDownload", each host downloads the binaries the source has itself
 * (`downloads`, from `source`); `files` and `bytes` are then what still comes from this computer (packages, images,
 * and any file whose download fails, which falls back to the route `via`).
 */
export const PlanTransferSchema = z.object({
  relay: z.object({ hostId: z.string(), hostName: z.string() }).optional(),
  /** Where the hosts download from (the mirror prefix, or the official sites' names). */
  source: z.string().optional(),
  routes: z.array(
    z.object({
      hostId: z.string(),
      hostName: z.string(),
      via: z.enum(['direct', 'relay']),
      files: z.number().int().nonnegative(),
      bytes: z.number().int().nonnegative(),
      downloads: z.object({ files: z.number().int().nonnegative(), bytes: z.number().int().nonnegative() }).optional(),
    }),
  ),
});
export type PlanTransfer = z.infer<typeof PlanTransferSchema>;

export const PlanSchema = z.object({
  cluster: z.string(),
  operation: OperationSchema,
  kubernetesVersion: z.string(),
  createdAt: z.string(),
  /** Hash over every step hash: two plans with the same hash do the same thing. */
  hash: z.string(),
  phases: z.array(
    z.object({
      id: PhaseIdSchema,
      jobs: z.array(PlanJobSchema),
      /**
       * Hosts go in batches of this size, each only after the one before succeeded; the first failure stops the
       * phase and the hosts not yet started are left as they are (a rolling upgrade that keeps the cluster serving).
       */
      batch: z.number().int().positive().optional(),
      /**
       * The earlier phases whose jobs on every host this phase waits for. Absent: every earlier phase (a barrier).
       * A job also waits for its own host's earlier jobs and for its `needs` (src-main/deploy/README.md, Running).
       */
      after: z.array(PhaseIdSchema).optional(),
    }),
  ),
  /**
   * The deploy's first step, on this computer: the cluster PKI is missing or stale for the topology, so the run
   * makes these certificates (kept in pki/) before any upload. Absent when pki/ is complete and current.
   */
  certificates: PlanCertificatesSchema.optional(),
  /** Things the user should know before running (e.g. an add-on that is left out). */
  warnings: z.array(z.string()),
  /** How artifacts travel (absent in plans that upload none). */
  transfer: PlanTransferSchema.optional(),
  /**
   * Steps the journal has as done with this very hash: nothing about them changed since the last run, and a Resume
   * skips them. What remains is what a change of the cluster (a host added, a setting changed) does.
   */
  unchanged: z.array(z.string()).optional(),
});
export type Plan = z.infer<typeof PlanSchema>;

export function planSteps(plan: Plan): Array<PlanStep & { phase: PhaseId; hostId: string }> {
  return plan.phases.flatMap((p) => p.jobs.flatMap((j) => j.steps.map((s) => ({ ...s, phase: p.id, hostId: j.hostId }))));
}

/** The copy of a plan the renderer gets: secrets and binary paths stay behind. */
export function planForView(plan: Plan): Plan {
  return {
    ...plan,
    phases: plan.phases.map((p) => ({
      ...p,
      jobs: p.jobs.map((j) => ({
        ...j,
        steps: j.steps.map((s) => {
          if (s.action.kind !== 'file') return s;
          const { localPath: _localPath, ...rest } = s.action;
          if (!s.action.secret) return { ...s, action: rest };
          const { text: _text, ...noText } = rest;
          return { ...s, action: { ...noText, variants: rest.variants?.map(({ text: _t, ...v }) => v) } };
        }),
      })),
    })),
  };
}
