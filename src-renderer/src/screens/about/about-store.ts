import { create } from 'zustand';
import type { About, UpdateStatus } from '../../../../src-shared/contract/api';
import { call, onEvent } from '../../api/client';
import { useErrors } from '../../stores/errors';

interface AboutStore {
  about: About | undefined;
  busy: boolean;
  load(): Promise<void>;
  check(): Promise<void>;
  restart(): Promise<void>;
}

export const useAbout = create<AboutStore>((set) => ({
  about: undefined,
  busy: false,
  load: async () => {
    try {
      set({ about: await call('app.about', {}) });
    } catch (err) {
      useErrors.getState().show(err);
    }
  },
  check: async () => {
    set({ busy: true });
    try {
      applyUpdate(await call('app.checkForUpdates', {}));
    } catch (err) {
      useErrors.getState().show(err);
    } finally {
      set({ busy: false });
    }
  },
  restart: async () => {
    try {
      await call('app.restartToUpdate', {});
    } catch (err) {
      useErrors.getState().show(err);
    }
  },
}));

function applyUpdate(update: UpdateStatus): void {
  const about = useAbout.getState().about;
  if (about) useAbout.setState({ about: { ...about, update } });
}

/** Keeps the update status live while the About screen is open; returns the unsubscribe. */
export function followUpdates(): () => void {
  return onEvent('app.update', applyUpdate);
}
