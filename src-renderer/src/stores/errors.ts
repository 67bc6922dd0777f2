import { create } from 'zustand';
import type { ApiError } from '../../../src-shared/errors';
import { toApiError } from '../api/client';

interface ErrorStore {
  current: ApiError | undefined;
  show(err: unknown): void;
  dismiss(): void;
}

/** The last error the user should see, exactly as the backend phrased it. */
export const useErrors = create<ErrorStore>((set) => ({
  current: undefined,
  show: (err) => set({ current: toApiError(err) }),
  dismiss: () => set({ current: undefined }),
}));
