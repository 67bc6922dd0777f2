import { create } from 'zustand';
import type { Cluster, Role } from '../../../src-shared/model/cluster';
import { EMPTY_HISTORY, record, redo, undo, type History } from '../screens/topology/undo-history';
import { call } from '../api/client';
import { useClusters } from './clusters';

/** One canvas move: the roles of the hosts it touched, before and after. */
export interface RoleChange {
  before: Record<string, Role[]>;
  after: Record<string, Role[]>;
}

interface TopologyHistoryStore {
  /** The cluster whose moves `history` holds; another cluster starts with an empty history. */
  cluster: string | undefined;
  history: History<RoleChange>;
  apply(change: RoleChange): Promise<void>;
  undo(): Promise<void>;
  redo(): Promise<void>;
}

function withRoles(cluster: Cluster, roles: Record<string, Role[]>): Cluster {
  const wanted = new Map(Object.entries(roles));
  return { ...cluster, hosts: cluster.hosts.map((h) => ({ ...h, roles: wanted.get(h.id) ?? h.roles })) };
}

/** Sends roles for hosts that still exist: a host removed since the move cannot be moved back. */
function send(roles: Record<string, Role[]>): Promise<boolean> {
  const { current, change } = useClusters.getState();
  if (!current) return Promise.resolve(false);
  const existing = Object.fromEntries(Object.entries(roles).filter(([id]) => current.hosts.some((h) => h.id === id)));
  if (Object.keys(existing).length === 0) return Promise.resolve(false);
  const name = current.name;
  return change(
    () => call('hosts.setRoles', { cluster: name, roles: existing }),
    (c) => withRoles(c, existing),
  );
}

export const useTopologyHistory = create<TopologyHistoryStore>((set, get) => {
  /** The history of the open cluster, emptied first if it belonged to another one. */
  const historyNow = (): History<RoleChange> => {
    const name = useClusters.getState().current?.name;
    if (get().cluster !== name) set({ cluster: name, history: EMPTY_HISTORY });
    return get().history;
  };
  return {
    cluster: undefined,
    history: EMPTY_HISTORY,
    async apply(change) {
      set({ history: record(historyNow(), change) });
      await send(change.after);
    },
    async undo() {
      const step = undo(historyNow());
      if (!step.entry) return;
      set({ history: step.history });
      await send(step.entry.before);
    },
    async redo() {
      const step = redo(historyNow());
      if (!step.entry) return;
      set({ history: step.history });
      await send(step.entry.after);
    },
  };
});
