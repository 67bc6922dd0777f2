import { create } from 'zustand';
import type { ProgressEvent } from '../../../../src-shared/contract/events';
import type { MethodOutput } from '../../../../src-shared/contract/api';
import { call, onEvent } from '../../api/client';
import { useErrors } from '../../stores/errors';
import { emptyForm, readForm, type BundleForm, type FormProblem } from './bundle-form';

type Built = MethodOutput<'bundle.make'>['bundles'];

interface BundleStore {
  form: BundleForm;
  problems: FormProblem[];
  progress?: ProgressEvent;
  built?: Built;
  edit(change: Partial<BundleForm>): void;
  make(): Promise<void>;
}

export const useBundle = create<BundleStore>((set, get) => ({
  form: emptyForm(),
  problems: [],
  edit: (change) => set((s) => ({ form: { ...s.form, ...change }, problems: [] })),
  make: async () => {
    const taskId = `bundle-${Date.now().toString(36)}`;
    const { problems, input } = readForm(get().form, taskId);
    set({ problems, built: undefined });
    if (!input) return;
    set({ progress: { taskId, label: '', done: 0, total: 1, state: 'running' } });
    const stop = onEvent('progress', (p) => {
      if (p.taskId === taskId) set({ progress: p });
    });
    try {
      const { bundles } = await call('bundle.make', input);
      set({ built: bundles });
    } catch (err) {
      useErrors.getState().show(err);
    } finally {
      stop();
      set({ progress: undefined });
    }
  },
}));
