import { create } from 'zustand';
import type { ClusterSummary } from '../../../src-shared/contract/api';
import type { Cluster } from '../../../src-shared/model/cluster';
import { ApiCallError, call } from '../api/client';
import { ChangeQueue } from './change-queue';
import { useErrors } from './errors';
import { shareUnchanged } from './share-unchanged';

const CURRENT_KEY = 'kubesmith.cluster';

/** A cluster picked from the list whose cluster.yaml cannot be opened: shown for repair or removal, not lost. */
export interface BrokenCluster {
  name: string;
  message: string;
}

interface ClustersStore {
  list: ClusterSummary[];
  current: Cluster | undefined;
  broken: BrokenCluster | undefined;
  loading: boolean;
  refresh(): Promise<void>;
  open(name: string): Promise<void>;
  create(name: string): Promise<boolean>;
  /** Makes a cluster just created elsewhere (the New cluster dialog) the open one. */
  adopt(current: Cluster, list: ClusterSummary[]): void;
  /** Saves the whole cluster; the backend's validated copy becomes the current one. */
  save(cluster: Cluster): Promise<boolean>;
  /**
   * Runs a backend change to the current cluster, after every change made before it. `shown` is
   * what the screen shows at once, before the backend answers; the answer replaces it unless newer
   * changes are queued. On failure the error goes to `report` (the error banner unless told) and the cluster is read again.
   */
  change(run: () => Promise<Cluster>, shown?: (cluster: Cluster) => Cluster, report?: (err: unknown) => void): Promise<boolean>;
}

const changes = new ChangeQueue();
/** Counts clusters asked for: the answer for an earlier pick, if slower, must not replace the later one. */
let opens = 0;

export const useClusters = create<ClustersStore>((set, get) => ({
  list: [],
  current: undefined,
  broken: undefined,
  loading: false,
  async refresh() {
    set({ loading: true });
    try {
      const list = await call('clusters.list', {});
      set({ list });
      const wanted = get().current?.name ?? localStorage.getItem(CURRENT_KEY) ?? list[0]?.name;
      const pick = list.find((c) => c.name === wanted) ?? list[0];
      if (pick && (pick.name !== get().current?.name || pick.broken)) await get().open(pick.name);
      if (!pick) set({ current: undefined, broken: undefined });
    } catch (err) {
      useErrors.getState().show(err);
    } finally {
      set({ loading: false });
    }
  },
  async open(name) {
    const asked = ++opens;
    try {
      const current = await call('clusters.get', { name });
      if (asked !== opens) return;
      localStorage.setItem(CURRENT_KEY, name);
      set({ current, broken: undefined });
    } catch (err) {
      if (asked !== opens) return;
      if (err instanceof ApiCallError && err.name === 'InvalidClusterFile') {
        localStorage.setItem(CURRENT_KEY, name);
        set({ current: undefined, broken: { name, message: err.message } });
      } else useErrors.getState().show(err);
    }
  },
  async create(name) {
    try {
      const current = await call('clusters.create', { name });
      ++opens;
      localStorage.setItem(CURRENT_KEY, name);
      set({ current, broken: undefined, list: await call('clusters.list', {}) });
      return true;
    } catch (err) {
      useErrors.getState().show(err);
      return false;
    }
  },
  adopt(current, list) {
    ++opens;
    localStorage.setItem(CURRENT_KEY, current.name);
    set({ current, list });
  },
  save(cluster) {
    return get().change(
      () => call('clusters.save', { cluster }),
      () => cluster,
    );
  },
  async change(run, shown, report = (err) => useErrors.getState().show(err)) {
    const before = get().current;
    if (before && shown) set({ current: shown(before) });
    try {
      return await changes.run(async (isLatest) => {
        const next = await run();
        if (get().current?.name === next.name) {
          set((s) => ({
            ...(isLatest() ? { current: shareUnchanged(s.current, next) } : {}),
            list: s.list.map((c) => (c.name === next.name ? { ...c, hostCount: next.hosts.length } : c)),
          }));
        }
        return true;
      });
    } catch (err) {
      report(err);
      if (before && shown && get().current?.name === before.name) await get().open(before.name);
      return false;
    }
  },
}));
