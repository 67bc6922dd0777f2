import { create } from 'zustand';
import type { LogLine } from '../../../../src-shared/contract/events';
import type { DeployRun } from '../../../../src-shared/model/deploy-run';
import type { PhaseId, Plan, WaivableCheck } from '../../../../src-shared/model/plan';
import { call, onEvent } from '../../api/client';
import { useErrors } from '../../stores/errors';
import { missingHostLogs, withRunLog } from './run-logs';

interface DeployStore {
  cluster: string | undefined;
  plan: Plan | undefined;
  planLoading: boolean;
  run: DeployRun | undefined;
  running: boolean;
  journaledSteps: number;
  /** Log lines per host of the run shown. */
  logs: Record<string, LogLine[]>;
  selectedHost: string | undefined;
  concurrency: number;
  /** Run only up to this phase (undefined: all). */
  stopAfter: PhaseId | undefined;
  /** Preflight checks waived for the next plan and run. */
  waive: WaivableCheck[];
  /** Loads the last run (or the one going on) for a cluster, and its logs. */
  load(cluster: string): Promise<void>;
  readPlan(): Promise<void>;
  start(mode: 'fresh' | 'resume'): Promise<void>;
  retry(hostId: string, stepId: string): Promise<void>;
  cancel(): Promise<void>;
  select(hostId: string | undefined): Promise<void>;
  setConcurrency(n: number): void;
  setStopAfter(phase: PhaseId | undefined): void;
  toggleWaive(check: WaivableCheck): void;
}

const report = (err: unknown) => useErrors.getState().show(err);

export const useDeploy = create<DeployStore>((set, get) => ({
  cluster: undefined,
  plan: undefined,
  planLoading: false,
  run: undefined,
  running: false,
  journaledSteps: 0,
  logs: {},
  selectedHost: undefined,
  concurrency: 10,
  stopAfter: undefined,
  waive: [],
  async load(cluster) {
    if (get().cluster !== cluster) set({ cluster, plan: undefined, run: undefined, logs: {}, selectedHost: undefined });
    try {
      const status = await call('deploy.status', { cluster });
      set({ run: status.run ?? undefined, running: status.running, journaledSteps: status.journaledSteps });
    } catch (err) {
      report(err);
    }
  },
  async readPlan() {
    const cluster = get().cluster;
    if (!cluster) return;
    set({ planLoading: true });
    try {
      set({ plan: await call('deploy.plan', { cluster, waive: get().waive }) });
    } catch (err) {
      report(err);
    } finally {
      set({ planLoading: false });
    }
  },
  async start(mode) {
    const { cluster, plan, concurrency, stopAfter, waive } = get();
    if (!cluster) return;
    try {
      set({ logs: {}, running: true });
      await call('deploy.start', {
        cluster,
        mode,
        concurrency,
        waive,
        ...(stopAfter ? { stopAfter } : {}),
        ...(plan ? { planHash: plan.hash } : {}),
      });
    } catch (err) {
      set({ running: false });
      report(err);
    }
  },
  async retry(hostId, stepId) {
    const cluster = get().cluster;
    if (!cluster) return;
    try {
      set({ running: true });
      await call('deploy.retryStep', { cluster, hostId, stepId });
    } catch (err) {
      set({ running: false });
      report(err);
    }
  },
  async cancel() {
    const cluster = get().cluster;
    if (cluster) await call('deploy.cancel', { cluster }).catch(report);
  },
  async select(hostId) {
    set({ selectedHost: hostId });
    try {
      const lines = await missingHostLogs(get().cluster, hostId, get().logs);
      if (lines && hostId) set((s) => ({ logs: { ...s.logs, [hostId]: lines } }));
    } catch (err) {
      report(err);
    }
  },
  setConcurrency: (n) => set({ concurrency: Math.max(1, Math.min(64, Math.round(n) || 1)) }),
  setStopAfter: (phase) => set({ stopAfter: phase }),
  // A changed waiver changes the plan: the one shown is dropped so Deploy cannot run a plan nobody read.
  toggleWaive: (check) =>
    set((s) => ({ waive: s.waive.includes(check) ? s.waive.filter((c) => c !== check) : [...s.waive, check], plan: undefined })),
}));

/** Keeps the store in step with the backend's events; call once. */
export function subscribeDeployEvents(): () => void {
  const offRun = onEvent('deploy.run', (run) => {
    if (run.cluster !== useDeploy.getState().cluster) return;
    useDeploy.setState({ run, running: run.state === 'running' });
  });
  const offLog = onEvent('log', (line) => {
    useDeploy.setState((s) => ({ logs: withRunLog(s.logs, s.run?.runId, line) }));
  });
  return () => {
    offRun();
    offLog();
  };
}
