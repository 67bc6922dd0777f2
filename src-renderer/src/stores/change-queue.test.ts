import { describe, expect, it } from 'vitest';
import { ChangeQueue } from './change-queue';

describe('ChangeQueue', () => {
  it('runs changes in order, one at a time, and only the last one is latest', async () => {
    const queue = new ChangeQueue();
    const log: string[] = [];
    const change = (name: string, ms: number) =>
      queue.run(async (isLatest) => {
        log.push(`start ${name}`);
        await new Promise((r) => setTimeout(r, ms));
        log.push(`end ${name} latest=${isLatest()}`);
      });
    await Promise.all([change('a', 5), change('b', 1), change('c', 1)]);
    expect(log).toEqual(['start a', 'end a latest=false', 'start b', 'end b latest=false', 'start c', 'end c latest=true']);
  });

  it('goes on after a failed change', async () => {
    const queue = new ChangeQueue();
    const failed = queue.run(async () => {
      throw new Error('refused');
    });
    const next = queue.run(async (isLatest) => isLatest());
    await expect(failed).rejects.toThrow('refused');
    expect(await next).toBe(true);
  });
});
