import { cp, mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { EventName, EventPayload } from '../../src-shared/contract/events';
import type { Backup, ClusterHealth, OperationPlan, OperationRequest } from '../../src-shared/contract/operations';
import { KubesmithError, toApiError } from '../../src-shared/errors';
import type { Cluster, Host } from '../../src-shared/model/cluster';
import type { DeployRun } from '../../src-shared/model/deploy-run';
import { planForView, type Plan, type WaivableCheck } from '../../src-shared/model/plan';
import { deployedRecordOf, releaseName, type DeployedRecord } from '../deploy/deployed-record';
import { hashOf } from '../deploy/hash';
import { JOURNAL_FILE, JournalStore } from '../deploy/engine/journal';
import type { DeployService } from '../deploy/service';
import { readDeployPki } from '../deploy/pki-adapter';
import { currentKeyType, renewCertificate } from '../pki';
import { listCertificates } from '../pki/list';
import type { SecretCipher } from '../store/secret-cipher';
import type { Workspace } from '../store/workspace';
import { BackupStore, backupId, pemSha256 } from './backups';
import { requireEtcdState } from './etcd-state';
import { readHealth } from './health';
import { backupPlan, remoteSnapshotPath, snapshotSource } from './plans/backup';
import { backupSchedulePlan } from './plans/backup-schedule';
import { membershipPlan, nextMembershipChange } from './plans/membership';
import { job, operationPlan } from './plans/operation-plan';
import { checkRemovable, removeHostPlan, withoutRoles } from './plans/remove-host';
import { checkResetTargets, RESET_KEEPS, resetSteps } from './plans/reset';
import { restoreConsequences, restorePlan } from './plans/restore';
import { renewPlan } from './plans/renew';
import { caRotationPlan, rotationPki } from './plans/rotate-ca';
import { CaRotation } from './ca-rotation';
import { sh } from '../ssh/shell';
import { checkUpgrade, upgradePlan } from './plans/upgrade';
import { downloadChecked } from './snapshot-download';

export interface OperationsServiceDeps {
  workspace: Workspace;
  cipher: SecretCipher;
  deploy: DeployService;
  emit: <E extends EventName>(event: E, payload: EventPayload<E>) => void;
}

/** A plan as the user read it, kept until it runs: the run executes exactly this one. */
interface Planned {
  cluster: string;
  clusterHash: string;
  request: OperationRequest;
  plan: Plan;
  view: OperationPlan;
  /** For a backup: where the snapshot comes from and where it goes. */
  backup?: { id: string; host: Host; revision: number };
  /** For a renewal: the copy of pki/ with the renewed certificates, installed into pki/ when the run starts. */
  staging?: string;
  /** For an upgrade: what the hosts run once it has finished. */
  deployed?: DeployedRecord;
}

const PLANS_KEPT = 50;
const RENEW_STAGING_PREFIX = 'renew-staging-';
/** Each kind of operation resumes from its own journal, apart from the deploy's. */
const journalFileOf = (kind: OperationRequest['kind']): string => `op-${kind}-journal.json`;

/** Day-2 operations: each planned first, then run on the deploy's engine under its one-run-per-cluster rule. */
export class OperationsService {
  private readonly planned = new Map<string, Planned>();

  constructor(private readonly deps: OperationsServiceDeps) {}

  backupStore(cluster: string): BackupStore {
    return new BackupStore(join(this.deps.workspace.clusterDir(cluster), 'backups'));
  }

  async backups(cluster: string): Promise<Backup[]> {
    await this.deps.workspace.get(cluster);
    return this.backupStore(cluster).list();
  }

  async lastRun(clusterName: string): Promise<DeployRun | null> {
    const stateDir = this.deps.workspace.stateDir(clusterName);
    const files = (await readdir(stateDir).catch(() => [] as string[])).filter((n) => /^op-[a-z-]+-journal\.json$/.test(n));
    const runs: DeployRun[] = [];
    for (const f of files) {
      const run = (await JournalStore.open(join(stateDir, f), clusterName).catch(() => undefined))?.snapshot.lastRun;
      if (run) runs.push(run);
    }
    return runs.sort((a, b) => b.startedAt.localeCompare(a.startedAt))[0] ?? null;
  }

  async health(clusterName: string): Promise<ClusterHealth> {
    const cluster = await this.deps.workspace.get(clusterName);
    const provider = this.deps.deploy.transportsFor(cluster);
    try {
      return await readHealth(cluster, provider, () => listCertificates(this.deps.workspace.pkiDir(clusterName), this.deps.cipher));
    } finally {
      await provider.close();
    }
  }

  async plan(clusterName: string, request: OperationRequest, waive: readonly WaivableCheck[] = []): Promise<OperationPlan> {
    const cluster = await this.deps.workspace.get(clusterName);
    const planned = await this.build(cluster, request, waive);
    this.planned.set(`${clusterName}:${planned.plan.hash}`, planned);
    while (this.planned.size > PLANS_KEPT) this.planned.delete(this.planned.keys().next().value as string);
    return planned.view;
  }

  async start(
    clusterName: string,
    request: OperationRequest,
    opts: { planHash: string; confirm?: string; mode?: 'fresh' | 'resume' },
  ): Promise<{ runId: string; done: Promise<DeployRun> }> {
    const planned = this.planned.get(`${clusterName}:${opts.planHash}`);
    const cluster = await this.deps.workspace.get(clusterName);
    if (!planned || hashOf(request) !== hashOf(planned.request)) {
      throw new KubesmithError('PlanChanged', 'That plan is not the one for this operation any more.', 'Read the plan again, then run it.');
    }
    if (hashOf(cluster) !== planned.clusterHash) {
      throw new KubesmithError('PlanChanged', 'The cluster changed since you read the plan.', 'Read the new plan, then run it.');
    }
    const expected = planned.view.confirmText;
    if (expected !== undefined && opts.confirm !== expected) {
      throw new KubesmithError('NotConfirmed', `Type "${expected}" to confirm.`, 'This operation cannot be undone; nothing was changed.');
    }
    const started = await this.deps.deploy.runOperation(
      clusterName,
      { mode: opts.mode ?? 'fresh', journalFile: journalFileOf(request.kind) },
      async () => {
        if (planned.staging) {
          await this.installStaging(cluster.name, planned.staging);
          // Installed once: a Resume of the same plan finds the renewed certificates in pki/ already.
          delete planned.staging;
        }
        return { cluster, plan: planned.plan };
      },
    );
    const done = started.done
      .then((run) => (run.state === 'succeeded' ? this.finish(cluster, planned, run) : run))
      .then((run) => {
        this.deps.emit('ops.finished', run);
        return run;
      });
    return { runId: started.runId, done };
  }

  /** What happens on this computer after a run succeeded: the backup's copy, the inventory's new roles. */
  private async finish(cluster: Cluster, planned: Planned, run: DeployRun): Promise<DeployRun> {
    const request = planned.request;
    try {
      if (request.kind === 'backup' && planned.backup) await this.fetchBackup(cluster, planned.backup);
      if (request.kind === 'remove-host') {
        await this.deps.workspace.update(cluster.name, (current) => withoutRoles(current, request.hostId));
        await this.forgetDeploySteps(cluster.name, [request.hostId]);
      }
      if (request.kind === 'reset') await this.forgetDeploySteps(cluster.name, request.hostIds);
      if (request.kind === 'rotate-ca') await new CaRotation(this.deps.workspace, cluster.name, this.deps.cipher).completed(request.stage);
      if (request.kind === 'upgrade') {
        await this.deps.workspace.update(cluster.name, (current) => ({
          ...current,
          settings: { ...current.settings, kubernetesVersion: request.to },
        }));
        if (planned.deployed) await this.deps.deploy.recordDeployed(cluster.name, planned.deployed);
      }
      return run;
    } catch (e) {
      const api = toApiError(e);
      const failed: DeployRun = {
        ...run,
        state: 'failed',
        error: { name: api.name, message: api.message, ...(api.hint ? { hint: api.hint } : {}) },
      };
      const host = planned.backup?.host;
      failed.hosts = run.hosts.map((h) =>
        h.hostId === host?.id
          ? {
              ...h,
              state: 'failed',
              cause: {
                stepId: 'download',
                stepTitle: 'Copy the snapshot to this computer',
                name: api.name,
                message: api.message,
                ...(api.hint ? { hint: api.hint } : {}),
              },
            }
          : h,
      );
      this.deps.emit('deploy.run', failed);
      const journal = await JournalStore.open(join(this.deps.workspace.stateDir(cluster.name), journalFileOf(request.kind)), cluster.name);
      journal.setLastRun(failed);
      await journal.flush();
      return failed;
    }
  }

  private async fetchBackup(cluster: Cluster, b: NonNullable<Planned['backup']>): Promise<void> {
    const store = this.backupStore(cluster.name);
    await store.ensureDir();
    const provider = this.deps.deploy.transportsFor(cluster);
    try {
      const t = provider.forHost(b.host);
      const remote = remoteSnapshotPath(b.id);
      const { sha256, size } = await downloadChecked(t, remote, store.snapshotPath(b.id));
      const caPem = await readFile(join(this.deps.workspace.pkiDir(cluster.name), 'etcd', 'ca.crt'), 'utf8');
      await store.record(b.id, {
        cluster: cluster.name,
        etcdCaSha256: pemSha256(caPem),
        takenAt: new Date().toISOString(),
        size,
        sha256,
        member: b.host.name,
        revision: b.revision,
      });
      await t.exec(sh`rm -f ${remote}`.command);
    } finally {
      await provider.close();
    }
  }

  /**
   * Renews every leaf in a copy of pki/: the plan shows (by SHA-256) exactly what the run installs, and pki/ itself
   * changes only when the user runs it.
   */
  private async renewInStaging(cluster: Cluster): Promise<{ staging: string; renewed: string[] }> {
    const stateDir = this.deps.workspace.stateDir(cluster.name);
    await mkdir(stateDir, { recursive: true });
    for (const old of (await readdir(stateDir)).filter((n) => n.startsWith(RENEW_STAGING_PREFIX))) {
      await rm(join(stateDir, old), { recursive: true, force: true });
    }
    const staging = await mkdtemp(join(stateDir, RENEW_STAGING_PREFIX));
    try {
      return await this.renewInto(cluster, staging);
    } catch (e) {
      await rm(staging, { recursive: true, force: true });
      throw e;
    }
  }

  private async renewInto(cluster: Cluster, staging: string): Promise<{ staging: string; renewed: string[] }> {
    await cp(this.deps.workspace.pkiDir(cluster.name), staging, { recursive: true });
    const listing = await listCertificates(staging, this.deps.cipher);
    const leaves = listing.certificates.filter((c) => !c.isCa && c.signedBy !== null).map((c) => c.id);
    const keyType = await currentKeyType(staging);
    const renewed: string[] = [];
    for (const id of leaves) {
      try {
        await renewCertificate(cluster, staging, id, { cipher: this.deps.cipher, ...(keyType ? { keyType } : {}) });
        renewed.push(id);
      } catch (e) {
        // Left over from a host no longer in the topology: no host uses it, so it is not renewed.
        if (!(e instanceof KubesmithError && e.name === 'PkiCertificateNotFound')) throw e;
      }
    }
    return { staging, renewed };
  }

  private async installStaging(cluster: string, staging: string): Promise<void> {
    await cp(staging, this.deps.workspace.pkiDir(cluster), { recursive: true, force: true });
    await rm(staging, { recursive: true, force: true });
  }

  /** Hosts that were reset start over: the deploy's Resume must not skip what is no longer there. */
  private async forgetDeploySteps(cluster: string, hostIds: readonly string[]): Promise<void> {
    const journal = await JournalStore.open(join(this.deps.workspace.stateDir(cluster), JOURNAL_FILE), cluster);
    for (const id of Object.keys(journal.snapshot.steps)) if (hostIds.includes(id.split('/')[1] ?? '')) journal.forget(id);
    await journal.flush();
  }

  private async build(cluster: Cluster, request: OperationRequest, waive: readonly WaivableCheck[]): Promise<Planned> {
    const clusterHash = hashOf(cluster);
    const etcdHosts = cluster.hosts.filter((h) => h.roles.includes('etcd'));
    const masters = cluster.hosts.filter((h) => h.roles.includes('master'));
    const done = (plan: Plan, extra: Partial<OperationPlan> = {}, more: Partial<Planned> = {}): Planned => ({
      cluster: cluster.name,
      clusterHash,
      request,
      plan,
      view: {
        plan: planForView(plan),
        consequences: extra.consequences ?? [],
        ...(extra.confirmText ? { confirmText: extra.confirmText } : {}),
      },
      ...more,
    });
    const liveEtcd = async () => {
      const provider = this.deps.deploy.transportsFor(cluster);
      try {
        return await requireEtcdState(etcdHosts, (h) => provider.forHost(h));
      } finally {
        await provider.close();
      }
    };
    switch (request.kind) {
      case 'backup': {
        const state = await liveEtcd();
        const host = snapshotSource(cluster, state);
        const id = backupId(cluster.name, new Date());
        const revision = state.members.find((m) => m.leader)?.revision ?? 0;
        return done(backupPlan(cluster, host, id, this.backupStore(cluster.name).snapshotPath(id)), {}, { backup: { id, host, revision } });
      }
      case 'backup-schedule':
        return done(backupSchedulePlan(cluster, request.schedule, request.keep));
      case 'restore': {
        const caPem = await readFile(join(this.deps.workspace.pkiDir(cluster.name), 'etcd', 'ca.crt'), 'utf8').catch(() => {
          throw new KubesmithError('NoPki', `${cluster.name} has no etcd CA in its PKI.`, 'Generate the certificates first.');
        });
        const backup = await this.backupStore(cluster.name).forRestore(request.backupId, cluster.name, caPem);
        if (etcdHosts.length === 0) throw new KubesmithError('TopologyIncomplete', 'The cluster has no etcd host to restore.');
        return done(restorePlan(cluster, backup, etcdHosts, masters), {
          confirmText: cluster.name,
          consequences: restoreConsequences(backup, cluster),
        });
      }
      case 'etcd-membership': {
        const state = await liveEtcd();
        // Refusals first: they need only etcd, not the PKI and binaries of a host that may not be ready.
        nextMembershipChange(cluster, state.members);
        const inputs = await this.deps.deploy.inputs(cluster.name);
        const { plan } = membershipPlan({ ...inputs, cluster, waive }, state.members);
        return done(plan);
      }
      case 'reset': {
        const { hosts, wholeCluster } = checkResetTargets(cluster, request.hostIds);
        const plan = operationPlan(
          cluster,
          'reset',
          [
            {
              id: 'reset',
              jobs: hosts.map((h) =>
                job(
                  'reset',
                  h,
                  resetSteps(h, (name) => `reset/${h.id}/${name}`),
                ),
              ),
            },
          ],
          [],
        );
        const names = hosts.map((h) => h.name).join(', ');
        return done(plan, {
          confirmText: wholeCluster ? cluster.name : names,
          consequences: [
            wholeCluster
              ? `${cluster.name} is destroyed: etcd's data (every object of the cluster) is deleted from every host. Take a backup first if you may want it back.`
              : `Everything Kubesmith installed on ${names} is removed: units, binaries, certificates, data, pod network leftovers.`,
            RESET_KEEPS,
          ],
        });
      }
      case 'upgrade': {
        const from = await this.deps.deploy.deployed(cluster.name);
        if (!from) {
          throw new KubesmithError(
            'NotDeployed',
            `${cluster.name} has no successful deploy on record to upgrade from.`,
            'Deploy it first.',
          );
        }
        const target = { ...cluster, settings: { ...cluster.settings, kubernetesVersion: request.to } };
        const inputs = await this.deps.deploy.inputsFor(target);
        const deployed = deployedRecordOf(request.to, inputs.binaries);
        checkUpgrade(from, deployed);
        const releases = { from: releaseName(from), to: releaseName(deployed) };
        return done(
          upgradePlan({ ...inputs, waive }, releases, request.batch),
          { consequences: [`Every kube-* program is replaced and restarted; each worker's pods are evicted while it is upgraded.`] },
          { deployed },
        );
      }
      case 'renew-certificates': {
        // The current PKI and the binaries first: a cluster without them is refused before anything is renewed.
        const inputs = await this.deps.deploy.inputsFor(cluster);
        const { staging, renewed } = await this.renewInStaging(cluster);
        const pki = await readDeployPki(staging, cluster, this.deps.cipher).catch(async (e: unknown) => {
          await rm(staging, { recursive: true, force: true });
          throw e;
        });
        return done(
          renewPlan({ ...inputs, pki, waive }, renewed),
          { consequences: ['Each component restarts once on its host to read its new certificate.'] },
          { staging },
        );
      }
      case 'rotate-ca': {
        const rotation = new CaRotation(this.deps.workspace, cluster.name, this.deps.cipher);
        await rotation.checkOrder(request.stage);
        // The current PKI first: a cluster without one is refused before new CAs are made for it.
        const inputs = await this.deps.deploy.inputsFor(cluster);
        const nextDir = await rotation.nextPki(cluster);
        const next = await readDeployPki(nextDir, cluster, this.deps.cipher);
        const pki = rotationPki(inputs.pki, next, request.stage);
        const finishing = request.stage === 'finish';
        return done(caRotationPlan({ ...inputs, pki, waive }, request.stage), {
          ...(finishing ? { confirmText: cluster.name } : {}),
          consequences: finishing
            ? [
                'Certificates and kubeconfigs from the old CAs stop working everywhere, including kubeconfigs exported before the rotation: export them again afterwards.',
              ]
            : ['Each component restarts once on its host to read its new files.'],
        });
      }
      case 'remove-host': {
        const state = await liveEtcd();
        const host = checkRemovable(cluster, request.hostId, state.members);
        const inputs = await this.deps.deploy.inputs(cluster.name);
        return done(removeHostPlan({ ...inputs, cluster, waive }, host), {
          confirmText: host.name,
          consequences: [
            `${host.name}'s pods are evicted to other nodes, its Node object is deleted, and everything Kubesmith installed on it is removed.`,
          ],
        });
      }
    }
  }
}
