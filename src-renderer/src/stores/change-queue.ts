/**
 * Runs backend changes one at a time, in the order the user made them, and says which answer
 * is the latest: an answer that has newer changes queued behind it is already out of date, and
 * showing it would make the screen jump back until the next one arrives.
 */
export class ChangeQueue {
  private tail: Promise<unknown> = Promise.resolve();
  private waiting = 0;

  /** `task` runs after every change queued before it; `isLatest` tells whether newer ones are still queued. */
  run<T>(task: (isLatest: () => boolean) => Promise<T>): Promise<T> {
    this.waiting++;
    const result = this.tail.then(() => task(() => this.waiting === 1));
    this.tail = result.then(
      () => this.waiting--,
      () => this.waiting--,
    );
    return result;
  }
}
