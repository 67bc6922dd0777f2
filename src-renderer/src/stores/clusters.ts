import { create } from 'zustand';
import type { ClusterSummary } from '../../../src-shared/contract/api';
import type { Cluster } from '../../../src-shared/model/cluster';
import { call } from '../api/client';
import { useErrors } from './errors';

const CURRENT_KEY = 'kubesmith.cluster';

interface ClustersStore {
  list: ClusterSummary[];
  current: Cluster | undefined;
  loading: boolean;
  refresh(): Promise<void>;
  open(name: string): Promise<void>;
  create(name: string): Promise<boolean>;
  /** Saves the whole cluster; the backend's validated copy becomes the current one. */
  save(cluster: Cluster): Promise<boolean>;
}

export const useClusters = create<ClustersStore>((set, get) => ({
  list: [],
  current: undefined,
  loading: false,
  async refresh() {
    set({ loading: true });
    try {
      const list = await call('clusters.list', {});
      set({ list });
      const wanted = get().current?.name ?? localStorage.getItem(CURRENT_KEY) ?? list[0]?.name;
      const pick = list.find((c) => c.name === wanted) ?? list[0];
      if (pick && pick.name !== get().current?.name) await get().open(pick.name);
    } catch (err) {
      useErrors.getState().show(err);
    } finally {
      set({ loading: false });
    }
  },
  async open(name) {
    try {
      const current = await call('clusters.get', { name });
      localStorage.setItem(CURRENT_KEY, name);
      set({ current });
    } catch (err) {
      useErrors.getState().show(err);
    }
  },
  async create(name) {
    try {
      const current = await call('clusters.create', { name });
      localStorage.setItem(CURRENT_KEY, name);
      set({ current, list: await call('clusters.list', {}) });
      return true;
    } catch (err) {
      useErrors.getState().show(err);
      return false;
    }
  },
  async save(cluster) {
    try {
      set({ current: await call('clusters.save', { cluster }) });
      return true;
    } catch (err) {
      useErrors.getState().show(err);
      return false;
    }
  },
}));
