import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { join } from 'node:path';
import type { DeployStatus, StepDiff } from '../../src-shared/contract/deploy';
import type { EventName, EventPayload, LogLine } from '../../src-shared/contract/events';
import { KubesmithError } from '../../src-shared/errors';
import { isUpgradeSourceOnly, NEW_CLUSTER_VERSIONS, type Cluster } from '../../src-shared/model/cluster';
import type { DeployRun, RunMode } from '../../src-shared/model/deploy-run';
import { PHASES, planSteps, type PhaseId, type Plan, type PlanCertificates, type WaivableCheck } from '../../src-shared/model/plan';
import type { PkiDeps } from '../pki';
import type { SecretCipher } from '../store/secret-cipher';
import { pathExists } from '../store/path-exists';
import type { Workspace } from '../store/workspace';
import { recordedOrigin } from './binaries/cache';
import { resolveBinaries } from './binaries/source';
import type { BinarySet } from './binaries/types';
import { deployedRecordOf, readDeployedRecord, replacedByDeployWarning, writeDeployedRecord, type DeployedRecord } from './deployed-record';
import { lineDiff } from './diff';
import { chooseVariant } from './engine/file-step';
import { JOURNAL_FILE, JournalStore } from './engine/journal';
import { runDeploy } from './engine/runner';
import type { TransportProvider } from './engine/transport';
import { renderKubeconfig } from './kubeconfig';
import { exportKubeconfig } from './kubeconfig-export';
import { APISERVER_PORT } from './layout';
import { readDeployPki } from './pki-adapter';
import { relayTransports } from './relay/relay-transports';
import { sourceTransports } from './relay/source-transports';
import { discardStagedPki, preparePki, promoteStagedPki } from './pki-step';
import type { ClusterPki } from './pki-source';
import { hashOf } from './hash';
import { buildPlan } from './plan-builder';
import { sh } from '../ssh/shell';
import { fileTemplates, type Templates } from './templates';
import { RunTimer } from './timings/collector';
import { timedTransports } from './timings/timed-transport';
import { readRunTimings, TIMINGS_FILE, writeRunTimings } from './timings/timings-file';
import type { RunTimings } from '../../src-shared/model/run-timings';
import { sha256OfFile } from '../ssh/host-sha256';

export interface DeployServiceDeps {
  workspace: Workspace;
  cipher: SecretCipher;
  emit: <E extends EventName>(event: E, payload: EventPayload<E>) => void;
  /** Connections for one run of one cluster; closed when the run ends. */
  transports: (cluster: Cluster) => TransportProvider;
  templates?: Templates;
  /** Overrides for tests: where binaries and the PKI come from. */
  binaries?: (cluster: Cluster) => Promise<BinarySet>;
  pki?: (cluster: Cluster) => Promise<ClusterPki>;
  /** Where the deploy's certificates step gets its keys (the app's key pool); generated on demand without it. */
  pkiDeps?: PkiDeps;
  log?: (msg: string) => void;
  /** How artifacts travel (the plan says which): through a relay host over the LAN (default) or each directly. */
  transfer?: 'relay' | 'direct';
}

export interface StartOptions {
  mode: RunMode;
  concurrency?: number;
  stopAfter?: PhaseId;
  planHash?: string;
  retry?: { hostId: string; stepId: string };
  /** Preflight checks waived for this run (shown in the plan's warnings). */
  waive?: readonly WaivableCheck[];
}

interface ActiveRun {
  runId: string;
  controller: AbortController;
  done: Promise<DeployRun>;
  latest?: DeployRun;
}

const LOG_LINES_PER_HOST = 3000;
const DEPLOYED_FILE = 'deployed.json';

/**
 * A version past end of life (1.34) is deployed only where it already runs: a redeploy or repair of such a
 * cluster, before its upgrade to 1.35. A cluster never deployed starts on a supported version.
 */
export function refuseEndOfLifeForNewCluster(version: string, deployed: DeployedRecord | undefined): void {
  if (deployed || !isUpgradeSourceOnly(version)) return;
  throw new KubesmithError(
    'VersionEndOfLife',
    `Kubernetes ${version} is past its end of life; Kubesmith deploys it only on clusters that already run it.`,
    `Pick ${NEW_CLUSTER_VERSIONS.join(', ')} in the cluster settings.`,
  );
}
export const DEFAULT_CONCURRENCY = 10;

/** The deploy, as the API and the command line use it: one run at a time per cluster. */
export class DeployService {
  private readonly active = new Map<string, ActiveRun>();
  private readonly logs = new Map<string, Map<string, LogLine[]>>();
  private readonly templates: Templates;

  constructor(private readonly deps: DeployServiceDeps) {
    this.templates = deps.templates ?? fileTemplates();
  }

  /** The full plan (with secrets and local paths): only the engine and tests see this one. */
  async plan(
    clusterName: string,
    waive: readonly WaivableCheck[] = [],
    taskId = `deploy-plan:${clusterName}`,
  ): Promise<{ cluster: Cluster; plan: Plan }> {
    const inputs = await this.deployInputs(clusterName, taskId);
    const deployed = await this.deployed(clusterName);
    refuseEndOfLifeForNewCluster(inputs.cluster.settings.kubernetesVersion, deployed);
    const plan = withCertificates(buildPlan({ ...inputs, waive, transfer: this.deps.transfer ?? 'relay' }), inputs.certificates);
    const warning = replacedByDeployWarning(deployed, deployedRecordOf(inputs.cluster.settings.kubernetesVersion, inputs.binaries));
    return { cluster: inputs.cluster, plan: warning ? { ...plan, warnings: [warning, ...plan.warnings] } : plan };
  }

  async start(clusterName: string, options: StartOptions): Promise<{ runId: string; done: Promise<DeployRun> }> {
    let deployed: DeployedRecord | undefined;
    const started = await this.launch(clusterName, options, JOURNAL_FILE, async (runId) => {
      const inputs = await this.deployInputs(clusterName, runId);
      refuseEndOfLifeForNewCluster(inputs.cluster.settings.kubernetesVersion, await this.deployed(clusterName));
      const plan = withCertificates(
        buildPlan({ ...inputs, waive: options.waive ?? [], transfer: this.deps.transfer ?? 'relay' }),
        inputs.certificates,
      );
      if (options.planHash !== undefined && options.planHash !== plan.hash) {
        throw new KubesmithError('PlanChanged', 'The cluster changed since you read the plan.', 'Read the new plan, then deploy again.');
      }
      if (inputs.certificates) await this.certificatesStep(clusterName, runId, inputs.certificates);
      deployed = deployedRecordOf(inputs.cluster.settings.kubernetesVersion, inputs.binaries);
      return { cluster: inputs.cluster, plan };
    });
    const done = started.done.then(async (run) => {
      // A run stopped before the binaries phase installed nothing the record could speak of.
      const installed = !options.stopAfter || (PHASES as readonly PhaseId[]).indexOf(options.stopAfter) >= PHASES.indexOf('binaries');
      if (run.state === 'succeeded' && run.mode !== 'retry' && installed && deployed) await this.recordDeployed(clusterName, deployed);
      return run;
    });
    return { runId: started.runId, done };
  }

  /** What the hosts run, as the last successful deploy or upgrade left them. */
  async deployed(clusterName: string): Promise<DeployedRecord | undefined> {
    return readDeployedRecord(join(this.deps.workspace.stateDir(clusterName), DEPLOYED_FILE));
  }

  /** The Kubernetes minor version the hosts run, as the last successful deploy or upgrade left them. */
  async deployedVersion(clusterName: string): Promise<string | undefined> {
    return (await this.deployed(clusterName))?.kubernetesVersion;
  }

  async recordDeployed(clusterName: string, record: DeployedRecord): Promise<void> {
    await writeDeployedRecord(join(this.deps.workspace.stateDir(clusterName), DEPLOYED_FILE), record);
  }

  /**
   * Runs a day-2 operation's plan on the same engine, under the same one-run-per-cluster rule, with its own
   * journal (so it resumes on its own and never disturbs the deploy's).
   */
  async runOperation(
    clusterName: string,
    options: Pick<StartOptions, 'mode' | 'concurrency' | 'retry'> & { journalFile: string },
    build: (runId: string) => Promise<{ cluster: Cluster; plan: Plan }>,
  ): Promise<{ runId: string; done: Promise<DeployRun> }> {
    return this.launch(clusterName, options, options.journalFile, build);
  }

  /** The plan's steps the deploy journal has as done with the same hash. */
  async unchangedSteps(clusterName: string, plan: Plan): Promise<string[]> {
    const journal = await JournalStore.open(join(this.deps.workspace.stateDir(clusterName), JOURNAL_FILE), clusterName);
    return planSteps(plan)
      .filter((s) => journal.finished(s.id, s.hash))
      .map((s) => s.id);
  }

  /** Whether a deploy or an operation of the cluster is running. */
  isRunning(clusterName: string): boolean {
    return this.active.has(clusterName);
  }

  /** The clusters with a deploy or an operation running now (an app update waits for these). */
  runningClusters(): string[] {
    return [...this.active.keys()];
  }

  /**
   * A deploy's inputs: as inputs(), but a missing or stale PKI is made (staged) instead of refused, and the plan
   * says so in its certificates step.
   */
  private async deployInputs(
    clusterName: string,
    taskId: string,
  ): Promise<{ cluster: Cluster; pki: ClusterPki; binaries: BinarySet; templates: Templates; certificates?: PlanCertificates }> {
    const cluster = await this.deps.workspace.get(clusterName);
    if (this.deps.pki) return this.inputsFor(cluster, taskId);
    const stagingDir = this.stagingDir(clusterName);
    const stagedBefore = await pathExists(stagingDir);
    const prepared = await this.oneAtATime(clusterName, () =>
      preparePki({
        cluster,
        pkiDir: this.deps.workspace.pkiDir(clusterName),
        stagingDir,
        cipher: this.deps.cipher,
        ...(this.deps.pkiDeps ? { deps: this.deps.pkiDeps } : {}),
      }),
    );
    try {
      const rest = await this.inputsFor(cluster, taskId, prepared.pki);
      return prepared.certificates ? { ...rest, certificates: prepared.certificates } : rest;
    } catch (err) {
      // A refused plan leaves nothing behind: certificates this very call staged go again (found by the fuzz suite).
      if (!stagedBefore) await this.oneAtATime(clusterName, () => discardStagedPki(stagingDir));
      throw err;
    }
  }

  /** The run's first step, on this computer: the staged certificates become the cluster's pki/. */
  private async certificatesStep(clusterName: string, runId: string, certificates: PlanCertificates): Promise<void> {
    const at = () => new Date().toISOString();
    const label = `certificates: ${certificates.issued.length} made on this computer`;
    this.deps.emit('progress', { taskId: runId, label, done: 0, total: 1, state: 'running' });
    await this.oneAtATime(clusterName, () => promoteStagedPki(this.deps.workspace.pkiDir(clusterName), this.stagingDir(clusterName)));
    this.deps.emit('log', { taskId: runId, stream: 'info', line: `${label}, kept in pki/`, at: at() });
    this.deps.emit('progress', { taskId: runId, label, done: 1, total: 1, state: 'succeeded' });
  }

  private stagingDir(clusterName: string): string {
    return join(this.deps.workspace.stateDir(clusterName), 'deploy-pki');
  }

  private readonly pkiQueue = new Map<string, Promise<unknown>>();

  /** A plan read and a start at once would both stage certificates in the same folder. */
  private oneAtATime<T>(clusterName: string, task: () => Promise<T>): Promise<T> {
    const next = (this.pkiQueue.get(clusterName) ?? Promise.resolve()).then(task, task);
    this.pkiQueue.set(
      clusterName,
      next.catch(() => undefined),
    );
    return next;
  }

  /** Everything a plan is built from: the cluster, its PKI and the binaries (downloaded first when needed). */
  async inputs(
    clusterName: string,
    taskId = `plan:${clusterName}`,
  ): Promise<{ cluster: Cluster; pki: ClusterPki; binaries: BinarySet; templates: Templates }> {
    return this.inputsFor(await this.deps.workspace.get(clusterName), taskId);
  }

  /** The same for a cluster as it will be (an upgrade's target version). */
  async inputsFor(
    cluster: Cluster,
    taskId = `plan:${cluster.name}`,
    prepared?: ClusterPki,
  ): Promise<{ cluster: Cluster; pki: ClusterPki; binaries: BinarySet; templates: Templates }> {
    const progress = (line: string) => this.deps.emit('log', { taskId, stream: 'info', line, at: new Date().toISOString() });
    // The PKI first: reading it takes milliseconds, and a cluster without one is refused before any download starts.
    const pki =
      prepared ??
      (this.deps.pki
        ? await this.deps.pki(cluster)
        : await readDeployPki(this.deps.workspace.pkiDir(cluster.name), cluster, this.deps.cipher));
    const binaries = this.deps.binaries
      ? await this.deps.binaries(cluster)
      : await resolveBinaries(cluster, this.deps.workspace.dataDir, progress);
    return { cluster, pki, binaries, templates: this.templates };
  }

  /** Connections to a cluster's hosts, for reads outside a run (health, membership); the caller closes them. */
  transportsFor(cluster: Cluster): TransportProvider {
    return this.deps.transports(cluster);
  }

  private async launch(
    clusterName: string,
    options: Pick<StartOptions, 'mode' | 'concurrency' | 'retry' | 'stopAfter'>,
    journalFile: string,
    build: (runId: string) => Promise<{ cluster: Cluster; plan: Plan }>,
  ): Promise<{ runId: string; done: Promise<DeployRun> }> {
    if (this.active.has(clusterName)) {
      throw new KubesmithError(
        'DeployRunning',
        `A deploy or an operation of ${clusterName} is already running.`,
        'Wait for it to finish, or cancel it first.',
      );
    }
    const runId = randomUUID();
    const controller = new AbortController();
    // One listener per command in flight on every host: far more than Node's default warning threshold of 10.
    setMaxListeners(1000, controller.signal);
    // Reserved before any await, so two quick clicks cannot start two runs.
    const entry: ActiveRun = { runId, controller, done: Promise.resolve(undefined as unknown as DeployRun) };
    this.active.set(clusterName, entry);
    try {
      const timer = new RunTimer();
      const { cluster, plan } = await timer.beforeRun(() => build(runId));
      const journal = await JournalStore.open(join(this.deps.workspace.stateDir(clusterName), journalFile), clusterName);
      // A retry adds to the log of the run it retries; any other run starts a fresh log.
      let logsOf = this.logs.get(clusterName);
      if (!logsOf || options.mode !== 'retry') {
        logsOf = new Map<string, LogLine[]>();
        this.logs.set(clusterName, logsOf);
      }
      const hostLogs = logsOf;
      const logLine = (hostId: string, stream: LogLine['stream'], line: string): void => {
        const entryLine: LogLine = { taskId: runId, hostId, stream, line, at: new Date().toISOString() };
        const list = hostLogs.get(hostId) ?? [];
        list.push(entryLine);
        if (list.length > LOG_LINES_PER_HOST) list.splice(0, list.length - LOG_LINES_PER_HOST);
        hostLogs.set(hostId, list);
        this.deps.emit('log', entryLine);
      };
      const progressSent = new Map<string, string>();
      const direct = this.deps.transports(cluster);
      const info = (hostId: string, line: string): void => logLine(hostId, 'info', line);
      const relayed = plan.transfer?.relay ? relayTransports(direct, { transfer: plan.transfer, hosts: cluster.hosts, log: info }) : direct;
      // Hosts that download from the binary source fall back to the relay (or a direct upload) file by file.
      const transports = plan.transfer?.source
        ? sourceTransports(relayed, { transfer: plan.transfer, origin: recordedOrigin, log: info })
        : relayed;
      entry.done = runDeploy({
        runId,
        plan,
        hosts: cluster.hosts,
        transports: timedTransports(transports),
        timer,
        journal,
        mode: options.mode,
        ...(options.retry ? { retry: options.retry } : {}),
        concurrency: options.concurrency ?? DEFAULT_CONCURRENCY,
        ...(options.stopAfter ? { stopAfter: options.stopAfter } : {}),
        signal: controller.signal,
        events: {
          onRun: (run) => {
            entry.latest = run;
            this.deps.emit('deploy.run', run);
            for (const h of run.hosts) {
              // A row's upload progress republishes the run a few times a second: the progress line changes less.
              const key = `${h.stepTitle ?? ''}|${h.state}|${h.done}|${h.total}`;
              if (progressSent.get(h.hostId) === key) continue;
              progressSent.set(h.hostId, key);
              this.deps.emit('progress', {
                taskId: runId,
                hostId: h.hostId,
                label: `${h.hostName}: ${h.stepTitle ?? h.state}`,
                done: h.done,
                total: h.total,
                state:
                  h.state === 'failed' || h.state === 'blocked'
                    ? 'failed'
                    : h.state === 'cancelled'
                      ? 'cancelled'
                      : h.state === 'succeeded'
                        ? 'succeeded'
                        : 'running',
              });
            }
          },
          onLog: logLine,
        },
      })
        .then(async (run) => {
          await this.saveTimings(clusterName, timer.finish(run));
          return run;
        })
        .finally(() => {
          if (this.active.get(clusterName) === entry) this.active.delete(clusterName);
        });
      entry.done.catch((err: unknown) => this.deps.log?.(`deploy of ${clusterName} crashed: ${String(err)}`));
      return { runId, done: entry.done };
    } catch (err) {
      this.active.delete(clusterName);
      throw err;
    }
  }

  cancel(clusterName: string): boolean {
    const run = this.active.get(clusterName);
    if (!run) return false;
    run.controller.abort();
    return true;
  }

  async status(clusterName: string): Promise<DeployStatus> {
    const active = this.active.get(clusterName);
    const journal = await JournalStore.open(join(this.deps.workspace.stateDir(clusterName), JOURNAL_FILE), clusterName);
    const run = active?.latest ?? journal.snapshot.lastRun ?? null;
    return { run, running: active !== undefined, journaledSteps: Object.keys(journal.snapshot.steps).length };
  }

  /** Where the time of the last finished run went (kept in state/, so it survives a restart). */
  async timings(clusterName: string): Promise<RunTimings | null> {
    return readRunTimings(join(this.deps.workspace.stateDir(clusterName), TIMINGS_FILE));
  }

  /** A breakdown that cannot be written costs the run nothing: it is only said in the app's log. */
  private async saveTimings(clusterName: string, timings: RunTimings): Promise<void> {
    await writeRunTimings(join(this.deps.workspace.stateDir(clusterName), TIMINGS_FILE), timings).catch((err: unknown) =>
      this.deps.log?.(`run timings of ${clusterName} not kept: ${String(err)}`),
    );
    this.deps.emit('deploy.timings', timings);
  }

  hostLogs(clusterName: string, hostId: string): LogLine[] {
    return this.logs.get(clusterName)?.get(hostId) ?? [];
  }

  /** What a file step would change, read from its host now. */
  async diff(clusterName: string, stepId: string, waive: readonly WaivableCheck[] = []): Promise<StepDiff> {
    const { cluster, plan } = await this.plan(clusterName, waive);
    const step = planSteps(plan).find((s) => s.id === stepId);
    if (!step || step.action.kind !== 'file')
      throw new KubesmithError('NoSuchStep', `The plan has no file step ${stepId}.`, 'Read the plan again; the cluster may have changed.');
    const host = cluster.hosts.find((h) => h.id === step.hostId);
    if (!host) throw new KubesmithError('NoSuchStep', `The plan's host ${step.hostId} is not in the cluster.`);
    const provider = this.deps.transports(cluster);
    try {
      const t = provider.forHost(host);
      const action = step.action;
      const chosen = await chooseVariant(t, action);
      const p = action.path;
      const state = await t.exec(sh`if [ -f ${p} ]; then ${sha256OfFile(p, 'small')}; fi`.command);
      const remoteSha = state.stdout.trim();
      const exists = remoteSha !== '';
      const unchanged = remoteSha === chosen.sha256;
      const base = { stepId, path: action.path, exists, unchanged, ...(chosen.label ? { variant: chosen.label } : {}) };
      if (action.secret || chosen.text === undefined)
        return { ...base, diff: unchanged ? '' : exists ? '(content differs)' : '(new file)', comparedBy: 'sha256' };
      const current = exists ? (await t.exec(sh`head -c 1048576 ${p}`.command)).stdout : '';
      return { ...base, diff: unchanged ? '' : lineDiff(current, chosen.text), comparedBy: 'content' };
    } finally {
      await provider.close();
    }
  }

  async exportKubeconfig(
    clusterName: string,
    target: { kind: 'merge' } | { kind: 'file'; path: string },
  ): Promise<{ path: string; context: string }> {
    const cluster = await this.deps.workspace.get(clusterName);
    const master = cluster.hosts.find((h) => h.roles.includes('master'));
    if (!master) throw new KubesmithError('TopologyIncomplete', 'The cluster has no master to point the kubeconfig at.');
    const pki = this.deps.pki
      ? await this.deps.pki(cluster)
      : await readDeployPki(this.deps.workspace.pkiDir(clusterName), cluster, this.deps.cipher);
    const user = 'kubernetes-admin';
    const text = renderKubeconfig({
      cluster: cluster.name,
      server: `https://${master.address}:${APISERVER_PORT}`,
      caCert: pki.ca.kubernetes,
      user,
      pair: pki.admin,
    });
    return { path: await exportKubeconfig(text, target), context: `${user}@${cluster.name}` };
  }

  /** Cancels every run and waits for them to stop (app shutdown). */
  async close(): Promise<void> {
    for (const run of this.active.values()) run.controller.abort();
    await Promise.allSettled([...this.active.values()].map((r) => r.done));
  }
}

/** The plan with its certificates step, when the deploy makes the PKI first; the step is part of the plan's hash. */
function withCertificates(plan: Plan, certificates: PlanCertificates | undefined): Plan {
  if (!certificates) return plan;
  return { ...plan, certificates, hash: hashOf([plan.hash, certificates.issued.map((i) => [i.id, i.reason])]) };
}
