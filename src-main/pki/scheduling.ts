/**
 * A gate that lets at most `limit` tasks run at once. Key generation and fsyncs both run on
 * libuv's small thread pool; leaving part of it free keeps the rest of the app's file I/O moving.
 */
export function createLimiter(limit: number): <T>(task: () => Promise<T>) => Promise<T> {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async (task) => {
    if (running >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    else running++;
    try {
      return await task();
    } finally {
      // Hand the slot straight to the next task, so a newcomer cannot slip in between.
      const next = waiting.shift();
      if (next) next();
      else running--;
    }
  };
}

/**
 * Lets timers and I/O run between two pieces of synchronous work. Reading or checking one
 * certificate takes a millisecond or two; a loop over all of them would hold the event loop for 50+.
 */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
