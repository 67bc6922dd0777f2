import { KubesmithError, toApiError } from '../../../src-shared/errors';
import type { Host } from '../../../src-shared/model/cluster';
import type { DeployRun, FailureCause, HostRun, RunMode } from '../../../src-shared/model/deploy-run';
import type { ShellCommand } from '../../../src-shared/model/shell-command';
import { sh } from '../../ssh/shell';
import { ALL_AT_ONCE_PHASES, type PhaseId, type Plan, type PlanJob, type PlanStep } from '../../../src-shared/model/plan';
import { batchChecks, runCommand } from './command-step';
import { ensureFile, fileStates, type FileState } from './file-step';
import type { JournalStore } from './journal';
import { runLimited, sleep } from './limit';
import { LineSplitter } from './lines';
import { jobKey, unmetNeed, type JobOutcome } from './needs';
import { StepFailedError, isAbort } from './step-error';
import type { HostTransport, TransportProvider } from './transport';
import { UNTIMED, type StepTimer } from './step-timer';

export interface RunEvents {
  /** The run's state after every change (host rows, counts). */
  onRun(run: DeployRun): void;
  onLog(hostId: string, stream: 'stdout' | 'stderr' | 'info', line: string): void;
}

export interface RunRequest {
  runId: string;
  plan: Plan;
  hosts: readonly Host[];
  transports: TransportProvider;
  journal: JournalStore;
  /** fresh: run every step (each checks the host first); resume: skip steps the journal has; retry: only `retry`. */
  mode: RunMode;
  retry?: { hostId: string; stepId: string };
  /** Hosts at once within a phase; etcd members always start together. */
  concurrency: number;
  /** Stop after this phase (the lab stops before what it cannot run). */
  stopAfter?: PhaseId;
  signal: AbortSignal;
  events: RunEvents;
  /** Seconds since the epoch, for the clock check. */
  now?: () => number;
  /** Measures each job and step (where the time goes: src-main/deploy/timings). */
  timer?: StepTimer;
}

const JOURNAL_LINES = 30;
const CONNECTION_ATTEMPTS = 3;

const isConnectionLoss = (e: unknown): boolean =>
  e instanceof KubesmithError && (e.name === 'ConnectionLost' || e.name === 'ChannelRefused');

/**
 * Runs a plan: phases in order, hosts in parallel within a phase, each host's steps in order.
 * A failed host stops only its own later jobs and the jobs that need it; everyone else carries on.
 */
export async function runDeploy(req: RunRequest): Promise<DeployRun> {
  const { plan, journal, signal, events } = req;
  const timer = req.timer ?? UNTIMED;
  const stopAt = req.stopAfter ? plan.phases.findIndex((p) => p.id === req.stopAfter) : -1;
  const phases = stopAt < 0 ? plan.phases : plan.phases.slice(0, stopAt + 1);
  const inScope = (job: PlanJob, step: PlanStep): boolean =>
    req.mode !== 'retry' || (req.retry !== undefined && job.hostId === req.retry.hostId && step.id === req.retry.stepId);

  const hostById = new Map(req.hosts.map((h) => [h.id, h]));
  const rows = new Map<string, HostRun>();
  for (const phase of phases) {
    for (const job of phase.jobs) {
      const total = job.steps.filter((s) => inScope(job, s)).length;
      if (total === 0) continue;
      const row = rows.get(job.hostId) ?? { hostId: job.hostId, hostName: job.hostName, state: 'pending', done: 0, total: 0 };
      row.total += total;
      rows.set(job.hostId, row);
    }
  }
  const run: DeployRun = {
    runId: req.runId,
    cluster: plan.cluster,
    operation: plan.operation,
    mode: req.mode,
    planHash: plan.hash,
    state: 'running',
    startedAt: new Date().toISOString(),
    hosts: [...rows.values()],
    counts: { changed: 0, unchanged: 0, journaled: 0, failed: 0 },
    bytesUploaded: 0,
  };
  const publish = (): void => events.onRun(structuredClone(run));
  const row = (hostId: string): HostRun => rows.get(hostId) as HostRun;
  const hostName = (id: string): string => rows.get(id)?.hostName ?? hostById.get(id)?.name ?? id;
  publish();

  const outcomes = new Map<string, JobOutcome>();
  /** Hosts that failed, were blocked or cancelled: none of their later jobs run. */
  const stopped = new Set<string>();
  const transports = new Map<string, HostTransport>();
  const transportFor = (hostId: string): HostTransport => {
    let t = transports.get(hostId);
    if (!t) {
      const host = hostById.get(hostId);
      if (!host) throw new Error(`runner: the plan names host ${hostId}, which the cluster does not have`);
      t = req.transports.forHost(host);
      transports.set(hostId, t);
    }
    return t;
  };

  const fail = (hostId: string, cause: FailureCause): void => {
    const r = row(hostId);
    r.state = 'failed';
    r.cause = cause;
    r.finishedAt = new Date().toISOString();
    run.counts.failed++;
    stopped.add(hostId);
  };

  const runJob = async (job: PlanJob): Promise<JobOutcome> => {
    const r = row(job.hostId);
    const t = transportFor(job.hostId);
    r.state = 'running';
    r.phase = job.phase;
    r.startedAt ??= new Date().toISOString();
    const stepTransport = (s: PlanStep): HostTransport => (s.runOn ? transportFor(s.runOn) : t);
    const prefetchable = job.steps.filter(
      (s) =>
        inScope(job, s) &&
        !s.runOn &&
        s.action.kind === 'file' &&
        !s.action.chooseBy &&
        !(req.mode === 'resume' && journal.finished(s.id, s.hash)),
    );
    const guarded = job.steps.filter(
      (s) =>
        inScope(job, s) &&
        !s.runOn &&
        s.action.kind === 'command' &&
        s.action.skipIf &&
        !(req.mode === 'resume' && journal.finished(s.id, s.hash)),
    );
    // What the host has now, read in two round trips for the whole job. Valid only while nothing in the job has
    // changed the host: after the first change, later steps check for themselves again.
    const [states, checks] = await Promise.all([
      fileStates(
        t,
        prefetchable.map((s) => (s.action as { path: string }).path),
        signal,
      ).catch(() => new Map<string, FileState>()),
      batchChecks(
        t,
        guarded.map((s) => (s.action as { skipIf: ShellCommand }).skipIf),
        signal,
      ).catch(() => undefined),
    ]);
    const knownChecks = new Map(checks ? guarded.map((s, i) => [s.id, checks[i] as boolean]) : []);
    let jobChanged = false;
    const journaled = (s: PlanStep): boolean => req.mode !== 'fresh' && req.mode !== 'retry' && journal.finished(s.id, s.hash);
    const isCheck = (s: PlanStep): boolean => s.action.kind === 'command' && s.action.check === true;

    /** Runs one step (again on a new connection when the old one dropped); resolves with whether it changed the host. */
    const attempt = async (step: PlanStep): Promise<boolean> => {
      const log = (stream: 'stdout' | 'stderr' | 'info') => new LineSplitter((line) => events.onLog(job.hostId, stream, line));
      const out = log('stdout');
      const err = log('stderr');
      const info = (line: string) => events.onLog(job.hostId, 'info', line);
      info(`▶ ${step.title}${step.runOn ? ` (on ${hostName(step.runOn)})` : ''}`);
      if (step.action.kind === 'command') info(`$ ${step.action.run}`);
      const runStep = async (): Promise<boolean> => {
        if (step.action.kind === 'file') {
          const path = step.action.path;
          // Known from the job's prefetch on the first try only; a retry looks again.
          const known = states.has(path) && !jobChanged ? { state: states.get(path) } : undefined;
          states.delete(path);
          const result = await ensureFile(stepTransport(step), step.title, step.action, signal, known);
          run.bytesUploaded += result.bytes;
          const what = `${step.action.path}${result.variant ? ` (${result.variant})` : ''}${result.bytes ? `, ${result.bytes} bytes` : ''}`;
          info(`${result.changed ? 'wrote' : 'unchanged'} ${what}`);
          return result.changed;
        }
        const result = await runCommand(stepTransport(step), step.title, step.action, {
          signal,
          onStdout: (c) => out.push(c),
          onStderr: (c) => err.push(c),
          onInfo: info,
          ...(req.now ? { now: req.now } : {}),
          ...(!jobChanged && knownChecks.has(step.id) ? { skipKnown: knownChecks.get(step.id) } : {}),
        });
        knownChecks.delete(step.id);
        if (step.action.uniqueAcrossHosts)
          identities.set(job.hostId, { stepId: step.id, lines: result.stdout.trim().split('\n').filter(Boolean) });
        return result.changed;
      };
      try {
        // Every step is idempotent, so one that lost its connection halfway is simply run again on a new one.
        for (let n = 1; ; n++) {
          try {
            return await runStep();
          } catch (e) {
            if (n >= CONNECTION_ATTEMPTS || signal.aborted || !isConnectionLoss(e)) throw e;
            info(`connection lost (${toApiError(e).message}); trying the step again`);
            await sleep(1000, signal);
          }
        }
      } finally {
        out.flush();
        err.flush();
      }
    };

    for (let i = 0; i < job.steps.length; i++) {
      const step = job.steps[i] as PlanStep;
      if (!inScope(job, step)) continue;
      if (signal.aborted) return 'cancelled';
      r.stepId = step.id;
      r.stepTitle = step.title;
      publish();
      if (journaled(step)) {
        r.done++;
        run.counts.journaled++;
        continue;
      }
      // Checks in a row change nothing and depend on nothing but the steps before them: they run at once, each
      // on its own channel, instead of one round trip after another.
      const group = [step];
      while (isCheck(step) && i + 1 < job.steps.length) {
        const next = job.steps[i + 1] as PlanStep;
        if (!isCheck(next) || !inScope(job, next) || journaled(next)) break;
        group.push(next);
        i++;
      }
      const results = await Promise.allSettled(group.map((s) => timer.step(job, s, () => attempt(s))));
      for (const [k, result] of results.entries()) {
        const s = group[k] as PlanStep;
        if (result.status === 'fulfilled') {
          run.counts[result.value ? 'changed' : 'unchanged']++;
          if (result.value) jobChanged = true;
          journal.record(s.id, s.hash);
          r.done++;
          continue;
        }
        const e: unknown = result.reason;
        if (signal.aborted || isAbort(e)) {
          events.onLog(job.hostId, 'info', `cancelled during ${s.title}`);
          r.state = 'cancelled';
          r.finishedAt = new Date().toISOString();
          stopped.add(job.hostId);
          return 'cancelled';
        }
        r.stepId = s.id;
        r.stepTitle = s.title;
        const cause = await describeFailure(stepTransport(s), s, e);
        events.onLog(job.hostId, 'info', `✗ ${cause.message}`);
        fail(job.hostId, cause);
        publish();
        return 'failed';
      }
    }
    return 'succeeded';
  };

  const identities = new Map<string, { stepId: string; lines: string[] }>();

  for (const phase of phases) {
    if (signal.aborted) break;
    const runnable: PlanJob[] = [];
    for (const job of phase.jobs) {
      if (!job.steps.some((s) => inScope(job, s))) continue;
      if (stopped.has(job.hostId)) {
        outcomes.set(jobKey(phase.id, job.hostId), 'blocked');
        continue;
      }
      const unmet = req.mode === 'retry' ? undefined : unmetNeed(job.needs, outcomes, hostName);
      if (unmet) {
        const r = row(job.hostId);
        r.state = 'blocked';
        r.phase = phase.id;
        r.blockedBy = `${phase.id} ${unmet}`;
        r.finishedAt = new Date().toISOString();
        stopped.add(job.hostId);
        outcomes.set(jobKey(phase.id, job.hostId), 'blocked');
        events.onLog(job.hostId, 'info', `blocked: ${r.blockedBy}`);
        continue;
      }
      runnable.push(job);
    }
    publish();
    // etcd members wait for each other to form a quorum: they must all be running at once.
    const limit = ALL_AT_ONCE_PHASES.has(phase.id) ? Math.max(req.concurrency, runnable.length) : req.concurrency;
    const batches = phase.batch ? chunks(runnable, phase.batch) : [runnable];
    for (const [i, batch] of batches.entries()) {
      await runLimited(batch, limit, async (job) => {
        outcomes.set(jobKey(phase.id, job.hostId), await timer.job(job, () => runJob(job)));
      });
      const failed = batch.filter((j) => outcomes.get(jobKey(phase.id, j.hostId)) !== 'succeeded');
      if (failed.length === 0 || signal.aborted) continue;
      const why = `${phase.id} stopped after ${failed.map((j) => j.hostName).join(', ')} failed; these hosts were left as they were`;
      for (const job of batches.slice(i + 1).flat()) {
        const r = row(job.hostId);
        r.state = 'blocked';
        r.phase = phase.id;
        r.blockedBy = why;
        r.finishedAt = new Date().toISOString();
        stopped.add(job.hostId);
        outcomes.set(jobKey(phase.id, job.hostId), 'blocked');
        events.onLog(job.hostId, 'info', `blocked: ${why}`);
      }
      break;
    }
    if (phase.id === 'preflight')
      checkIdentities(identities, hostName, (hostId, stepId, cause) => {
        journal.forget(stepId);
        fail(hostId, cause);
        outcomes.set(jobKey(phase.id, hostId), 'failed');
      });
    identities.clear();
    publish();
  }

  for (const r of rows.values()) {
    if (r.state === 'running' || r.state === 'pending') {
      if (signal.aborted) {
        r.state = 'cancelled';
      } else if (stopped.has(r.hostId)) {
        r.state = 'blocked';
      } else {
        r.state = 'succeeded';
        r.stepId = undefined;
        r.stepTitle = undefined;
      }
      r.finishedAt ??= new Date().toISOString();
    }
  }
  const states = [...rows.values()].map((r) => r.state);
  run.state = signal.aborted ? 'cancelled' : states.some((s) => s === 'failed' || s === 'blocked') ? 'failed' : 'succeeded';
  run.finishedAt = new Date().toISOString();
  journal.setLastRun(run);
  await journal.flush();
  await req.transports.close().catch(() => undefined);
  publish();
  return structuredClone(run);
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** The error as the UI shows it, with the last journal lines of the unit the step is about. */
async function describeFailure(t: HostTransport, step: PlanStep, error: unknown): Promise<FailureCause> {
  const api = toApiError(error);
  const cause: FailureCause = {
    stepId: step.id,
    stepTitle: step.title,
    name: api.name,
    message: api.message,
    ...(api.hint ? { hint: api.hint } : {}),
  };
  if (error instanceof StepFailedError) {
    cause.command = error.command;
    if (error.exitCode !== null) cause.exitCode = error.exitCode;
    const stderr = (error.stderr || error.stdout).trim();
    if (stderr) cause.stderr = stderr.split('\n').slice(-40).join('\n');
  }
  const unit = step.action.kind === 'command' ? step.action.unit : undefined;
  // Reading the journal needs the host; after a lost connection that would only fail again.
  if (unit && error instanceof StepFailedError) {
    cause.unit = unit;
    try {
      const j = await t.exec(sh`journalctl -u ${unit} -n ${JOURNAL_LINES} --no-pager`.command, { timeoutMs: 15_000 });
      cause.journal = (j.stdout || j.stderr).trim();
    } catch (e) {
      cause.journal = `(could not read the journal: ${toApiError(e).message})`;
    }
  }
  return cause;
}

/** Cloned VMs share machine ids and MACs, which breaks Kubernetes quietly; say so before anything is installed. */
function checkIdentities(
  identities: Map<string, { stepId: string; lines: string[] }>,
  hostName: (id: string) => string,
  fail: (hostId: string, stepId: string, cause: FailureCause) => void,
): void {
  const owners = new Map<string, string[]>();
  for (const [hostId, { lines }] of identities) for (const line of new Set(lines)) owners.set(line, [...(owners.get(line) ?? []), hostId]);
  for (const [hostId, { stepId }] of identities) {
    const dupes = [...owners.entries()].filter(([, ids]) => ids.length > 1 && ids.includes(hostId));
    if (dupes.length === 0) continue;
    const [value, ids] = dupes[0] as [string, string[]];
    const others = ids
      .filter((id) => id !== hostId)
      .map(hostName)
      .join(', ');
    fail(hostId, stepId, {
      stepId,
      stepTitle: 'Unique machine id and MAC addresses',
      name: 'DuplicateIdentity',
      message: `${hostName(hostId)} shares ${/^[0-9a-f]{32}$/.test(value) ? 'its machine id' : `MAC address ${value}`} with ${others}.`,
      hint: 'Cloned VMs need their own identity: regenerate /etc/machine-id (systemd-machine-id-setup) and give each VM its own MAC address.',
    });
  }
}
