/** Undo and redo as two stacks; a new change drops what could have been redone. */
export interface History<T> {
  readonly past: readonly T[];
  readonly future: readonly T[];
}

export const EMPTY_HISTORY: History<never> = { past: [], future: [] };
const LIMIT = 200;

export function record<T>(history: History<T>, entry: T): History<T> {
  return { past: [...history.past, entry].slice(-LIMIT), future: [] };
}

export function undo<T>(history: History<T>): { history: History<T>; entry: T | undefined } {
  const entry = history.past[history.past.length - 1];
  if (entry === undefined) return { history, entry };
  return { history: { past: history.past.slice(0, -1), future: [entry, ...history.future] }, entry };
}

export function redo<T>(history: History<T>): { history: History<T>; entry: T | undefined } {
  const [entry, ...rest] = history.future;
  if (entry === undefined) return { history, entry };
  return { history: { past: [...history.past, entry], future: rest }, entry };
}
