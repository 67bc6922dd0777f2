import type { DeployRun, FailureCause } from '../../../src-shared/model/deploy-run';
import type { Plan } from '../../../src-shared/model/plan';
import { HostPrefetcher } from './host-prefetch';
import { runJob } from './job';
import { jobKey } from './needs';
import { runContext, type RunContext, type RunRequest } from './run-context';
import { runScheduled } from './schedule';
import { UNTIMED } from './step-timer';

export type { RunEvents, RunRequest } from './run-context';

/**
 * Runs a plan: each host's jobs in plan order, every job as soon as what it depends on has settled (see
 * schedule.ts), each job's steps in order. A failed host stops only its own later jobs and the jobs that need it;
 * everyone else carries on.
 */
export async function runDeploy(req: RunRequest): Promise<DeployRun> {
  const { plan, journal } = req;
  const phases = phasesInScope(plan, req);
  const ctx = runContext(req, phases);
  const prefetch = new HostPrefetcher(ctx, phases);
  ctx.publish();
  await runScheduled(phases, ctx, {
    runJob: (job, watching) => (req.timer ?? UNTIMED).job(job, () => runJob(ctx, job, prefetch, watching)),
    onPhaseSettled: (phase, outcomes) => {
      if (phase.id !== 'preflight') return;
      checkIdentities(ctx.identities, ctx.hostName, (hostId, stepId, cause) => {
        journal.forget(stepId);
        ctx.fail(hostId, cause);
        outcomes.set(jobKey(phase.id, hostId), 'failed');
      });
      ctx.identities.clear();
    },
  });
  finishRows(ctx);
  const { run } = ctx;
  run.finishedAt = new Date().toISOString();
  journal.setLastRun(run);
  await journal.flush();
  await req.transports.close().catch(() => undefined);
  ctx.publish();
  return structuredClone(run);
}

function phasesInScope(plan: Plan, req: RunRequest): Plan['phases'] {
  const stopAt = req.stopAfter ? plan.phases.findIndex((p) => p.id === req.stopAfter) : -1;
  return stopAt < 0 ? plan.phases : plan.phases.slice(0, stopAt + 1);
}

/** Every row gets its final state, and the run its own. */
function finishRows(ctx: RunContext): void {
  const { run, req } = ctx;
  const aborted = req.signal.aborted;
  for (const r of run.hosts) {
    if (r.state === 'running' || r.state === 'pending') {
      if (aborted) {
        r.state = 'cancelled';
      } else if (ctx.stopped.has(r.hostId)) {
        r.state = 'blocked';
      } else {
        r.state = 'succeeded';
        r.stepId = undefined;
        r.stepTitle = undefined;
      }
      r.finishedAt ??= new Date().toISOString();
    }
  }
  const states = run.hosts.map((r) => r.state);
  run.state = aborted ? 'cancelled' : states.some((s) => s === 'failed' || s === 'blocked') ? 'failed' : 'succeeded';
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
