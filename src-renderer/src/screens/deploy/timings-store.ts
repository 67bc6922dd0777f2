import { create } from 'zustand';
import type { RunTimings } from '../../../../src-shared/model/run-timings';
import { call, onEvent } from '../../api/client';
import { useErrors } from '../../stores/errors';

interface RunTimingsStore {
  cluster: string | undefined;
  /** The breakdown of the cluster's last finished run, null when none was kept. */
  timings: RunTimings | null;
  loading: boolean;
  load(cluster: string): Promise<void>;
}

export const useRunTimings = create<RunTimingsStore>((set, get) => ({
  cluster: undefined,
  timings: null,
  loading: false,
  async load(cluster) {
    if (get().cluster !== cluster) set({ cluster, timings: null });
    set({ loading: true });
    try {
      const timings = await call('deploy.timings', { cluster });
      if (get().cluster === cluster) set({ timings });
    } catch (err) {
      useErrors.getState().show(err);
    } finally {
      set({ loading: false });
    }
  },
}));

/** A run that finishes sends its breakdown; call once. */
export function subscribeRunTimings(): () => void {
  return onEvent('deploy.timings', (timings) => {
    if (timings.cluster === useRunTimings.getState().cluster) useRunTimings.setState({ timings });
  });
}
