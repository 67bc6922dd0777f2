import { toApiError } from '../../../src-shared/errors';
import type { FailureCause } from '../../../src-shared/model/deploy-run';
import type { FileAction, PlanJob, PlanStep } from '../../../src-shared/model/plan';
import { sh } from '../../ssh/shell';
import { assertClockWithin, runCommand } from './command-step';
import { ensureFile } from './file-step';
import type { HostPrefetcher } from './host-prefetch';
import { snapshot, type HostSnapshot } from './job-snapshot';
import { sleep } from './limit';
import { LineSplitter } from './lines';
import type { JobOutcome } from './needs';
import type { RunContext } from './run-context';
import { StepFailedError, isAbort, isConnectionLoss } from './step-error';
import type { HostTransport, UploadOutcome, UploadProgress } from './transport';
import { TransferMeter } from './transfer-meter';
import { UNTIMED, type StepTimer } from './step-timer';
import { mustUpload, mustWrite, writeBatch, type BatchOutcome } from './write-batch';

const JOURNAL_LINES = 30;
const CONNECTION_ATTEMPTS = 3;

/** Runs one step once; resolves with whether it changed the host. */
async function runStep(ctx: RunContext, job: PlanJob, step: PlanStep, known: HostSnapshot, io: StepIo): Promise<boolean> {
  const { signal, now } = ctx.req;
  const t = ctx.transportFor(step.runOn ?? job.hostId);
  if (step.action.kind === 'file') {
    const action = step.action;
    const path = action.path;
    // Known from the job's snapshot on the first try only; a retry looks again. After a change in the job the
    // snapshot may be out of date, yet a file it found missing or different is written all the same: the write makes
    // it right whatever happened since, where a second look cost a round trip per file (an artifact's presence check
    // and then its fetch: two commands each on a first run). A file it found in place is looked at again.
    const fresh = !known.stale;
    const snapped = known.files.has(path) ? { state: known.files.get(path) } : undefined;
    const differs = snapped !== undefined && !action.chooseBy && snapped.state?.sha256 !== action.sha256;
    const state = snapped && (fresh || differs) ? snapped : undefined;
    const chosen = fresh ? known.chosen.get(step.id) : undefined;
    known.files.delete(path);
    known.chosen.delete(step.id);
    const knownHere = state && { ...state, ...(chosen !== undefined ? { chosen } : {}) };
    const result = await withTransferRow(ctx, job.hostId, path, io, (onProgress) =>
      ensureFile(t, step.title, action, signal, knownHere, onProgress),
    );
    ctx.run.bytesUploaded += result.bytes;
    const what = `${step.action.path}${result.variant ? ` (${result.variant})` : ''}${result.bytes ? `, ${result.bytes} bytes` : ''}`;
    io.info(`${result.changed ? 'wrote' : 'unchanged'} ${what}`);
    return result.changed;
  }
  const ran = known.stale ? undefined : known.ran.get(step.id);
  known.ran.delete(step.id);
  // A clock check's answer holds only with the time it was asked.
  if (ran?.code === 0 && (step.action.clockSkewMaxSeconds === undefined || ran.askedBetween)) {
    // Passed in the job's probe, and nothing in the job has changed the host since.
    if (ran.output) io.out.push(Buffer.from(`${ran.output}\n`));
    if (ran.askedBetween) assertClockWithin(step.action, ran.output, ...ran.askedBetween);
    keepIdentity(ctx, job, step, ran.output);
    io.info("passed (checked in the job's first round trip; nothing changed since)");
    return false;
  }
  const result = await runCommand(t, step.title, step.action, {
    signal,
    onStdout: (c) => io.out.push(c),
    onStderr: (c) => io.err.push(c),
    onInfo: io.info,
    ...(now ? { now } : {}),
    ...(!known.stale && known.checks.has(step.id) ? { skipKnown: known.checks.get(step.id) } : {}),
  });
  known.checks.delete(step.id);
  keepIdentity(ctx, job, step, result.stdout);
  return result.changed;
}

/** What an identity step printed, each line a name no other host may share (checked once every host answered). */
function keepIdentity(ctx: RunContext, job: PlanJob, step: PlanStep, stdout: string): void {
  if (step.action.kind === 'command' && step.action.uniqueAcrossHosts)
    ctx.identities.set(job.hostId, { stepId: step.id, lines: stdout.trim().split('\n').filter(Boolean) });
}

/**
 * Shows the step's upload on the host's row (bytes, speed, time left) while it runs, and says in the log when it
 * continues a cut upload; the row loses it when the step ends, either way.
 */
async function withTransferRow<T>(
  ctx: RunContext,
  hostId: string,
  path: string,
  io: StepIo | undefined,
  fn: (onProgress: UploadProgress) => Promise<T>,
): Promise<T> {
  const row = ctx.row(hostId);
  const meter = new TransferMeter(
    (sample) => {
      row.transfer = { path, ...sample };
      ctx.publish();
    },
    ctx.req.transferClock ? { now: ctx.req.transferClock } : {},
  );
  let started = false;
  try {
    return await fn((done, total) => {
      if (!started && done > 0) io?.info(`continuing the upload of ${path} at ${done} of ${total} bytes`);
      started = true;
      meter.update(done, total);
    });
  } finally {
    if (row.transfer) {
      delete row.transfer;
      ctx.publish();
    }
  }
}

interface StepIo {
  out: LineSplitter;
  err: LineSplitter;
  info: (line: string) => void;
}

/** Runs one step, again on a new connection when the old one dropped (every step is idempotent). */
async function attemptStep(ctx: RunContext, job: PlanJob, step: PlanStep, known: HostSnapshot): Promise<boolean> {
  const { events, signal } = ctx.req;
  const info = (line: string) => events.onLog(job.hostId, 'info', line);
  const io: StepIo = {
    out: new LineSplitter((line) => events.onLog(job.hostId, 'stdout', line)),
    err: new LineSplitter((line) => events.onLog(job.hostId, 'stderr', line)),
    info,
  };
  info(`▶ ${step.title}${step.runOn ? ` (on ${ctx.hostName(step.runOn)})` : ''}`);
  if (step.action.kind === 'command') info(`$ ${step.action.run}`);
  try {
    for (let n = 1; ; n++) {
      try {
        return await runStep(ctx, job, step, known, io);
      } catch (e) {
        if (n >= CONNECTION_ATTEMPTS || signal.aborted || !isConnectionLoss(e)) throw e;
        info(`connection lost (${toApiError(e).message}); trying the step again`);
        await sleep(1000, signal);
      }
    }
  } finally {
    io.out.flush();
    io.err.flush();
  }
}

/**
 * The steps to run next from index i: one step, checks in a row, or writes in a row. Checks change nothing and
 * depend on nothing but the steps before them: they run at once, each on its own channel, instead of one round trip
 * after another. Text files the job's snapshot found missing or different, in a row, are written by one command;
 * artifacts it found lacking, in a row, go to the transport together (the relay fetches them with one command).
 */
function nextGroup(
  ctx: RunContext,
  job: PlanJob,
  i: number,
  journaled: (s: PlanStep) => boolean,
  known: HostSnapshot,
): { kind: 'one' | 'checks' | 'writes' | 'uploads'; steps: PlanStep[] } {
  const isCheck = (s: PlanStep): boolean => s.action.kind === 'command' && s.action.check === true;
  const isWrite = (s: PlanStep): boolean => !s.runOn && mustWrite(s, known);
  const batchesUploads = ctx.transportFor(job.hostId).uploadLacking !== undefined;
  const isUpload = (s: PlanStep): boolean => batchesUploads && !s.runOn && mustUpload(s, known);
  const first = job.steps[i] as PlanStep;
  const kind = isCheck(first) ? 'checks' : isWrite(first) ? 'writes' : isUpload(first) ? 'uploads' : 'one';
  const steps = [first];
  if (kind === 'one') return { kind, steps };
  const alike = { checks: isCheck, writes: isWrite, uploads: isUpload }[kind];
  for (let k = i + 1; k < job.steps.length; k++) {
    const next = job.steps[k] as PlanStep;
    if (!alike(next) || !ctx.inScope(job, next) || journaled(next)) break;
    steps.push(next);
  }
  return { kind: steps.length > 1 ? kind : 'one', steps };
}

/**
 * Steps of a group (nextGroup) done by one call, each still timed, logged and journaled as its own. The call is made
 * again whole on a new connection when the old one dropped (what it does is idempotent); `settle` says what became of
 * step k, throwing when it failed.
 */
async function runTogether<T>(
  ctx: RunContext,
  job: PlanJob,
  steps: PlanStep[],
  known: HostSnapshot,
  timer: StepTimer,
  call: (t: HostTransport) => Promise<T>,
  settle: (outcome: T | { error: unknown }, k: number, step: PlanStep, info: (line: string) => void) => boolean,
) {
  const { events, signal } = ctx.req;
  const info = (line: string) => events.onLog(job.hostId, 'info', line);
  for (const s of steps) {
    info(`▶ ${s.title}`);
    if (s.action.kind === 'file') known.files.delete(s.action.path);
  }
  const t = ctx.transportFor(job.hostId);
  const attempt = async (): Promise<T | { error: unknown }> => {
    for (let n = 1; ; n++) {
      try {
        return await call(t);
      } catch (e) {
        if (n >= CONNECTION_ATTEMPTS || signal.aborted || !isConnectionLoss(e)) return { error: e };
        info(`connection lost (${toApiError(e).message}); doing ${steps.length} steps again`);
        await sleep(1000, signal);
      }
    }
  };
  let together: Promise<T | { error: unknown }> | undefined;
  return Promise.allSettled(steps.map((s, k) => timer.step(job, s, async () => settle(await (together ??= attempt()), k, s, info))));
}

/** Text files in a row written by one command (write-batch.ts). */
function runWrites(ctx: RunContext, job: PlanJob, steps: PlanStep[], known: HostSnapshot, timer: StepTimer) {
  const { signal } = ctx.req;
  return runTogether<BatchOutcome>(
    ctx,
    job,
    steps,
    known,
    timer,
    (t) => writeBatch(t, steps, signal),
    (outcome, k, s, info) => {
      if (!('written' in outcome) || k >= outcome.written) throw outcome.error ?? new Error(`${s.title}: not written`);
      const bytes = s.action.kind === 'file' && s.action.text !== undefined ? Buffer.byteLength(s.action.text) : 0;
      ctx.run.bytesUploaded += bytes;
      info(`wrote ${s.action.kind === 'file' ? s.action.path : s.title}, ${bytes} bytes`);
      return true;
    },
  );
}

/** Artifacts the host lacks, in a row, handed to the transport at once (HostTransport.uploadLacking). */
function runUploads(ctx: RunContext, job: PlanJob, steps: PlanStep[], known: HostSnapshot, timer: StepTimer) {
  const { signal } = ctx.req;
  const files = steps.map((s) => {
    const a = s.action as FileAction & { localPath: string };
    return { localPath: a.localPath, remotePath: a.path, mode: parseInt(a.mode, 8) };
  });
  return withTransferRow(ctx, job.hostId, files[0]!.remotePath, undefined, (onProgress) =>
    runTogether<UploadOutcome[]>(
      ctx,
      job,
      steps,
      known,
      timer,
      (t) => t.uploadLacking!(files, { signal, onProgress }),
      (outcomes, k, s, info) => {
        const o = Array.isArray(outcomes) ? outcomes[k] : undefined;
        if (!o?.ok) throw o?.error ?? ('error' in outcomes ? outcomes.error : new Error(`${s.title}: not installed`));
        ctx.run.bytesUploaded += o.transferred;
        info(`${o.skipped ? 'unchanged' : 'wrote'} ${files[k]!.remotePath}${o.transferred ? `, ${o.transferred} bytes` : ''}`);
        return !o.skipped;
      },
    ),
  );
}

/** Runs a host's job: its steps in order. A failed step stops the job and the host's later jobs. */
export async function runJob(ctx: RunContext, job: PlanJob, prefetch?: HostPrefetcher, watching?: () => void): Promise<JobOutcome> {
  const { mode, journal, signal, events } = ctx.req;
  const r = ctx.row(job.hostId);
  r.state = 'running';
  r.phase = job.phase;
  r.startedAt ??= new Date().toISOString();
  const known = (await prefetch?.snapshotFor(job)) ?? (await snapshot(ctx, job, ctx.transportFor(job.hostId)));
  const journaled = (s: PlanStep): boolean => mode !== 'fresh' && mode !== 'retry' && journal.finished(s.id, s.hash);

  for (let i = 0; i < job.steps.length; i++) {
    const step = job.steps[i] as PlanStep;
    if (!ctx.inScope(job, step)) continue;
    if (signal.aborted) return 'cancelled';
    r.stepId = step.id;
    r.stepTitle = step.title;
    ctx.publish();
    if (journaled(step)) {
      r.done++;
      ctx.run.counts.journaled++;
      continue;
    }
    const next = nextGroup(ctx, job, i, journaled, known);
    const group = next.steps;
    i += group.length - 1;
    // Only checks left (a unit watched through its "keeps running" window): the job needs its slot no more.
    if (i === job.steps.length - 1 && group.every((s) => s.action.kind === 'command' && s.action.check === true)) watching?.();
    const timer = ctx.req.timer ?? UNTIMED;
    const results =
      next.kind === 'writes'
        ? await runWrites(ctx, job, group, known, timer)
        : next.kind === 'uploads'
          ? await runUploads(ctx, job, group, known, timer)
          : await Promise.allSettled(group.map((s) => timer.step(job, s, () => attemptStep(ctx, job, s, known))));
    for (const [k, result] of results.entries()) {
      const s = group[k] as PlanStep;
      if (result.status === 'fulfilled') {
        ctx.run.counts[result.value ? 'changed' : 'unchanged']++;
        if (result.value) {
          known.stale = true;
          ctx.changes++;
        }
        journal.record(s.id, s.hash);
        r.done++;
        continue;
      }
      const e: unknown = result.reason;
      // A step that failed may have changed its host on the way.
      ctx.changes++;
      // An entry from an earlier run no longer holds: the step did not finish this time, so Resume must run it.
      journal.forget(s.id);
      if (signal.aborted || isAbort(e)) {
        events.onLog(job.hostId, 'info', `cancelled during ${s.title}`);
        r.state = 'cancelled';
        r.finishedAt = new Date().toISOString();
        ctx.stopped.add(job.hostId);
        return 'cancelled';
      }
      r.stepId = s.id;
      r.stepTitle = s.title;
      const cause = await describeFailure(ctx.transportFor(s.runOn ?? job.hostId), s, e);
      events.onLog(job.hostId, 'info', `✗ ${cause.message}`);
      ctx.fail(job.hostId, cause);
      ctx.publish();
      return 'failed';
    }
  }
  return 'succeeded';
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
