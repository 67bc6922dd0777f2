import { create } from 'zustand';
import type { HostInput, HostSecretsInput, KubeaszNote, SecretPresence, SshAlias } from '../../../src-shared/contract/inventory';
import type { ApiError } from '../../../src-shared/errors';
import type { Cluster } from '../../../src-shared/model/cluster';
import { call, toApiError } from '../api/client';
import { useClusters } from './clusters';

export type Outcome<T = object> = ({ ok: true } & T) | { ok: false; error: ApiError };

interface InventoryStore {
  /** The cluster the fields below describe; reset when another cluster is opened. */
  cluster: string | undefined;
  secrets: Record<string, SecretPresence>;
  probing: Record<string, boolean>;
  /** Why probing a host could not even start (NotAvailable, Disconnected), shown on that host only. */
  probeErrors: Record<string, ApiError>;
  aliases: { path: string; found: boolean; aliases: SshAlias[] } | undefined;
  load(cluster: string): Promise<void>;
  upsert(host: HostInput, secrets?: HostSecretsInput): Promise<Outcome<{ hostId: string }>>;
  remove(hostId: string): Promise<boolean>;
  paste(text: string, defaults?: { user?: string; port?: number }): Promise<Outcome<{ added: number }>>;
  importKubeasz(hostsIni: string, configYaml?: string): Promise<Outcome<{ added: number; updated: number; notes: KubeaszNote[] }>>;
  probe(hostId: string): Promise<void>;
  /** Probes hosts a few at a time, so "Probe all" on 200 hosts does not open 200 connections at once. */
  probeAll(hostIds: readonly string[]): Promise<void>;
  loadAliases(): Promise<void>;
}

const PROBE_CONCURRENCY = 4;

const currentName = (): string | undefined => useClusters.getState().current?.name;

/** Runs a cluster change in order with the others, and hands back either its extra answer or its error. */
async function changeWith<T extends { cluster: Cluster }>(run: () => Promise<T>): Promise<Outcome<{ value: T }>> {
  let value: T | undefined;
  let error: ApiError | undefined;
  await useClusters.getState().change(
    async () => {
      value = await run();
      return value.cluster;
    },
    undefined,
    (err) => (error = toApiError(err)),
  );
  return value !== undefined && error === undefined
    ? { ok: true, value }
    : { ok: false, error: error ?? { name: 'Error', message: 'Unknown error' } };
}

export const useInventory = create<InventoryStore>((set, get) => ({
  cluster: undefined,
  secrets: {},
  probing: {},
  probeErrors: {},
  aliases: undefined,
  async load(cluster) {
    if (get().cluster !== cluster) set({ cluster, secrets: {}, probing: {}, probeErrors: {} });
    try {
      const secrets = await call('hosts.secrets', { cluster });
      if (get().cluster === cluster) set({ secrets });
    } catch {
      // Only the "password saved" badges depend on this; the hosts themselves are already shown.
    }
  },
  async upsert(host, secrets) {
    const cluster = currentName();
    if (!cluster) return { ok: false, error: { name: 'NoCluster', message: 'No cluster is open.' } };
    const outcome = await changeWith(() => call('hosts.upsert', { cluster, host, ...(secrets ? { secrets } : {}) }));
    if (!outcome.ok) return outcome;
    set((s) => ({ secrets: { ...s.secrets, [outcome.value.hostId]: outcome.value.secrets } }));
    return { ok: true, hostId: outcome.value.hostId };
  },
  async remove(hostId) {
    const cluster = currentName();
    if (!cluster) return false;
    return useClusters.getState().change(() => call('hosts.remove', { cluster, hostId }));
  },
  async paste(text, defaults) {
    const cluster = currentName();
    if (!cluster) return { ok: false, error: { name: 'NoCluster', message: 'No cluster is open.' } };
    const outcome = await changeWith(() => call('hosts.paste', { cluster, text, ...(defaults ? { defaults } : {}) }));
    return outcome.ok ? { ok: true, added: outcome.value.added.length } : outcome;
  },
  async importKubeasz(hostsIni, configYaml) {
    const cluster = currentName();
    if (!cluster) return { ok: false, error: { name: 'NoCluster', message: 'No cluster is open.' } };
    const outcome = await changeWith(() => call('hosts.importKubeasz', { cluster, hostsIni, ...(configYaml ? { configYaml } : {}) }));
    if (!outcome.ok) return outcome;
    void get().load(cluster);
    const { added, updated, notes } = outcome.value;
    return { ok: true, added, updated, notes };
  },
  async probe(hostId) {
    const cluster = currentName();
    if (!cluster) return;
    set((s) => ({ probing: { ...s.probing, [hostId]: true }, probeErrors: withoutKey(s.probeErrors, hostId) }));
    try {
      // Not queued with the other changes: a probe takes seconds, and canvas moves must not wait for it.
      const probed = await call('hosts.probe', { cluster, hostId });
      const result = probed.hosts.find((h) => h.id === hostId)?.probe;
      useClusters.setState((s) =>
        s.current?.name === cluster
          ? { current: { ...s.current, hosts: s.current.hosts.map((h) => (h.id === hostId && result ? { ...h, probe: result } : h)) } }
          : {},
      );
    } catch (err) {
      if (get().cluster === cluster) set((s) => ({ probeErrors: { ...s.probeErrors, [hostId]: toApiError(err) } }));
    } finally {
      if (get().cluster === cluster) set((s) => ({ probing: withoutKey(s.probing, hostId) }));
    }
  },
  async probeAll(hostIds) {
    const queue = [...hostIds];
    const worker = async () => {
      for (let id = queue.shift(); id !== undefined; id = queue.shift()) await get().probe(id);
    };
    await Promise.all(Array.from({ length: Math.min(PROBE_CONCURRENCY, queue.length) }, worker));
  },
  async loadAliases() {
    try {
      set({ aliases: await call('hosts.sshConfigAliases', {}) });
    } catch {
      set({ aliases: { path: '~/.ssh/config', found: false, aliases: [] } });
    }
  },
}));

function withoutKey<V>(record: Record<string, V>, key: string): Record<string, V> {
  const { [key]: _gone, ...rest } = record;
  return rest;
}
