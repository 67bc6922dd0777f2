import { AsyncLocalStorage } from 'node:async_hooks';

/** What a job or step spent besides its wall time; filled by the timed transports and local work while it runs. */
export interface Tally {
  remoteMs: number;
  waitMs: number;
  localMs: number;
  bytes: number;
  roundTrips: number;
}

export const emptyTally = (): Tally => ({ remoteMs: 0, waitMs: 0, localMs: 0, bytes: 0, roundTrips: 0 });

const scope = new AsyncLocalStorage<Tally>();

/** Runs `fn` with `tally` as the one everything inside it (across awaits) counts to. */
export function withTally<T>(tally: Tally, fn: () => T): T {
  return scope.run(tally, fn);
}

/** The tally of the job or step running here, if a run is being measured. */
export function currentTally(): Tally | undefined {
  return scope.getStore();
}

/** Counts the time `fn` takes as work on this computer (rendering, hashing) of the step or plan it runs for. */
export function localWork<T>(fn: () => T): T {
  const tally = scope.getStore();
  if (!tally) return fn();
  const t0 = performance.now();
  try {
    return fn();
  } finally {
    tally.localMs += performance.now() - t0;
  }
}

/** The same for asynchronous work (reading and hashing a file). */
export async function localWorkAsync<T>(fn: () => Promise<T>): Promise<T> {
  const tally = scope.getStore();
  if (!tally) return fn();
  const t0 = performance.now();
  try {
    return await fn();
  } finally {
    tally.localMs += performance.now() - t0;
  }
}
