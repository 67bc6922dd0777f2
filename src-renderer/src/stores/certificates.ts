import { create } from 'zustand';
import type { PkiKeyType, PkiState } from '../../../src-shared/contract/pki';
import type { PkiSummary } from '../../../src-shared/model/pki';
import { call, onEvent } from '../api/client';
import { useErrors } from './errors';

export interface GenerateOptions {
  keyType: PkiKeyType;
  caValidityDays: number;
  leafValidityDays: number;
}

interface Progress {
  done: number;
  total: number;
  label: string;
}

interface CertificatesStore {
  state: PkiState | undefined;
  cluster: string | undefined;
  progress: Progress | undefined;
  lastRun: PkiSummary | undefined;
  notice: string | undefined;
  load(cluster: string): Promise<void>;
  generate(cluster: string, options: GenerateOptions): Promise<void>;
  renew(cluster: string, id: string): Promise<boolean>;
}

let taskCounter = 0;
let activeTask: string | undefined;

export const useCertificates = create<CertificatesStore>((set, get) => ({
  state: undefined,
  cluster: undefined,
  progress: undefined,
  lastRun: undefined,
  notice: undefined,
  async load(cluster) {
    try {
      set({ cluster, state: await call('pki.list', { cluster }) });
    } catch (err) {
      useErrors.getState().show(err);
    }
  },
  async generate(cluster, options) {
    const taskId = `pki-${Date.now()}-${taskCounter++}`;
    activeTask = taskId;
    set({ progress: { done: 0, total: 1, label: '' }, lastRun: undefined, notice: undefined });
    try {
      const lastRun = await call('pki.generate', { cluster, taskId, ...options });
      set({ lastRun });
    } catch (err) {
      useErrors.getState().show(err);
    } finally {
      activeTask = undefined;
      set({ progress: undefined });
      await get().load(cluster);
    }
  },
  async renew(cluster, id) {
    try {
      await call('pki.renew', { cluster, id });
      await get().load(cluster);
      return true;
    } catch (err) {
      useErrors.getState().show(err);
      return false;
    }
  },
}));

onEvent('progress', (event) => {
  if (event.taskId !== activeTask || event.state !== 'running') return;
  useCertificates.setState({ progress: { done: event.done, total: event.total, label: event.label } });
});

/** Saves text as a file through the browser's download, the same in Electron and browser mode. */
export function downloadText(fileName: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/octet-stream' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
