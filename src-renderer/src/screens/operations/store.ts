import { create } from 'zustand';
import type { LogLine } from '../../../../src-shared/contract/events';
import type { Backup, ClusterHealth, OperationPlan, OperationRequest } from '../../../../src-shared/contract/operations';
import type { DeployRun } from '../../../../src-shared/model/deploy-run';
import type { WaivableCheck } from '../../../../src-shared/model/plan';
import { call, onEvent } from '../../api/client';
import { useErrors } from '../../stores/errors';
import { hostToShow, refreshAfterFinish } from './after-finish';
import { toggleWaiver, waiversFor } from './waive';
import { missingHostLogs, withRunLog } from '../deploy/run-logs';

interface OperationsStore {
  cluster: string | undefined;
  health: ClusterHealth | undefined;
  healthLoading: boolean;
  backups: Backup[];
  /** The operation the user asked for, shown with its plan until closed. */
  request: OperationRequest | undefined;
  plan: OperationPlan | undefined;
  planLoading: boolean;
  /** What the user typed to confirm the plan. */
  confirm: string;
  /** Between Run and the backend's answer, so a second press cannot start it twice. */
  starting: boolean;
  /** The operation last started from this screen: Resume is offered while its plan is the one shown. */
  started: OperationRequest | undefined;
  run: DeployRun | undefined;
  running: boolean;
  /** The run whose hosts are done while its work on this computer goes on (the backup's copy, the saved inventory). */
  finishing: string | undefined;
  /** Preflight checks waived in the plans of operations that run the preflight on a host. */
  waive: WaivableCheck[];
  logs: Record<string, LogLine[]>;
  selectedHost: string | undefined;
  /** Switches to a cluster: its backups, and its operation running now or else the last one. */
  load(cluster: string): Promise<void>;
  refreshHealth(): Promise<void>;
  loadBackups(): Promise<void>;
  /** Plans the operation; a refusal goes to the error banner and nothing is shown to run. */
  ask(request: OperationRequest): Promise<void>;
  /** A changed waiver changes the plan: the operation shown is planned again. */
  toggleWaive(check: WaivableCheck): Promise<void>;
  setConfirm(text: string): void;
  start(mode: 'fresh' | 'resume'): Promise<void>;
  cancel(): Promise<void>;
  close(): void;
  select(hostId: string | undefined): Promise<void>;
}

const report = (err: unknown) => useErrors.getState().show(err);

const isOperation = (run: DeployRun): boolean => run.operation !== undefined && run.operation !== 'deploy';

/** Counts plans asked for: only the answer to the latest one is shown. */
let plansAsked = 0;

export const useOperations = create<OperationsStore>((set, get) => ({
  cluster: undefined,
  health: undefined,
  healthLoading: false,
  backups: [],
  request: undefined,
  plan: undefined,
  planLoading: false,
  confirm: '',
  starting: false,
  started: undefined,
  run: undefined,
  running: false,
  finishing: undefined,
  waive: [],
  logs: {},
  selectedHost: undefined,
  async load(cluster) {
    if (get().cluster !== cluster) {
      set({
        cluster,
        health: undefined,
        backups: [],
        request: undefined,
        plan: undefined,
        confirm: '',
        started: undefined,
        run: undefined,
        running: false,
        finishing: undefined,
        waive: [],
        logs: {},
        selectedHost: undefined,
      });
    }
    await Promise.all([get().loadBackups(), loadRun(cluster)]);
  },
  async refreshHealth() {
    const cluster = get().cluster;
    if (!cluster) return;
    set({ healthLoading: true });
    try {
      const health = await call('ops.health', { cluster });
      if (get().cluster === cluster) set({ health });
    } catch (err) {
      report(err);
    } finally {
      set({ healthLoading: false });
    }
  },
  async loadBackups() {
    const cluster = get().cluster;
    if (!cluster) return;
    try {
      const backups = await call('ops.backups', { cluster });
      if (get().cluster === cluster) set({ backups });
    } catch (err) {
      report(err);
    }
  },
  async ask(request) {
    const cluster = get().cluster;
    if (!cluster) return;
    // An earlier refusal is about another request; left up, it would read as this plan's.
    useErrors.getState().dismiss();
    // A finished run gives way to the new plan; one still running stays in view.
    set((s) => ({
      request,
      plan: undefined,
      confirm: '',
      planLoading: true,
      ...(s.running ? {} : { run: undefined, finishing: undefined, logs: {} }),
    }));
    const asked = ++plansAsked;
    const latest = () => asked === plansAsked && get().request === request;
    const waive = waiversFor(request.kind, get().waive);
    try {
      const plan = await call('ops.plan', { cluster, operation: request, ...(waive.length > 0 ? { waive } : {}) });
      if (latest()) set({ plan });
    } catch (err) {
      if (latest()) set({ request: undefined });
      report(err);
    } finally {
      if (latest() || get().request === undefined) set({ planLoading: false });
    }
  },
  async toggleWaive(check) {
    set((s) => ({ waive: toggleWaiver(s.waive, check) }));
    // The same request, so the panel keeps the focus where the user is.
    const request = get().request;
    if (request) await get().ask(request);
  },
  setConfirm: (confirm) => set({ confirm }),
  async start(mode) {
    const { cluster, request, plan, confirm } = get();
    if (!cluster || !request || !plan) return;
    set({ starting: true, started: request, run: undefined, finishing: undefined, logs: {}, selectedHost: undefined });
    try {
      const { runId } = await call('ops.start', {
        cluster,
        operation: request,
        planHash: plan.plan.hash,
        mode,
        ...(plan.confirmText !== undefined ? { confirm } : {}),
      });
      // Unless the run's events came before this answer, it is running until they say otherwise.
      if (get().run?.runId !== runId) set({ running: true });
    } catch (err) {
      report(err);
    } finally {
      set({ starting: false });
    }
  },
  async cancel() {
    const cluster = get().cluster;
    if (cluster) await call('deploy.cancel', { cluster }).catch(report);
  },
  // A run still going stays in view; a finished one is put away with its plan.
  close: () =>
    set((s) => ({
      request: undefined,
      plan: undefined,
      confirm: '',
      planLoading: false,
      ...(s.running ? {} : { run: undefined, finishing: undefined, logs: {}, selectedHost: undefined }),
    })),
  async select(hostId) {
    set({ selectedHost: hostId });
    try {
      const lines = await missingHostLogs(get().cluster, hostId, get().logs);
      if (lines && hostId) set((s) => ({ logs: { ...s.logs, [hostId]: lines } }));
    } catch (err) {
      report(err);
    }
  },
}));

/**
 * The cluster's operation running now (its rows are live), else the last one it ran, so a reload keeps the result.
 * The last run comes from the operation's journal, written when its hosts are done.
 */
async function loadRun(cluster: string): Promise<void> {
  try {
    const [status, last] = await Promise.all([call('deploy.status', { cluster }), call('ops.lastRun', { cluster })]);
    const live = status.running && status.run && isOperation(status.run) ? status.run : undefined;
    const run = live ?? (last && last.state !== 'running' ? last : undefined);
    const state = useOperations.getState();
    if (!run || state.cluster !== cluster) return;
    // An operation asked for meanwhile stays in view; a run kept from before the screen was left is brought up to date.
    if (state.request !== undefined && state.run?.runId !== run.runId) return;
    useOperations.setState({ run, running: live !== undefined });
    const show = hostToShow(run);
    if (show && state.selectedHost === undefined) await state.select(show);
  } catch (err) {
    report(err);
  }
}

/** Once an operation is completely done: its final run, and what it changed on this computer read again. */
function finished(run: DeployRun): void {
  const state = useOperations.getState();
  if (run.cluster !== state.cluster) return;
  if (state.run?.runId === run.runId || (state.run === undefined && state.request === undefined)) {
    useOperations.setState({ run, running: false, finishing: undefined });
    const show = hostToShow(run);
    if (show && state.selectedHost === undefined) void state.select(show);
  }
  const refresh = refreshAfterFinish(run.operation);
  if (refresh.backups) void state.loadBackups();
  // Reading health connects to every host: only a reading already on screen is brought up to date.
  if (refresh.health && state.health && !state.healthLoading) void state.refreshHealth();
}

/** Keeps the store in step with the backend's events for day-2 runs; call once per mounted screen. */
export function subscribeOperationEvents(): () => void {
  const offRun = onEvent('deploy.run', (run) => {
    const state = useOperations.getState();
    if (run.cluster !== state.cluster || !isOperation(run)) return;
    const wasRunning = state.run?.runId === run.runId && state.run.state === 'running';
    // The backend goes on with its local work only after a run succeeded; ops.finished says when that is done.
    const finishing = wasRunning && run.state === 'succeeded' ? run.runId : state.finishing;
    useOperations.setState({ run, running: run.state === 'running', finishing });
  });
  const offFinished = onEvent('ops.finished', finished);
  const offLog = onEvent('log', (line) => {
    useOperations.setState((s) => ({ logs: withRunLog(s.logs, s.run?.runId, line) }));
  });
  return () => {
    offRun();
    offFinished();
    offLog();
  };
}
